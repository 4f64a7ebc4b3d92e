import type { ChangedFile, Finding, Notice, VerifiedFix } from '../core/types.js';
import { unifiedDiff } from '../engine/fix-diff.js';
import type { ScannedFile } from '../engine/scan.js';
import type { UnscannedFile } from '../report/unscanned.js';

/**
 * The hunks of one fix against the file it edits, from a real line diff (jsdiff): unchanged lines inside a
 * merged range are context, not removed and added again; 3 lines of context, CR dropped for display.
 */
export function fixDiff(fix: VerifiedFix, file: ScannedFile | undefined): string {
  const text = file?.parsed?.text ?? '';
  const diff = unifiedDiff(fix.file, text, [fix.edit]);
  return diff
    .split('\n')
    .slice(2)
    .map((l) => l.replace(/\r$/, ''))
    .join('\n')
    .replace(/\n$/, '');
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
