import type { ChangedFile, Finding, Notice, VerifiedFix } from '../core/types.js';
import { unifiedDiff } from '../engine/fix-diff.js';
import type { ScannedFile } from '../engine/scan.js';
import type { UnscannedFile } from '../report/unscanned.js';

/**
 * The hunks of one fix against the file it edits, from a real line diff (jsdiff): unchanged lines inside a
 * merged range are context, not removed and added again; 3 lines of context, CR dropped for display.
 * Only the edit's lines and their context are diffed (a fix in a rendered bundle must not cost the whole
 * file); the hunk headers are moved back to the file's line numbers.
 */
export function fixDiff(fix: VerifiedFix, file: ScannedFile | undefined): string {
  const text = file?.parsed?.text ?? '';
  return displayed(windowDiff(fix, text) ?? wholeDiff(fix, text));
}

/** Without the file headers and CRs, for the check's details. */
export function displayed(diff: string): string {
  return diff
    .split('\n')
    .slice(2)
    .map((l) => l.replace(/\r$/, ''))
    .join('\n')
    .replace(/\n$/, '');
}

const CONTEXT = 3;

/** The diff of the fix over the whole file (short files, and the cases a window could get wrong). */
export function wholeDiff(fix: VerifiedFix, text: string): string {
  return unifiedDiff(fix.file, text, [fix.edit]);
}

/** Where each line starts. */
function startsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * The same diff as `unifiedDiff` over the whole text, computed on the lines around the edit. Undefined where
 * the window could read differently from the whole file: a BOM, or inserted lines whose line ending the window
 * would take from another line than the file's first.
 */
function windowDiff(fix: VerifiedFix, text: string): string | undefined {
  if (text.charCodeAt(0) === 0xfeff || text.length < 4096) return undefined;
  const starts = startsOf(text);
  // A final line without a newline has no entry after it; a text ending in a newline has an empty last "line".
  const lines = text.endsWith('\n') ? starts.length - 1 : starts.length;
  const { startLine, endLine } = fix.edit;
  if (startLine < 1 || endLine > lines) return undefined;
  const from = Math.max(1, startLine - CONTEXT - 1);
  const to = Math.min(lines, endLine + CONTEXT + 1);
  const sub = text.slice(starts[from - 1], to < starts.length ? starts[to] : text.length);
  if (firstEol(sub) !== firstEol(text)) return undefined;
  const shift = from - 1;
  const edit = { ...fix.edit, startLine: startLine - shift, endLine: endLine - shift };
  const diff = unifiedDiff(fix.file, sub, [edit], CONTEXT);
  return diff.replace(/^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/gm, (_, a, b, c, d) => `@@ -${Number(a) + shift},${b} +${Number(c) + shift},${d} @@`);
}

function firstEol(text: string): string {
  const nl = text.indexOf('\n');
  return nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
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
