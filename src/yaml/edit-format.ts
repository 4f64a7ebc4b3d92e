import { EVENT_ID, type Event } from 'js-yaml';
import { mappingEntries, nodeEnd, nodeStart, sequenceItems } from './locate.js';
import type { ParsedFile } from './parse.js';

/** How a file lays out its block collections, so that inserted lines look like their neighbours. */
export interface FileStyle {
  /** Spaces between a key and the keys of its nested mapping. */
  indent: number;
  /** Spaces between a key and the `-` of its block sequence: 0 when lists sit flush with their key. */
  seqIndent: number;
  /** Quote character used when a new string or key needs quotes. */
  quote: '"' | "'";
}

export class EditDeclined extends Error {
  readonly code = 'FIX_DECLINED';
}

const styles = new WeakMap<ParsedFile, FileStyle>();

/** 0-based column of `offset` in its line. */
export function columnAt(file: ParsedFile, offset: number): number {
  return offset - (file.lineStarts[lineIndexAt(file, offset)] as number);
}

/** 0-based line index of `offset`. */
export function lineIndexAt(file: ParsedFile, offset: number): number {
  const starts = file.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function mode(counts: Map<number, number>, fallback: number): number {
  let best = fallback;
  let bestN = 0;
  for (const [v, n] of counts) {
    if (n > bestN || (n === bestN && v < best)) {
      best = v;
      bestN = n;
    }
  }
  return best;
}

/**
 * The most common nesting width, list indentation and quote character of the file. One pass over the
 * events in order: an open-collection stack says which events are the keys and values of block mappings
 * (a mapping's children alternate key, value), and a line cursor that moves forward with the offsets
 * (falling back to a binary search where one goes back) finds their lines.
 */
export function fileStyle(file: ParsedFile): FileStyle {
  const cached = styles.get(file);
  if (cached) return cached;
  const indents = new Map<number, number>();
  const seqIndents = new Map<number, number>();
  let double = 0;
  let single = 0;
  const bump = (m: Map<number, number>, v: number): void => {
    m.set(v, (m.get(v) ?? 0) + 1);
  };
  const starts = file.lineStarts;
  let cursor = 0;
  const lineOf = (offset: number): number => {
    if (offset < (starts[cursor] as number)) cursor = lineIndexAt(file, offset);
    else while (cursor + 1 < starts.length && (starts[cursor + 1] as number) <= offset) cursor++;
    return cursor;
  };
  // Per open collection: whether it is a block mapping, how many children it has had, and its last key's start.
  const blockMap: boolean[] = [];
  const children: number[] = [];
  const keyStarts: number[] = [];
  const events = file.events;
  for (let j = 0; j < events.length; j++) {
    const e = events[j] as Event;
    if (e.type === EVENT_ID.POP) {
      blockMap.pop();
      children.pop();
      keyStarts.pop();
      continue;
    }
    const top = blockMap.length - 1;
    if (top >= 0 && blockMap[top]) {
      const n = children[top] as number;
      children[top] = n + 1;
      if (n % 2 === 0) keyStarts[top] = nodeStart(file, j);
      else if ((e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) && e.style === 1) {
        const keyStart = keyStarts[top] as number;
        const childStart = e.start;
        if (keyStart >= 0) {
          const keyLine = lineOf(keyStart);
          const keyCol = keyStart - (starts[keyLine] as number);
          const childLine = lineOf(childStart);
          if (childLine !== keyLine) {
            const delta = childStart - (starts[childLine] as number) - keyCol;
            if (e.type === EVENT_ID.MAPPING && delta > 0) bump(indents, delta);
            if (e.type === EVENT_ID.SEQUENCE && delta >= 0) bump(seqIndents, delta);
          }
        }
      }
    }
    if (e.type === EVENT_ID.SCALAR) {
      if (e.style === 3) double++;
      else if (e.style === 2) single++;
    } else if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE || e.type === EVENT_ID.DOCUMENT) {
      blockMap.push(e.type === EVENT_ID.MAPPING && e.style === 1);
      children.push(0);
      keyStarts.push(-1);
    }
  }
  const style: FileStyle = { indent: mode(indents, 2), seqIndent: mode(seqIndents, 0), quote: single > double ? "'" : '"' };
  styles.set(file, style);
  return style;
}

/** Whether the keys of the block mapping at event `i` are written quoted (JSON-like manifests). */
export function quotedKeys(file: ParsedFile, i: number): '"' | "'" | undefined {
  const entries = mappingEntries(file, i);
  const quoted = entries.map((en) => file.events[en.keyEvent] as Event).filter((k) => k.type === EVENT_ID.SCALAR && (k.style === 2 || k.style === 3));
  if (entries.length === 0 || quoted.length * 2 <= entries.length) return undefined;
  const first = quoted[0] as Event;
  return first.type === EVENT_ID.SCALAR && first.style === 2 ? "'" : '"';
}

const RESERVED = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|\.inf|\.nan)$/i;

