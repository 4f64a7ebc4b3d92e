import { createRequire } from 'node:module';
import type { Event, ParserOptions, ScalarEvent } from 'js-yaml';

// The CommonJS build, as in parse.ts: its YAMLException is the class parse.ts tests errors against.
const { EVENT_ID, SCALAR_STYLE, getScalarValue, parseEvents, YAMLException } = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml');

/**
 * Kubernetes reads YAML with go-yaml (kubectl create/apply: sigs.k8s.io/yaml over yaml.v2; kubectl
 * kustomize: kyaml over yaml.v3), which accepts some text that js-yaml 5 rejects. Each kind below is
 * one such shape, checked against yaml.v2 2.4, yaml.v3 3.0.1, sigs.k8s.io/yaml and kubectl 1.32:
 *
 * - `indentation`: a continuation line of a `[ ]`/`{ }` collection or of a quoted string indented no
 *   deeper than the key or `-` it belongs to (`args: [` ... `]` with `]` under `args`). YAML 1.2
 *   requires deeper indentation there and js-yaml 5 throws "deficient indentation"; go-yaml does not
 *   check indentation inside flow context (scannerc.go: `yaml_parser_unroll_indent` returns at once
 *   when `flow_level > 0`; quoted scalars only refuse a document marker at column 0).
 * - `tab`: a tab between tokens of a flow collection, or indenting such a continuation line. js-yaml
 *   throws "deficient indentation" when a tab is on a line indented less than the collection; go-yaml
 *   takes tabs as white space inside flow context.
 * - `comment`: a `#` right after a closing quote, `]`, `}` or a block scalar header (`'x'# note`).
 *   go-yaml starts a comment at the next token wherever a `#` stands (`yaml_parser_scan_to_next_token`);
 *   js-yaml wants white space before it.
 * - `duplicate-key`: a key repeated in one mapping. kubectl create/apply keep the last value
 *   (sigs.k8s.io/yaml `Unmarshal` → yaml.v2 non-strict `Unmarshal`; the JSON sent to the API server no
 *   longer has the first one, so server-side strict field validation never sees it); `kubectl
 *   kustomize` rejects the file (yaml.v3: "mapping key already defined"). js-yaml throws "duplicated
 *   mapping key".
 *
 * What go-yaml rejects stays rejected: tab indentation in block context, document markers inside
 * quoted strings, and any other error js-yaml raises.
 *
 * The repair works on a copy of the text: spans are blanked or tabs turned into spaces with the same
 * length, and indentation is added only at the start of the rejected lines; the events are then mapped
 * back to offsets in the original text, so every position in the index is exact.
 */
export type LenientKind = 'indentation' | 'tab' | 'comment' | 'duplicate-key';

export interface LenientNote {
  kind: LenientKind;
  /** 1-based line in the original text. */
  line: number;
  message: string;
}

export type LenientResult = { events: Event[]; notes: LenientNote[] } | { error: unknown };

/** Repairs one parse may make before it gives up and reports the first error. */
const MAX_REPAIRS = 400;
/** Characters re-parsed across the retries of one file, at most this many times the file's length (and at least 4 MiB). */
const WORK_FACTOR = 64;
const MAX_PAD = 512;

const MESSAGES: Record<Exclude<LenientKind, 'duplicate-key'>, string> = {
  indentation:
    'a continuation line inside [ ], { } or a quoted string is indented no deeper than its key or `-`; the YAML spec requires deeper indentation, go-yaml (kubectl) does not check it there',
  tab: 'a tab separates or indents tokens inside [ ], { } or a quoted string on a line indented less than its key; go-yaml (kubectl) reads tabs there as spaces',
  comment: "a '#' comment follows a closing quote, bracket or block scalar header without a space; go-yaml (kubectl) reads it as a comment",
};

interface Pad {
  /** Offset in the original text (a line start). */
  at: number;
  count: number;
}

