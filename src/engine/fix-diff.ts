import { diffArrays } from 'diff';
import type { LineEdit } from '../core/types.js';
import { applyLineEdits } from '../yaml/edit-apply.js';

const NO_EOL = '\u0000';

/** One line of the comparison: kept, removed from the original, or added. */
export type Op = { kind: ' ' | '-' | '+'; text: string };

/** Lines as the bytes have them (`\r` kept, so CRLF files diff as git shows them); a last line without newline is marked. */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] = `${lines[lines.length - 1]}${NO_EOL}`;
  return lines;
}

/** Line diff (jsdiff) of one edit's span: unchanged lines are kept, removals come before additions, as diff prints them. */
export function lineOps(before: readonly string[], after: readonly string[]): Op[] {
  const ops: Op[] = [];
  for (const part of diffArrays([...before], [...after])) {
    const kind = part.added ? '+' : part.removed ? '-' : ' ';
    for (const text of part.value) ops.push({ kind, text });
  }
  return ops;
}

/**
 * The places an edit really changes, in half-line units: original line k is `2k`, the gap after it `2k+1`.
 * Removed or rewritten lines a..b give `[2a, 2b]`; lines inserted after line k give `[2k+1, 2k+1]`.
 */
export function changedRegions(original: readonly string[], edit: LineEdit): { start: number; end: number }[] {
  const regions: { start: number; end: number }[] = [];
  let line = edit.startLine;
  for (const op of lineOps(original.slice(edit.startLine - 1, edit.endLine), edit.lines)) {
    if (op.kind === ' ') line++;
    else if (op.kind === '-') regions.push({ start: 2 * line, end: 2 * line++ });
    else regions.push({ start: 2 * line - 1, end: 2 * line - 1 });
  }
  return regions;
}

/**
 * `--- a/x` / `+++ b/x` for a relative path; an absolute one is written as is, with no prefix. `git apply`
 * refuses absolute names (`a//abs` too) without --unsafe-paths, but applied from `/` its default -p1 turns
 * `/abs/x` into `abs/x`: `git -C / apply` takes the patch as it is.
 */
export function diffHeaders(path: string): [string, string] {
  return path.startsWith('/') ? [`--- ${path}`, `+++ ${path}`] : [`--- a/${path}`, `+++ b/${path}`];
}

/**
 * Unified diff (`git apply` compatible, 3 lines of context) of the line edits of one file. The edits are
 * exact hunks already; inside each one a line diff keeps the unchanged lines as context. `path` is relative
 * to where the patch is applied, or absolute (see diffHeaders).
 */
export function unifiedDiff(path: string, original: string, edits: readonly LineEdit[], context = 3): string {
  const sorted = [...edits].sort((x, y) => x.startLine - y.startLine);
  const before = splitLines(original);
  const after = splitLines(applyLineEdits(original, sorted));
  const ops: Op[] = [];
  let pos = 0;
  let shift = 0;
  for (const e of sorted) {
    for (; pos < e.startLine - 1; pos++) ops.push({ kind: ' ', text: before[pos] as string });
    const from = e.startLine - 1 + shift;
    ops.push(...lineOps(before.slice(e.startLine - 1, e.endLine), after.slice(from, from + e.lines.length)));
    pos = e.endLine;
    shift += e.lines.length - (e.endLine - e.startLine + 1);
  }
  for (; pos < before.length; pos++) ops.push({ kind: ' ', text: before[pos] as string });
  const changed = ops.flatMap((op, k) => (op.kind === ' ' ? [] : [k]));
  if (changed.length === 0) return '';

  const out: string[] = [...diffHeaders(path)];
  // Old/new line numbers before op k.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 0;
  let n = 0;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') n++;
  }
  let c = 0;
  while (c < changed.length) {
    let last = changed[c] as number;
    let d = c;
    while (d + 1 < changed.length && (changed[d + 1] as number) - last <= 2 * context) last = changed[++d] as number;
    const from = Math.max(0, (changed[c] as number) - context);
    const to = Math.min(ops.length, last + context + 1);
    const slice = ops.slice(from, to);
    const oldLen = slice.filter((op) => op.kind !== '+').length;
    const newLen = slice.filter((op) => op.kind !== '-').length;
    const oldStart = (oldAt[from] as number) + (oldLen > 0 ? 1 : 0);
    const newStart = (newAt[from] as number) + (newLen > 0 ? 1 : 0);
    out.push(`@@ -${oldStart},${oldLen} +${newStart},${newLen} @@`);
    for (const op of slice) {
      if (op.text.endsWith(NO_EOL)) out.push(`${op.kind}${op.text.slice(0, -NO_EOL.length)}`, '\\ No newline at end of file');
      else out.push(`${op.kind}${op.text}`);
    }
    c = d + 1;
  }
  return `${out.join('\n')}\n`;
}