/** A string that reads back as the same string when written plain. */
export function isPlainSafe(s: string): boolean {
  if (s === '' || RESERVED.test(s)) return false;
  if (!/^[A-Za-z_/][\w./-]*$/.test(s)) return false;
  return !/^[-+]?(?:\d|\.\d)/.test(s);
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

export function quoteString(s: string, quote: '"' | "'"): string {
  // Single quotes cannot escape control characters; fall back to JSON-compatible double quotes.
  if (quote === "'" && !hasControl(s)) return `'${s.replace(/'/g, "''")}'`;
  return JSON.stringify(s);
}

/** One-line YAML text of a scalar value. */
export function renderScalar(value: unknown, quote: '"' | "'", forceQuote = false): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new EditDeclined('cannot write a non-finite number');
    return String(value);
  }
  if (typeof value === 'string') return !forceQuote && isPlainSafe(value) ? value : quoteString(value, quote);
  throw new EditDeclined(`cannot write a ${typeof value} as a scalar`);
}

export function isCollection(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null;
}

function isEmptyCollection(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : isCollection(v) && Object.keys(v).length === 0;
}

export interface RenderStyle extends FileStyle {
  /** Quote for new keys (when the surrounding keys are quoted). */
  keyQuote?: '"' | "'";
}

function renderKey(key: string, st: RenderStyle): string {
  return st.keyQuote ? quoteString(key, st.keyQuote) : renderScalar(key, st.quote);
}

/** Text after `key:` on the key's own line for values that fit there (scalars and empty collections). */
export function inlineValue(value: unknown, st: RenderStyle): string | undefined {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
  if (isCollection(value)) return isEmptyCollection(value) ? '{}' : undefined;
  return renderScalar(value, st.quote, st.keyQuote !== undefined && typeof value === 'string');
}

/** Block lines of the children of a collection value, the first at `col` (keys) or with `-` at `col` (items). */
export function renderChildren(value: unknown, col: number, st: RenderStyle, out: string[] = []): string[] {
  // Pushed onto one array (no flatMap of per-entry arrays: this runs for every new key of every fix).
  if (Array.isArray(value)) {
    for (const item of value) renderItem(item, col, st, out);
    return out;
  }
  if (!isCollection(value)) throw new EditDeclined('not a collection');
  const map = value as Record<string, unknown>;
  for (const k of Object.keys(map)) renderEntry(k, map[k], col, st, out);
  return out;
}

/** Lines of one mapping entry `key: value` with the key at column `col` (pushed onto `out`). */
export function renderEntry(key: string, value: unknown, col: number, st: RenderStyle, out: string[] = []): string[] {
  const pad = ' '.repeat(col);
  const inline = inlineValue(value, st);
  if (inline !== undefined) {
    out.push(`${pad}${renderKey(key, st)}: ${inline}`);
    return out;
  }
  const childCol = Array.isArray(value) ? col + st.seqIndent : col + st.indent;
  out.push(`${pad}${renderKey(key, st)}:`);
  return renderChildren(value, childCol, st, out);
}

/** Lines of one block sequence item with its `-` at column `col` (pushed onto `out`). */
export function renderItem(value: unknown, col: number, st: RenderStyle, out: string[] = []): string[] {
  const pad = ' '.repeat(col);
  if (Array.isArray(value) && value.length > 0) throw new EditDeclined('nested lists are not written');
  const inline = inlineValue(value, st);
  if (inline !== undefined) {
    out.push(`${pad}- ${inline}`);
    return out;
  }
  // A mapping item starts on the dash line: `- key: value`, its other keys two columns in.
  const from = out.length;
  renderChildren(value, col + 2, st, out);
  out[from] = `${pad}- ${(out[from] as string).slice(col + 2)}`;
  return out;
}

/** Flow text of a collection of scalars for replacing a one-line flow collection in place. */
export function renderFlow(value: unknown, st: RenderStyle): string {
  if (Array.isArray(value)) {
    if (value.some(isCollection)) throw new EditDeclined('nested flow collections are not written');
    return `[${value.map((v) => renderScalar(v, st.quote)).join(', ')}]`;
  }
  if (!isCollection(value)) return renderScalar(value, st.quote);
  const entries = Object.entries(value);
  if (entries.some(([, v]) => isCollection(v))) throw new EditDeclined('nested flow collections are not written');
  return entries.length === 0 ? '{}' : `{${entries.map(([k, v]) => `${renderKey(k, st)}: ${renderScalar(v, st.quote)}`).join(', ')}}`;
}

/** Offset just past the last meaningful character of node `i`; block scalars lose trailing blank lines unless kept. */
export function contentEnd(file: ParsedFile, i: number): number {
  const e = file.events[i] as Event;
  if (e.type === EVENT_ID.SCALAR && (e.style === 4 || e.style === 5) && e.chomping !== 3) {
    let end = e.valueEnd;
    while (end > e.valueStart && /\s/.test(file.text[end - 1] as string)) end--;
    return end;
  }
  if ((e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) && e.style === 1) {
    // The last child with content, from the end: each entry's value, then its key.
    if (e.type === EVENT_ID.MAPPING) {
      const entries = mappingEntries(file, i);
      for (let k = entries.length - 1; k >= 0; k--) {
        const en = entries[k] as (typeof entries)[number];
        const end = contentEnd(file, en.valueEvent);
        if (end >= 0) return end;
        const keyEnd = contentEnd(file, en.keyEvent);
        if (keyEnd >= 0) return keyEnd;
      }
      return e.start;
    }
    const items = sequenceItems(file, i);
    for (let k = items.length - 1; k >= 0; k--) {
      const end = contentEnd(file, items[k] as number);
      if (end >= 0) return end;
    }
    return e.start;
  }
  return nodeEnd(file, i);
}
