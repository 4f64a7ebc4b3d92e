import type { LineEdit } from '../core/types.js';
import { applyLineEdits } from '../yaml/edit-apply.js';

const NO_EOL = '\u0000';

/** One line of the comparison: kept, removed from the original, or added. */
type Op = { kind: ' ' | '-' | '+'; text: string };

/** Lines as the bytes have them (`\r` kept, so CRLF files diff as git shows them); a last line without newline is marked. */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] = `${lines[lines.length - 1]}${NO_EOL}`;
  return lines;
}

/** Longest-common-subsequence line diff of one edit's span (spans are small: one container or pod spec). */
function diffSpan(before: readonly string[], after: readonly string[]): Op[] {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as number[];
    const below = lcs[i + 1] as number[];
    for (let j = m - 1; j >= 0; j--) row[j] = before[i] === after[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      ops.push({ kind: ' ', text: before[i++] as string });
      j++;
    } else if (i < n && (j === m || (lcs[i + 1]?.[j] as number) >= (lcs[i]?.[j + 1] as number))) {
      // Removals first, as diff prints them.
      ops.push({ kind: '-', text: before[i++] as string });
    } else {
      ops.push({ kind: '+', text: after[j++] as string });
    }
  }
  return ops;
}

/**
 * Unified diff (`git apply` compatible, 3 lines of context) of the line edits of one file. The edits are
 * exact hunks already; inside each one a line diff keeps the unchanged lines as context.
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
    ops.push(...diffSpan(before.slice(e.startLine - 1, e.endLine), after.slice(from, from + e.lines.length)));
    pos = e.endLine;
    shift += e.lines.length - (e.endLine - e.startLine + 1);
  }
  for (; pos < before.length; pos++) ops.push({ kind: ' ', text: before[pos] as string });
  const changed = ops.flatMap((op, k) => (op.kind === ' ' ? [] : [k]));
  if (changed.length === 0) return '';

  const out = [`--- a/${path}`, `+++ b/${path}`];
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
