import { EVENT_ID, type Event, getScalarValue, type ScalarEvent } from 'js-yaml';
import type { Path } from '../core/types.js';
import { lineColAt, type ParsedFile } from './parse.js';

/** Index of the event after the subtree that starts at `i`. */
export function nextSibling(file: ParsedFile, i: number): number {
  const e = file.events[i] as Event;
  return e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE ? (file.ends[i] as number) + 1 : i + 1;
}

function scalarText(file: ParsedFile, e: ScalarEvent): string {
  if (e.valueStart < 0) return '';
  if (e.fast && e.style === 1) return file.text.slice(e.valueStart, e.valueEnd);
  return getScalarValue(file.text, e);
}

export interface MappingEntry {
  key: string;
  keyEvent: number;
  valueEvent: number;
}

/**
 * Entries already listed, per events array (one per parse) and mapping event: the fix planner walks the
 * same mappings from the document root once per op, and a position is looked up the same way per finding.
 */
const entriesOf = new WeakMap<readonly Event[], Map<number, MappingEntry[]>>();

/** Entries of the mapping at event `i`, in source order (empty for anything else). Shared: do not change the array. */
export function mappingEntries(file: ParsedFile, i: number): MappingEntry[] {
  const events = file.events;
  const e = events[i] as Event;
  if (e.type !== EVENT_ID.MAPPING) return [];
  let known = entriesOf.get(events);
  if (!known) {
    known = new Map();
    entriesOf.set(events, known);
  }
  const hit = known.get(i);
  if (hit) return hit;
  const out = listEntries(file, i);
  known.set(i, out);
  return out;
}

function listEntries(file: ParsedFile, i: number): MappingEntry[] {
  const out: MappingEntry[] = [];
  let j = i + 1;
  const end = file.ends[i] as number;
  while (j < end) {
    const k = file.events[j] as Event;
    const v = nextSibling(file, j);
    const key = k.type === EVENT_ID.SCALAR ? scalarText(file, k) : '';
    out.push({ key, keyEvent: j, valueEvent: v });
    j = nextSibling(file, v);
  }
  return out;
}

/** Item event indexes of the sequence at event `i`. */
export function sequenceItems(file: ParsedFile, i: number): number[] {
  const e = file.events[i] as Event;
  if (e.type !== EVENT_ID.SEQUENCE) return [];
  const out: number[] = [];
  const end = file.ends[i] as number;
  for (let j = i + 1; j < end; j = nextSibling(file, j)) out.push(j);
  return out;
}

export interface Located {
  /** Event of the value at the deepest path prefix that exists. */
  node: number;
  /** Key event of that value when its parent is a mapping. */
  keyEvent?: number;
  /** How many path segments were matched (equals path length when the whole path exists). */
  depth: number;
  /** The walk went through an alias or a merge key: the text there is shared with other places. */
  viaAlias: boolean;
}

/** True when the scalar key event `k` reads `name`; plain keys compare in place, without building a string. */
function keyIs(file: ParsedFile, k: ScalarEvent, name: string): boolean {
  if (k.valueStart < 0) return name === '';
  if (k.fast && k.style === 1) return k.valueEnd - k.valueStart === name.length && file.text.startsWith(name, k.valueStart);
  return getScalarValue(file.text, k) === name;
}

// What `stepInto` found, in module registers rather than a returned object: it runs once per path
// segment of every finding.
let stepNode = -1;
let stepKey = -1;
let stepAlias = false;

/**
 * One segment of `locate` from the event `node`: sets `stepNode` to the value found (-1 when the segment
 * does not exist), `stepKey` to its key event (-1 when its parent is not a mapping), and `stepAlias` when
 * the step went through an alias, or did not find the key in a mapping that has a merge key.
 */
