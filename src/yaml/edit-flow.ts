import { EVENT_ID, type Event } from 'js-yaml';
import { EditDeclined, isCollection, lineIndexAt, quoteString, type RenderStyle, renderScalar } from './edit-format.js';
import type { Changes } from './edit-lines.js';
import type { EditPlan, Step } from './edit-plan.js';
import { mappingEntries, nodeEnd, nodeStart, sequenceItems } from './locate.js';
import type { ParsedFile } from './parse.js';

type Quote = '"' | "'";

/** How the user writes one flow collection: `{a: 1}` or `{ a: 1 }`, `, ` or `,` between entries, quoted keys or not. */
interface FlowStyle {
  mapPad: string;
  seqPad: string;
  sep: string;
  keyQuote?: Quote;
  /** Quote for new string values and items (JSON-like flow keeps everything quoted). */
  valueQuote?: Quote;
}

const isFlow = (file: ParsedFile, n: number): boolean => {
  const e = file.events[n] as Event;
  return (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) && e.style === 2;
};

const kindOf = (file: ParsedFile, n: number): string => ((file.events[n] as Event).type === EVENT_ID.MAPPING ? 'mapping' : 'list');

function oneLine(file: ParsedFile, n: number): boolean {
  const e = file.events[n] as Event & { start: number };
  return lineIndexAt(file, e.start) === lineIndexAt(file, nodeEnd(file, n) - 1);
}

/**
 * The flow collection to rewrite for a change at `step`: the outermost one-line flow collection around it
 * (`step` itself included when `self`, i.e. when keys or items are added to it). Undefined when the change
 * is not inside a flow collection, or (`replace`) when its collection spans lines and the value is replaced
 * in place. Declines adding to or removing from a multi-line flow collection.
 */
export function flowRootOf(file: ParsedFile, step: Step | undefined, self: boolean, replace = false): number | undefined {
  let root: number | undefined;
  for (let s = self ? step : step?.up; s && isFlow(file, s.node); s = s.up) {
    if (!oneLine(file, s.node)) {
      if (root !== undefined || replace) break;
      throw new EditDeclined(`a multi-line flow-style ${kindOf(file, s.node)} would need rewriting`);
    }
    root = s.node;
  }
  return root;
}

const quoteOf = (e: Event | undefined): Quote | undefined =>
  e?.type === EVENT_ID.SCALAR && e.style === 3 ? '"' : e?.type === EVENT_ID.SCALAR && e.style === 2 ? "'" : undefined;

function children(file: ParsedFile, n: number): number[] {
  const e = file.events[n] as Event;
  return e.type === EVENT_ID.MAPPING ? mappingEntries(file, n).flatMap((en) => [en.keyEvent, en.valueEvent]) : sequenceItems(file, n);
}

/** Text between the first two entries or items of flow collection `n` when it is a plain comma, else undefined. */
function separatorOf(file: ParsedFile, n: number): string | undefined {
  const e = file.events[n] as Event;
  const entries = e.type === EVENT_ID.MAPPING ? mappingEntries(file, n) : [];
  const pair = e.type === EVENT_ID.MAPPING ? [entries[0]?.valueEvent, entries[1]?.keyEvent] : sequenceItems(file, n).slice(0, 2);
  const [a, b] = pair;
  if (a === undefined || b === undefined) return undefined;
  const between = file.text.slice(nodeEnd(file, a), nodeStart(file, b));
  return between.trim() === ',' ? between : undefined;
}

function padOf(file: ParsedFile, n: number): string | undefined {
  const e = file.events[n] as Event;
  if (children(file, n).length === 0 || !('start' in e)) return undefined;
  return file.text[e.start + 1] === ' ' ? ' ' : '';
}

/** The style of a flow root, read from the first collections inside it. */
function styleOf(file: ParsedFile, root: number): FlowStyle {
  const end = file.ends[root] as number;
  let mapPad: string | undefined;
  let seqPad: string | undefined;
  let keyQuote: Quote | undefined | null;
  for (let i = root; i <= end && (mapPad === undefined || seqPad === undefined || keyQuote === undefined); i++) {
    const e = file.events[i] as Event;
    if (e.type === EVENT_ID.MAPPING) {
      mapPad ??= padOf(file, i);
      const first = mappingEntries(file, i)[0];
      if (keyQuote === undefined && first) keyQuote = quoteOf(file.events[first.keyEvent]) ?? null;
    }
    if (e.type === EVENT_ID.SEQUENCE) seqPad ??= padOf(file, i);
  }
  const sep = separatorOf(file, root) ?? ', ';
  // JSON-like flow (quoted keys) gets quoted keys and string values; otherwise strings stay plain when they can.
  return { mapPad: mapPad ?? '', seqPad: seqPad ?? '', sep, ...(keyQuote ? { keyQuote, valueQuote: keyQuote } : {}) };
}