interface CommentRepair {
  /** Offset of the `#` in the original text. */
  at: number;
  /** The character before it: a quote, a bracket or a block scalar header. */
  after: string;
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function lineEndOf(text: string, pos: number): number {
  let i = text.indexOf('\n', pos);
  if (i === -1) i = text.length;
  if (i > pos && text[i - 1] === '\r') i--;
  return i;
}

function lineNumberAt(text: string, pos: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** A `---` or `...` at column 0 followed by white space or the end of the line: go-yaml ends the document there. */
function isDocumentMarker(text: string, pos: number): boolean {
  const three = text.slice(pos, pos + 3);
  if (three !== '---' && three !== '...') return false;
  const next = text[pos + 3];
  return next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
}

/** The block scalar header (`|`, `>-`, `|2+` ...) that ends right before `pos`, if any. */
function endsBlockHeader(text: string, pos: number): boolean {
  let i = pos - 1;
  let n = 0;
  while (i >= 0 && n < 2 && /[0-9+-]/.test(text[i] as string)) {
    i--;
    n++;
  }
  const c = text[i];
  if (c !== '|' && c !== '>') return false;
  const before = text[i - 1];
  return before === undefined || before === ' ' || before === '\t' || before === '\n';
}

function replaceTabs(text: string, from: number, to: number): string {
  return text.slice(0, from) + text.slice(from, to).replace(/\t/g, ' ') + text.slice(to);
}

/** Offsets in the repaired text -> offsets in the original, given the padding inserted at line starts. */
class OffsetMap {
  readonly pads: Pad[] = [];

  /** Original offset of a repaired-text offset; an offset inside inserted padding maps to where it was inserted. */
  toOriginal(pos: number): number {
    if (pos < 0) return pos;
    let shift = 0;
    for (const p of this.pads) {
      const start = p.at + shift;
      if (pos < start) break;
      if (pos < start + p.count) return p.at;
      shift += p.count;
    }
    return pos - shift;
  }

  /** Record `count` spaces inserted at the repaired-text line start `pos`. */
  insert(pos: number, count: number): void {
    const at = this.toOriginal(pos);
    const same = this.pads.find((p) => p.at === at);
    if (same) same.count += count;
    else {
      this.pads.push({ at, count });
      this.pads.sort((a, b) => a.at - b.at);
    }
  }
}

function mapEvent(e: Event, map: OffsetMap): Event {
  const m = (n: number) => map.toOriginal(n);
  switch (e.type) {
    case EVENT_ID.SCALAR:
      return {
        ...e,
        valueStart: m(e.valueStart),
        valueEnd: m(e.valueEnd),
        anchorStart: m(e.anchorStart),
        anchorEnd: m(e.anchorEnd),
        tagStart: m(e.tagStart),
        tagEnd: m(e.tagEnd),
      };
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return { ...e, start: m(e.start), anchorStart: m(e.anchorStart), anchorEnd: m(e.anchorEnd), tagStart: m(e.tagStart), tagEnd: m(e.tagEnd) };
    case EVENT_ID.ALIAS:
      return { ...e, anchorStart: m(e.anchorStart), anchorEnd: m(e.anchorEnd) };
    default:
      return e;
  }
}

/** A YAMLException at an offset of the original text (positions of later errors are mapped back). */
function errorAt(text: string, pos: number, reason: string, filename?: string): unknown {
  try {
    YAMLException.throwAt(text, Math.max(0, Math.min(pos, text.length)), reason, filename);
  } catch (err) {
    return err;
  }
  return undefined;
}

interface ErrorInfo {
  reason: string;
  position: number;
}

function errorInfo(err: unknown): ErrorInfo | undefined {
  if (!(err instanceof YAMLException) || !err.mark) return undefined;
  return { reason: err.reason, position: err.mark.position };
}

/**
 * Parse events after js-yaml rejected `text` with `first`. When the rejection is one of the shapes
 * go-yaml accepts (see the kinds above), repair a copy of the text and parse again, as often as
 * needed; the events come back with offsets into `text`. Any other error ends the retry: the first
 * error when nothing could be repaired, else the later error at its place in `text`.
 */
export function parseEventsLeniently(text: string, options: ParserOptions, first: unknown): LenientResult {
  let info = errorInfo(first);
  if (!info) return { error: first };
  let src = text;
  const map = new OffsetMap();
  const notes = new Map<string, LenientNote>();
  const comments: CommentRepair[] = [];
  // Regions changed in place (tabs, comments), in original offsets, to check the scalars that span them.
  const touched: [number, number][] = [];
  let padLine = -1;
  let padStep = 0;
  let padTarget = 0;
  let repairs = 0;
  let work = 0;
  const budget = Math.max(4 * 1024 * 1024, WORK_FACTOR * text.length);
  const note = (kind: LenientKind, pos: number) => {
    const line = lineNumberAt(src, pos);
    const key = `${kind}:${line}`;
    if (!notes.has(key)) notes.set(key, { kind, line, message: MESSAGES[kind as Exclude<LenientKind, 'duplicate-key'>] });
  };

  for (;;) {
    const pos = info.position;
    const ls = lineStartOf(src, pos);
    let repaired = false;
    if (info.reason === 'deficient indentation') {
      const lead = src.slice(ls, pos);
      if (/^[ \t]*$/.test(lead)) {
        if (lead.includes('\t')) {
          src = replaceTabs(src, ls, pos);
          touched.push([map.toOriginal(ls), map.toOriginal(pos)]);
          note('tab', pos);
          repaired = true;
        } else if (!(lead === '' && isDocumentMarker(src, pos))) {
          const line = lineNumberAt(src, pos);
          const indent = pos - ls;
          padStep = line === padLine ? padStep * 2 : Math.max(1, padTarget - indent);
          if (padStep <= MAX_PAD) {
            map.insert(ls, padStep);
            src = `${src.slice(0, ls)}${' '.repeat(padStep)}${src.slice(ls)}`;
            padLine = line;
            padTarget = indent + padStep;
            note('indentation', ls);
            repaired = true;
          }
        }
      } else {
        // A tab on a line indented less than the collection: js-yaml throws right after the run of
        // white space that held it, or on a later token of a line whose indentation holds a tab.
        let from = pos;
        while (from > ls && isBlank(src[from - 1])) from--;
        let to = pos;
        if (!src.slice(from, to).includes('\t')) {
          from = ls;
          to = ls;
          while (isBlank(src[to])) to++;
        }
        if (src.slice(from, to).includes('\t')) {
          src = replaceTabs(src, from, to);
          touched.push([map.toOriginal(from), map.toOriginal(to)]);
          note('tab', pos);
          repaired = true;
        }
      }
    } else if (src[pos] === '#' && pos > 0) {
      const after = src[pos - 1] as string;
      if (after === '"' || after === "'" || after === ']' || after === '}' || endsBlockHeader(src, pos)) {
        const end = lineEndOf(src, pos);
        src = `${src.slice(0, pos)}${' '.repeat(end - pos)}${src.slice(end)}`;
        comments.push({ at: map.toOriginal(pos), after });
        touched.push([map.toOriginal(pos), map.toOriginal(end)]);
        note('comment', pos);
        repaired = true;
      }
    }
    if (!repaired) {
      // Nothing to repair here: the first error stands, or, after repairs, this one where it is in `text`.
      if (repairs === 0) return { error: first };
      return { error: errorAt(text, map.toOriginal(pos), info.reason, options.filename) };
    }
    if (++repairs > MAX_REPAIRS || work > budget) return { error: first };
    work += src.length;
    try {
      const events = parseEvents(src, options);
      return finish(text, src, events, map, comments, touched, [...notes.values()]) ?? { error: first };
    } catch (err) {
      const next = errorInfo(err);
      if (!next) return { error: err };
      info = next;
    }
  }
}

/** Map the events back to `text` and check that each repair read as go-yaml reads it; undefined if one did not. */
function finish(
  text: string,
  src: string,
  events: Event[],
  map: OffsetMap,
  comments: CommentRepair[],
  touched: [number, number][],
  notes: LenientNote[],
): LenientResult | undefined {
  const mapped = map.pads.length > 0 ? events.map((e) => mapEvent(e, map)) : events;
  const regions = [...touched, ...map.pads.map((p): [number, number] => [p.at, p.at + 1])];
  for (let i = 0; i < events.length; i++) {
    const e = mapped[i] as Event;
    if (e.type !== EVENT_ID.SCALAR || e.valueStart < 0) continue;
    // A repaired `#` must follow the scalar or collection it was written after, never sit inside a scalar.
    for (const c of comments) if (e.valueStart <= c.at - 1 && c.at - 1 < e.valueEnd) return undefined;
    // A scalar across a repaired span must read the same from the original text.
    if (regions.some(([a, b]) => e.valueStart < b && a < e.valueEnd)) {
      if (getScalarValue(text, e as ScalarEvent) !== getScalarValue(src, events[i] as ScalarEvent)) return undefined;
    }
  }
  for (const c of comments) {
    if (c.after !== '"' && c.after !== "'") continue;
    const style = c.after === '"' ? SCALAR_STYLE.DOUBLE_QUOTED : SCALAR_STYLE.SINGLE_QUOTED;
    if (!mapped.some((e) => e.type === EVENT_ID.SCALAR && e.style === style && e.valueEnd === c.at - 1)) return undefined;
  }
  return { events: mapped, notes: mergeNotes(notes) };
}

/** One note per run of consecutive lines of the same kind ("lines 7-12"). */
function mergeNotes(notes: LenientNote[]): LenientNote[] {
  const sorted = [...notes].sort((a, b) => a.line - b.line || a.kind.localeCompare(b.kind));
  const out: (LenientNote & { last: number })[] = [];
  for (const n of sorted) {
    const prev = out.findLast((o) => o.kind === n.kind);
    if (prev && prev.last + 1 >= n.line) prev.last = n.line;
    else out.push({ ...n, last: n.line });
  }
  return out.map(({ last, ...n }) => (last > n.line ? { ...n, message: `lines ${n.line}-${last}: ${n.message}` } : n));
}

export function isDuplicateKeyError(err: unknown): boolean {
  return err instanceof YAMLException && err.reason === 'duplicated mapping key';
}

/**
 * Drop every mapping entry whose key comes again later in the same mapping, as kubectl does (the last
 * value wins). Keys are compared by their string value; merge keys (`<<`), alias and collection keys
 * are left to js-yaml. Undefined when a dropped entry holds an anchor (an alias may still need it).
 */
export function dropDuplicateKeys(events: readonly Event[], text: string): { events: Event[]; notes: LenientNote[] } | undefined {
  const n = events.length;
  const end = new Int32Array(n);
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = (events[i] as Event).type;
    if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE || t === EVENT_ID.DOCUMENT) stack.push(i);
    else if (t === EVENT_ID.POP) end[stack.pop() as number] = i;
  }
  const next = (i: number): number => {
    const t = (events[i] as Event).type;
    return t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE ? (end[i] as number) + 1 : i + 1;
  };
  const drop = new Uint8Array(n);
  const notes: LenientNote[] = [];
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (pos: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  for (let i = 0; i < n; i++) {
    const m = events[i] as Event;
    if (m.type !== EVENT_ID.MAPPING) continue;
    const last = new Map<string, number>();
    const entries: { key: number; end: number; name?: string }[] = [];
    for (let k = i + 1; k < (end[i] as number); ) {
      const valueAt = next(k);
      const entryEnd = next(valueAt);
      const key = events[k] as Event;
      let name: string | undefined;
      if (key.type === EVENT_ID.SCALAR) {
        name = getScalarValue(text, key);
        if (name === '<<' && key.style === SCALAR_STYLE.PLAIN) name = undefined;
      }
      entries.push({ key: k, end: entryEnd, name });
      if (name !== undefined) last.set(name, k);
      k = entryEnd;
    }
    for (const e of entries) {
      if (e.name === undefined || last.get(e.name) === e.key) continue;
      for (let j = e.key; j < e.end; j++) {
        const ev = events[j] as Event;
        if ('anchorStart' in ev && ev.anchorStart >= 0 && ev.type !== EVENT_ID.ALIAS) return undefined;
        drop[j] = 1;
      }
      const kept = events[last.get(e.name) as number] as ScalarEvent;
      const line = lineOf((events[e.key] as ScalarEvent).valueStart);
      notes.push({
        kind: 'duplicate-key',
        line,
        message: `duplicate key \`${e.name}\` (again on line ${lineOf(kept.valueStart)}): kubectl create/apply keep the last value, which is the one scanned; kubectl kustomize rejects the file`,
      });
    }
  }
  if (notes.length === 0) return undefined;
  return { events: events.filter((_, i) => drop[i] === 0), notes };
}

/**
 * The events of a file that was parsed leniently, derived again (parse.ts `releaseEvents`): the same
 * steps as the first parse, so the same events. Throws if the text no longer parses that way.
 */
export function reparseLeniently(text: string, options: ParserOptions, duplicates: boolean): Event[] {
  let events: Event[];
  try {
    events = parseEvents(text, options);
  } catch (err) {
    const retry = parseEventsLeniently(text, options, err);
    if ('error' in retry) throw retry.error;
    events = retry.events;
  }
  if (duplicates) events = dropDuplicateKeys(events, text)?.events ?? events;
  return events;
}
