import type { LineEdit } from '../core/types.js';
import { columnAt, contentEnd, EditDeclined, lineIndexAt } from './edit-format.js';
import { nodeEnd, nodeStart } from './locate.js';
import type { ParsedFile } from './parse.js';

export interface Inline {
  start: number;
  end: number;
  text: string;
}
export interface Insert {
  indent: number;
  lines: string[];
}

/** Line-level changes, 0-based line indexes of the original text. */
export class Changes {
  readonly inline = new Map<number, Inline[]>();
  readonly deleted = new Set<number>();
  readonly inserts = new Map<number, Insert[]>();
  constructor(private readonly file: ParsedFile) {}

  /** Replace text between two offsets of one line. */
  replace(start: number, end: number, text: string): void {
    const line = lineIndexAt(this.file, start);
    if (lineIndexAt(this.file, Math.max(start, end - 1)) !== line) throw new EditDeclined('the value spans several lines');
    const col = columnAt(this.file, start);
    this.inline.set(line, [...(this.inline.get(line) ?? []), { start: col, end: col + (end - start), text }]);
  }
  remove(first: number, last: number): void {
    for (let l = first; l <= last; l++) this.deleted.add(l);
  }
  insertAfter(line: number, indent: number, lines: string[]): void {
    this.inserts.set(line, [...(this.inserts.get(line) ?? []), { indent, lines }]);
  }
}

export function lineText(file: ParsedFile, i: number): string {
  const start = file.lineStarts[i] as number;
  const next = file.lineStarts[i + 1];
  const raw = file.text.slice(start, next === undefined ? undefined : next - 1);
  return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
}

export function before(file: ParsedFile, offset: number): string {
  return lineText(file, lineIndexAt(file, offset)).slice(0, columnAt(file, offset));
}

/** Nothing but a comment may follow a node we edit around on its last line. */
export function requireLineEnd(file: ParsedFile, offset: number): void {
  const line = lineIndexAt(file, Math.max(0, offset - 1));
  const rest = lineText(file, line).slice(Math.max(0, offset - (file.lineStarts[line] as number)));
  if (!/^\s*(?:#.*)?$/.test(rest)) throw new EditDeclined('another value shares the line');
}

export function endLine(file: ParsedFile, i: number): { offset: number; line: number } {
  const end = contentEnd(file, i);
  return { offset: end, line: lineIndexAt(file, Math.max(0, end - 1)) };
}

/** Offset just after the `:` that follows key event `key`. */
export function colonAfter(file: ParsedFile, key: number): number {
  const end = nodeEnd(file, key);
  const m = /^[ ]*:/.exec(file.text.slice(end, end + 200));
  if (!m) throw new EditDeclined('the key and its colon are not on one line');
  return end + m[0].length;
}

export function keyColumn(file: ParsedFile, key: number): number {
  const start = nodeStart(file, key);
  if (!/^[ ]*(?:- +)*$/.test(before(file, start))) throw new EditDeclined('the key does not start its line');
  return columnAt(file, start);
}

export function compose(file: ParsedFile, ch: Changes): LineEdit | undefined {
  const touched = [...ch.inline.keys(), ...ch.deleted, ...ch.inserts.keys()];
  if (touched.length === 0) return undefined;
  const first = Math.min(...touched);
  const last = Math.max(...touched);
  const lines: string[] = [];
  for (let l = first; l <= last; l++) {
    const text = lineText(file, l);
    if (/^[ ]*\t/.test(text)) throw new EditDeclined('tabs in indentation');
    const inl = ch.inline.get(l);
    if (ch.deleted.has(l)) {
      if (inl) throw new EditDeclined('conflicting fixes on one line');
    } else if (inl) {
      const sorted = [...inl].sort((a, b) => b.start - a.start);
      let out = text;
      let limit = Number.POSITIVE_INFINITY;
      for (const ed of sorted) {
        if (ed.end > limit) throw new EditDeclined('conflicting fixes on one line');
        out = out.slice(0, ed.start) + ed.text + out.slice(ed.end);
        limit = ed.start;
      }
      lines.push(out);
    } else {
      lines.push(text);
    }
    // Deeper blocks first: a shallower insertion after them would otherwise adopt them as children.
    const ins = [...(ch.inserts.get(l) ?? [])].sort((a, b) => b.indent - a.indent);
    for (const i of ins) lines.push(...i.lines);
  }
  return { startLine: first + 1, endLine: last + 1, lines };
}

/** Turn a plan into one line edit on the original text (undefined when it changes nothing). */