function scalarText(value: unknown, st: RenderStyle, quote: Quote | undefined): string {
  return typeof value === 'string' && quote ? quoteString(value, quote) : renderScalar(value, st.quote);
}

/** Flow text of a value that is not in the file yet. */
function newFlow(value: unknown, st: RenderStyle, fs: FlowStyle, quote = fs.valueQuote): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[${fs.seqPad}${value.map((v) => newFlow(v, st, fs, quote)).join(fs.sep)}${fs.seqPad}]`;
  }
  if (isCollection(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const key = (k: string): string => (fs.keyQuote ? quoteString(k, fs.keyQuote) : renderScalar(k, st.quote));
    return `{${fs.mapPad}${entries.map(([k, v]) => `${key(k)}: ${newFlow(v, st, fs, quote)}`).join(fs.sep)}${fs.mapPad}}`;
  }
  return scalarText(value, st, quote);
}

/**
 * Rewrite a one-line flow collection that holds planned changes, in place on its line: entries and items
 * that stay keep their text byte for byte, new ones follow the collection's own spacing and quoting.
 */
export function renderFlowRoot(file: ParsedFile, st: RenderStyle, ch: Changes, plan: EditPlan, root: number): void {
  const re = file.events[root] as Event & { start: number };
  const end = nodeEnd(file, root);
  if (!oneLine(file, root)) throw new EditDeclined(`a multi-line flow-style ${kindOf(file, root)} would need rewriting`);
  const touched = [...plan.replace.keys(), ...plan.remove.keys(), ...plan.addKeys.keys(), ...plan.addItems.keys()];
  const fs = styleOf(file, root);
  const hasChange = (n: number): boolean => {
    const last = isFlow(file, n) ? (file.ends[n] as number) : n;
    return touched.some((t) => t >= n && t <= last);
  };
  const original = (n: number): string => {
    const s = nodeStart(file, n);
    const e = nodeEnd(file, n);
    if (s < 0 || e < 0) throw new EditDeclined('a flow-style entry without a value is ambiguous');
    return file.text.slice(s, e);
  };

  const render = (n: number): string => {
    const replaced = plan.replace.get(n);
    const e = file.events[n] as Event;
    if (replaced) {
      if (e.type === EVENT_ID.SCALAR && !isCollection(replaced.value)) return scalarText(replaced.value, st, quoteOf(e));
      return newFlow(replaced.value, st, fs);
    }
    if (!hasChange(n)) return original(n);
    if ((e.type !== EVENT_ID.MAPPING && e.type !== EVENT_ID.SEQUENCE) || e.style !== 2) throw new EditDeclined('unexpected node in a flow collection');
    const open = e.type === EVENT_ID.MAPPING ? '{' : '[';
    if (file.text[e.start] !== open) throw new EditDeclined('a flow-style mapping without braces would need rewriting');
    const own = padOf(file, n) ?? (e.type === EVENT_ID.MAPPING ? fs.mapPad : fs.seqPad);
    const parts: string[] = [];
    if (e.type === EVENT_ID.MAPPING) {
      const entries = mappingEntries(file, n);
      for (const en of entries) {
        if (plan.remove.has(en.valueEvent)) continue;
        const ks = nodeStart(file, en.keyEvent);
        const vs = nodeStart(file, en.valueEvent);
        if (ks < 0 || vs < 0) throw new EditDeclined('a flow-style entry without a value is ambiguous');
        parts.push(file.text.slice(ks, vs) + render(en.valueEvent));
      }
      const keyQuote = quoteOf(file.events[entries[0]?.keyEvent ?? -1]) ?? fs.keyQuote;
      const local: FlowStyle = { ...fs, ...(keyQuote ? { keyQuote } : {}) };
      for (const [k, v] of Object.entries(plan.addKeys.get(n) ?? {})) {
        parts.push(`${keyQuote ? quoteString(k, keyQuote) : renderScalar(k, st.quote)}: ${newFlow(v, st, local)}`);
      }
    } else {
      const items = sequenceItems(file, n);
      for (const i of items) if (!plan.remove.has(i)) parts.push(render(i));
      // New items are quoted the way the list's first item is (`["NET_RAW"]` gets `"ALL"`).
      const quote = items.length > 0 ? quoteOf(file.events[items[0] as number]) : fs.valueQuote;
      for (const v of plan.addItems.get(n) ?? []) parts.push(newFlow(v, st, fs, quote));
    }
    const sep = separatorOf(file, n) ?? fs.sep;
    const prefix = file.text.slice(nodeStart(file, n), e.start);
    const close = e.type === EVENT_ID.MAPPING ? '}' : ']';
    return `${prefix}${open}${parts.length > 0 ? `${own}${parts.join(sep)}${own}` : ''}${close}`;
  };
  ch.replace(re.start, end, render(root).slice(file.text.slice(nodeStart(file, root), re.start).length));
}