function stepInto(file: ParsedFile, events: readonly Event[], from: number, seg: Path[number]): void {
  let node = from;
  let e = events[node] as Event;
  stepNode = -1;
  stepKey = -1;
  stepAlias = false;
  if (e.type === EVENT_ID.ALIAS) {
    const target = file.aliasTargets[node] ?? -1;
    if (target < 0) return;
    node = target;
    stepAlias = true;
    e = events[node] as Event;
  }
  if (typeof seg === 'string' && e.type === EVENT_ID.MAPPING) {
    const end = file.ends[node] as number;
    let merge = false;
    for (let j = node + 1; j < end; ) {
      const k = events[j] as Event;
      const v = nextSibling(file, j);
      if (k.type === EVENT_ID.SCALAR) {
        if (keyIs(file, k, seg)) {
          stepNode = v;
          stepKey = j;
          return;
        }
        if (!merge && keyIs(file, k, '<<')) merge = true;
      }
      j = nextSibling(file, v);
    }
    if (merge) stepAlias = true;
  } else if (typeof seg === 'number' && e.type === EVENT_ID.SEQUENCE) {
    const end = file.ends[node] as number;
    let j = node + 1;
    for (let n = 0; n < seg && j < end; n++) j = nextSibling(file, j);
    if (seg >= 0 && j < end) stepNode = j;
  }
}

/**
 * Follow `path` from the event `root`; stops at the deepest existing prefix. Runs once per finding,
 * so it walks the events in place and allocates nothing per step.
 */
export function locate(file: ParsedFile, root: number, path: Path): Located {
  const events = file.events;
  let node = root;
  let keyEvent: number | undefined;
  let viaAlias = false;
  let depth = 0;
  for (const seg of path) {
    stepInto(file, events, node, seg);
    if (stepAlias) viaAlias = true;
    if (stepNode < 0) break;
    node = stepNode;
    keyEvent = stepKey < 0 ? undefined : stepKey;
    depth++;
  }
  const out: Located = { node, depth, viaAlias };
  if (keyEvent !== undefined) out.keyEvent = keyEvent;
  return out;
}

/** Start offset of the node at event `i` (including its anchor or tag); -1 for an empty scalar. */
export function nodeStart(file: ParsedFile, i: number): number {
  const e = file.events[i] as Event;
  let start = -1;
  if (e.type === EVENT_ID.SCALAR) {
    start = e.valueStart < 0 ? -1 : e.style === 2 || e.style === 3 ? e.valueStart - 1 : e.valueStart;
    if (e.style === 4 || e.style === 5) start = blockScalarHeader(file.text, e.valueStart);
  } else if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) {
    start = e.start;
  } else if (e.type === EVENT_ID.ALIAS) {
    // js-yaml's anchor offsets are those of the name: the `*` (or `&`) sits just before.
    return e.anchorStart - 1;
  } else {
    return -1;
  }
  if (e.anchorStart >= 0 && (start < 0 || e.anchorStart - 1 < start)) start = e.anchorStart - 1;
  if (e.tagStart >= 0 && (start < 0 || e.tagStart < start)) start = e.tagStart;
  return start;
}

function blockScalarHeader(text: string, valueStart: number): number {
  let i = valueStart - 1;
  while (i > 0 && text[i] !== '|' && text[i] !== '>') i--;
  return i;
}

/** For each POP event of a collection, the event that opened it (built once per file). */
const OPENERS = new WeakMap<ParsedFile, Int32Array>();

function openers(file: ParsedFile): Int32Array {
  let out = OPENERS.get(file);
  if (!out) {
    out = new Int32Array(file.events.length).fill(-1);
    for (let i = 0; i < file.events.length; i++) {
      const t = (file.events[i] as Event).type;
      if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE) out[file.ends[i] as number] = i;
    }
    OPENERS.set(file, out);
  }
  return out;
}

/** The child of collection `parent` just before the child (or closing event) at `j`; `parent` itself when none. */
function previousSibling(file: ParsedFile, parent: number, j: number): number {
  const k = j - 1;
  if (k <= parent) return parent;
  return (file.events[k] as Event).type === EVENT_ID.POP ? (openers(file)[k] as number) : k;
}

