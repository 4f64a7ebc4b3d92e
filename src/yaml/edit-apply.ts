import type { LineEdit } from '../core/types.js';

/**
 * Apply non-overlapping line edits (line numbers of the original text). Untouched lines keep their
 * own line endings; new lines take the file's first line ending; a leading BOM stays.
 *
 * Linear in the text and the edits: the untouched stretches between edits are copied as slices of
 * the text, not line by line.
 */
export function applyLineEdits(text: string, edits: readonly LineEdit[]): string {
  if (edits.length === 0) return text;
  const bom = text.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  // starts[i]: offset of line i + 1; starts[lines]: the end of the body.
  const starts = [0];
  for (let nl = body.indexOf('\n'); nl >= 0; nl = body.indexOf('\n', nl + 1)) starts.push(nl + 1);
  const lines = body.length === 0 || body.endsWith('\n') ? starts.length - 1 : starts.length;
  if (starts.length === lines) starts.push(body.length);
  // The ending of line `i` (0-based): `\r\n`, `\n`, or none (a last line without one).
  const endingOf = (i: number): string => {
    const next = starts[i + 1] as number;
    if (body.charCodeAt(next - 1) !== 10) return '';
    return next - 1 > (starts[i] as number) && body.charCodeAt(next - 2) === 13 ? '\r\n' : '\n';
  };
  const eol = lines > 0 && endingOf(0) !== '' ? endingOf(0) : '\n';
  // Checked and their endings settled bottom-up, as the edits apply: deleting the last line of a file
  // without a final newline takes the ending off the line before it, which an edit above may end on.
  const sorted = [...edits].sort((a, b) => b.startLine - a.startLine);
  const endings = new Map<number, string>();
  const ending = (i: number): string => endings.get(i) ?? endingOf(i);
  const lastEols: string[] = [];
  let floor = Number.POSITIVE_INFINITY;
  for (const e of sorted) {
    if (e.startLine < 1 || e.endLine < e.startLine || e.endLine > lines || e.endLine >= floor) {
      throw new RangeError(`line edit ${e.startLine}-${e.endLine} is out of range or overlaps another`);
    }
    floor = e.startLine;
    const lastEol = ending(e.endLine - 1);
    lastEols.push(lastEol);
    if (e.lines.length === 0 && lastEol === '' && e.startLine > 1) endings.set(e.startLine - 2, '');
  }
  const out: string[] = [bom];
  // Lines [from, to) (0-based) as they stand, with an ending taken off where an edit below said so.
  const copy = (from: number, to: number): void => {
    if (from >= to) return;
    const cut = endings.get(to - 1);
    if (cut === undefined) out.push(body.slice(starts[from], starts[to]));
    else out.push(body.slice(starts[from], (starts[to] as number) - endingOf(to - 1).length), cut);
  };
  let line = 0;
  for (let k = sorted.length - 1; k >= 0; k--) {
    const e = sorted[k] as LineEdit;
    const lastEol = lastEols[k] as string;
    copy(line, e.startLine - 1);
    const n = e.lines.length;
    for (let i = 0; i < n; i++) out.push(e.lines[i] as string, i === n - 1 ? lastEol : eol);
    line = e.endLine;
  }
  copy(line, lines);
  return out.join('');
}
