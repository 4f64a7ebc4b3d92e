import type { ChangedFile, Finding, Notice } from '../core/types.js';
import type { ScannedFile } from '../engine/scan.js';
import { plural } from './check-run.js';
import type { ReviewStats } from './summary.js';

/** A changed file that was read but not checked, and why. */
export interface UnscannedFile {
  path: string;
  reason: 'template' | 'not-kubernetes';
}

/**
 * The selected files that were read but not checked: templates, and YAML with no Kubernetes object (no
 * apiVersion/kind: a workflow, a values file). A file that does not parse, or whose patch gave a finding or
 * a notice, was checked.
 */
export function unscannedFiles(
  selected: readonly ChangedFile[],
  files: ReadonlyMap<string, ScannedFile>,
  findings: readonly Finding[],
  notices: readonly Notice[],
): UnscannedFile[] {
  const touched = new Set([...findings.map((f) => f.file), ...notices.filter((n) => n.kind !== 'template').map((n) => n.file)]);
  const out: UnscannedFile[] = [];
  for (const f of selected) {
    const s = files.get(f.path);
    if (!s) continue;
    if (s.template) out.push({ path: f.path, reason: 'template' });
    else if (!s.parsed?.error && !touched.has(f.path) && !s.objects.some((w) => typeof w.value.apiVersion === 'string' && typeof w.value.kind === 'string')) {
      out.push({ path: f.path, reason: 'not-kubernetes' });
    }
  }
  return out;
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
