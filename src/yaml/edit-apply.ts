import type { LineEdit } from '../core/types.js';

interface Line {
  text: string;
  eol: string;
}

function splitLines(body: string): Line[] {
  const out: Line[] = [];
  let pos = 0;
  while (pos < body.length) {
    const nl = body.indexOf('\n', pos);
    if (nl < 0) {
      out.push({ text: body.slice(pos), eol: '' });
      break;
    }
    const cr = nl > pos && body.charCodeAt(nl - 1) === 13;
    out.push({ text: body.slice(pos, cr ? nl - 1 : nl), eol: cr ? '\r\n' : '\n' });
    pos = nl + 1;
  }
  return out;
}

/**
 * Apply non-overlapping line edits (line numbers of the original text). Untouched lines keep their
 * own line endings; new lines take the file's first line ending; a leading BOM stays.
 */
export function applyLineEdits(text: string, edits: readonly LineEdit[]): string {
  if (edits.length === 0) return text;
  const bom = text.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const lines = splitLines(bom ? text.slice(1) : text);
  const eol = lines.find((l) => l.eol !== '')?.eol ?? '\n';
  const sorted = [...edits].sort((a, b) => b.startLine - a.startLine);
  let floor = Number.POSITIVE_INFINITY;
  for (const e of sorted) {
    if (e.startLine < 1 || e.endLine < e.startLine || e.endLine > lines.length || e.endLine >= floor) {
      throw new RangeError(`line edit ${e.startLine}-${e.endLine} is out of range or overlaps another`);
    }
    floor = e.startLine;
    const lastEol = (lines[e.endLine - 1] as Line).eol;
    const repl = e.lines.map((t, i) => ({ text: t, eol: i === e.lines.length - 1 ? lastEol : eol }));
    // Deleting the last line of a file without a final newline: the line before becomes the last one.
    if (repl.length === 0 && lastEol === '' && e.startLine > 1) (lines[e.startLine - 2] as Line).eol = '';
    lines.splice(e.startLine - 1, e.endLine - e.startLine + 1, ...repl);
  }
  return bom + lines.map((l) => l.text + l.eol).join('');
}