/** End offset (exclusive) of the node at event `i`; -1 for an empty scalar. */
export function nodeEnd(file: ParsedFile, i: number): number {
  const e = file.events[i] as Event;
  if (e.type === EVENT_ID.SCALAR) {
    if (e.valueStart < 0) return e.anchorEnd >= 0 ? e.anchorEnd : e.tagEnd;
    if (e.style === 2 || e.style === 3) return e.valueEnd + 1;
    return e.valueEnd;
  }
  if (e.type === EVENT_ID.ALIAS) return e.anchorEnd;
  if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) {
    // The end of the last child that has one (an empty value has none), measured from that child, so a
    // nested flow collection's own bracket is not taken for this one's.
    let last = -1;
    for (let child = previousSibling(file, i, file.ends[i] as number); child > i && last < 0; child = previousSibling(file, i, child)) {
      last = nodeEnd(file, child);
    }
    if (e.style === 2) {
      const bracket = e.type === EVENT_ID.MAPPING ? '}' : ']';
      const from = last < 0 ? e.start + 1 : last;
      // Only separators, blanks and comments may stand between the last child and the bracket.
      const gap = /(?:[\s,]|#[^\n]*)*/y;
      gap.lastIndex = from;
      gap.exec(file.text);
      if (file.text[gap.lastIndex] === bracket) return gap.lastIndex + 1;
      const at = file.text.indexOf(bracket, from);
      return at < 0 ? from : at + 1;
    }
    return last < 0 ? e.start : last;
  }
  return -1;
}

/** 1-based line and column of the place a finding about `path` should point at. */
export function positionOf(file: ParsedFile, root: number, path: Path): { line: number; column: number; endLine: number; exact: boolean } {
  const loc = locate(file, root, path);
  const anchorEvent = loc.keyEvent ?? loc.node;
  let start = nodeStart(file, anchorEvent);
  if (start < 0) start = nodeStart(file, loc.node);
  if (start < 0) start = 0;
  let end = nodeEnd(file, loc.node);
  if (end < start) end = start;
  const s = lineColAt(file.lineStarts, start);
  const en = lineColAt(file.lineStarts, Math.max(start, end - 1));
  return { line: s.line, column: s.column, endLine: en.line, exact: loc.depth === path.length };
}

