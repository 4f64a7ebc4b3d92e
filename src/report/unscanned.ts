import { plural } from './check-run.js';
import type { ReviewStats } from './summary.js';

/** A changed file that was read but not checked, and why. */
export interface UnscannedFile {
  path: string;
  reason: 'template' | 'not-kubernetes';
}

/** "1 file not scanned (Helm template)", "3 files not scanned (2 Helm templates, 1 with no Kubernetes objects)", or undefined. */
export function notScannedText(stats: Pick<ReviewStats, 'filesTemplate' | 'filesNotKubernetes'>): string | undefined {
  const t = stats.filesTemplate;
  const k = stats.filesNotKubernetes;
  if (t + k === 0) return undefined;
  const why =
    t > 0 && k > 0
      ? `${plural(t, 'Helm template')}, ${k} with no Kubernetes objects`
      : t > 0
        ? t === 1
          ? 'Helm template'
          : 'Helm templates'
        : 'no Kubernetes objects';
  return `${plural(t + k, 'file')} not scanned (${why})`;
}