/** 0-based index of the line holding the 0-based `offset` (`lineColAt` without its object). */
function lineIndexAt(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * `positionOf` for the many findings of one file, with the same results. A scan reports findings object by
 * object and rule by rule, so consecutive paths share long prefixes (`spec.template.spec.containers[0]...`):
 * the locator keeps the events it reached for each segment of the last path and walks only the rest of the
 * next one. It also remembers the end offset of each collection it measured (`nodeEnd` walks down the last
 * children), and writes the position to its own fields instead of allocating objects. One per parsed file.
 */
export class PathLocator {
  /** The position found by the last `position` call. */
  line = 0;
  column = 0;
  endLine = 0;
  private root = -1;
  /**
   * The first `found` segments of the last path, those that exist; the node reached after each (index d + 1)
   * and its key event (-1: none). A count rather than the arrays' length: setting `length` is a slow call.
   */
  private readonly segs: Path[number][] = [];
  private found = 0;
  private readonly nodes: number[] = [];
  private readonly keys: number[] = [];
  /** nodeEnd per collection event, -2 until measured. */
  private ends: Int32Array | undefined;

  constructor(private readonly file: ParsedFile) {}

  /** `positionOf(file, root, path)`; sets `line`, `column` and `endLine`. */
  position(root: number, path: Path): void {
    const file = this.file;
    const depth = this.walk(root, path);
    const node = this.nodes[depth] as number;
    const key = this.keys[depth] as number;
    let start = nodeStart(file, key >= 0 ? key : node);
    if (start < 0) start = nodeStart(file, node);
    if (start < 0) start = 0;
    let end = this.nodeEnd(node);
    if (end < start) end = start;
    const lineStarts = file.lineStarts;
    const line = lineIndexAt(lineStarts, start);
    this.line = line + 1;
    this.column = start - (lineStarts[line] as number) + 1;
    this.endLine = lineIndexAt(lineStarts, Math.max(start, end - 1)) + 1;
  }

  /**
   * Walk `path` from `root`, from the deepest segment it shares with the last path walked; returns how many
   * segments were found (the state after them is at that index of `nodes` and `keys`).
   */
  private walk(root: number, path: Path): number {
    const { segs, nodes, keys } = this;
    if (root !== this.root) {
      this.root = root;
      this.found = 0;
      nodes[0] = root;
      keys[0] = -1;
    }
    let d = 0;
    const known = Math.min(this.found, path.length);
    while (d < known && segs[d] === path[d]) d++;
    const events = this.file.events;
    for (; d < path.length; d++) {
      const seg = path[d] as Path[number];
      stepInto(this.file, events, nodes[d] as number, seg);
      if (stepNode < 0) break;
      segs[d] = seg;
      nodes[d + 1] = stepNode;
      keys[d + 1] = stepKey;
    }
    this.found = d;
    return d;
  }

  private nodeEnd(i: number): number {
    const file = this.file;
    const type = (file.events[i] as Event).type;
    if (type !== EVENT_ID.MAPPING && type !== EVENT_ID.SEQUENCE) return nodeEnd(file, i);
    if (!this.ends) this.ends = new Int32Array(file.events.length).fill(-2);
    let end = this.ends[i] as number;
    if (end === -2) {
      end = nodeEnd(file, i);
      this.ends[i] = end;
    }
    return end;
  }
}

/** First and last 1-based line of the document with root event `root`. */
export function documentLines(file: ParsedFile, root: number): { start: number; end: number } {
  const s = nodeStart(file, root);
  const e = nodeEnd(file, root);
  if (s < 0) return { start: 1, end: 1 };
  return { start: lineColAt(file.lineStarts, s).line, end: lineColAt(file.lineStarts, Math.max(s, e - 1)).line };
}

/**
 * Where positions found in `view` land in the file: `view` is the file itself (a JSON6902 op list, with
 * `toView` from a partial object's paths to the op's `value`) or a YAML text embedded in it (an inline
 * kustomize patch's string, placed by `shift` or, when its lines do not map, `fixed` at the string).
 */
export interface EmbeddedView {
  view: ParsedFile;
  root: number;
  /** Path of the embedded text in the file's document, put before paths in the view. */
  prefix: Path;
  toView?: (p: Path) => Path;
  /** A literal block scalar: its lines and columns, moved to the file's. */
  shift?: { line: number; column: number };
  /** Any other scalar: everything sits at the string. */
  fixed?: { line: number; column: number; endLine: number };
}

export interface Placed {
  path: Path;
  line: number;
  column: number;
  endLine: number;
}

/** Position of `path` (and the end of `endAt`) of a view, in the file's lines; the path as seen from the file. */
export function positionIn(place: EmbeddedView, path: Path, endAt?: Path): Placed {
  const inView = place.toView ? place.toView(path) : path;
  const pos = positionOf(place.view, place.root, inView);
  const end = endAt ? positionOf(place.view, place.root, place.toView ? place.toView(endAt) : endAt).endLine : 0;
  const full = place.prefix.length > 0 ? [...place.prefix, ...inView] : inView;
  if (place.fixed) return { path: full, ...place.fixed };
  const dl = place.shift?.line ?? 0;
  return { path: full, line: pos.line + dl, column: pos.column + (place.shift?.column ?? 0), endLine: Math.max(pos.endLine, end) + dl };
}

/**
 * How the lines of the string at `path` (whose value is `text`) map onto the file: a literal block (`|`)
 * keeps its lines, moved by its header line and indentation; any other style is placed as a whole.
 */
export function embeddedPlacement(
  file: ParsedFile,
  root: number,
  path: Path,
  text: string,
): { line: number; shift?: EmbeddedView['shift']; fixed?: EmbeddedView['fixed'] } {
  const whole = positionOf(file, root, path);
  const e = file.events[locate(file, root, path).node] as Event;
  const lines = text.split('\n');
  const k = lines.findIndex((l) => l.trim() !== '');
  if (e.type === EVENT_ID.SCALAR && e.style === 4 && e.valueStart >= 0 && k >= 0) {
    // The content starts on the line after the header; its first non-blank line gives the indentation.
    const first = lineColAt(file.lineStarts, e.valueStart).line;
    const start = file.lineStarts[first - 1 + k] ?? 0;
    const eol = file.text.indexOf('\n', start);
    const fileLine = file.text.slice(start, eol < 0 ? undefined : eol);
    const lead = (t: string): number => t.length - t.trimStart().length;
    return { line: whole.line, shift: { line: first - 1, column: lead(fileLine) - lead(lines[k] as string) } };
  }
  return { line: whole.line, fixed: { line: whole.line, column: whole.column, endLine: whole.endLine } };
}
