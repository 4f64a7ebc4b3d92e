import { createRequire } from 'node:module';
import type { Event } from 'js-yaml';
import { dropDuplicateKeys, isDuplicateKeyError, type LenientNote, parseEventsLeniently, reparseLeniently } from './lenient.js';
import { indexEvents } from './parse-index.js';

// js-yaml's ES module build parses 2-3x slower than its CommonJS build of the same source on Node 20
// (its parser state objects, built with object spread, leave the hot functions' property accesses
// megamorphic; measured in bench/scan.bench.ts). The parse runs on the CommonJS build; both builds
// emit the same plain event objects, so the rest of the code keeps importing the ES module.
const { CORE_SCHEMA, constructFromEvents, mergeTag, parseEvents, YAMLException } = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml');

/** Limits that keep hostile input bounded in time and memory. */
export interface ParseLimits {
  /** Byte cap per file (default 1 MiB). */
  maxBytes: number;
  /** Maximum nesting depth of collections. */
  maxDepth: number;
  /** Maximum alias nodes (`*ref`) per document. */
  maxAliases: number;
  /** Maximum number of nodes once aliases are expanded (alias bombs). */
  maxExpandedNodes: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxAliases: 100,
  maxExpandedNodes: 200_000,
};

export type YamlErrorReason = 'syntax' | 'too-large' | 'encoding' | 'binary' | 'depth' | 'aliases';

export interface YamlError {
  reason: YamlErrorReason;
  message: string;
  /** 1-based. */
  line: number;
  column: number;
}

export interface ParsedDoc {
  index: number;
  value: unknown;
  /** Event index of the document's root node. */
  root: number;
}

export interface ParsedFile {
  path: string;
  /** Text without a leading BOM; offsets in events refer to it. */
  text: string;
  bom: boolean;
  eol: '\n' | '\r\n';
  lineStarts: number[];
  events: Event[];
  /** For a collection event, the index of its closing POP event; otherwise 0. */
  ends: Int32Array;
  /** Anchor name -> event index of the anchored node (the last definition in the file). */
  anchors: Map<string, number>;
  /**
   * For an ALIAS event, the event index of the node it refers to (the closest definition before it,
   * so anchors redefined later or in another document resolve right); -1 otherwise.
   */
  aliasTargets: Int32Array;
  docs: ParsedDoc[];
  error?: YamlError;
  /**
   * Set when js-yaml rejected the text but Kubernetes' parser (go-yaml) accepts it, and the file was
   * parsed the way go-yaml reads it (lenient.ts): one entry per shape and place. Positions stay exact;
   * fixes are not written to such a file.
   */
  lenient?: LenientNote[];
}

const SCHEMA = CORE_SCHEMA.withTags(mergeTag);
// ignoreBOM keeps the mark in the text so that `bom` records it (fixes must write it back).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function computeLineStarts(text: string): number[] {
  const starts = [0];
  let i = text.indexOf('\n');
  while (i !== -1) {
    starts.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return starts;
}

/** 1-based line and column of a 0-based offset. */
export function lineColAt(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (lineStarts[lo] as number) + 1 };
}

function emptyFile(path: string, text: string, error: YamlError): ParsedFile {
  return {
    path,
    text,
    bom: false,
    eol: '\n',
    lineStarts: computeLineStarts(text),
    events: [],
    ends: new Int32Array(0),
    anchors: new Map(),
    aliasTargets: new Int32Array(0),
    docs: [],
    error,
  };
}

/** Decode bytes as strict UTF-8; binary content and invalid encodings are errors, not garbage. */
export function decodeSource(content: string | Uint8Array): { text: string } | { error: YamlError } {
  if (typeof content === 'string') return { text: content };
  const nul = content.indexOf(0);
  if (nul !== -1) {
    const line = countNewlines(content, nul) + 1;
    return { error: { reason: 'binary', message: 'file contains binary data (a NUL byte); not YAML', line, column: 1 } };
  }
  try {
    return { text: utf8.decode(content) };
  } catch {
    return { error: { reason: 'encoding', message: 'file is not valid UTF-8', line: 1, column: 1 } };
  }
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 10) n++;
  return n;
}

/**
 * Whether the content is over `maxBytes` bytes (UTF-8 for a string). A UTF-16 code unit takes one to three
 * bytes in UTF-8, so most strings are decided by their length without counting their bytes (a pass over
 * the text).
 */
function tooLarge(content: string | Uint8Array, maxBytes: number): boolean {
  if (typeof content !== 'string') return content.byteLength > maxBytes;
  if (content.length > maxBytes) return true;
  if (content.length * 3 <= maxBytes) return false;
  return Buffer.byteLength(content, 'utf8') > maxBytes;
}

/**
 * Parse one file into documents with a position index. One `parseEvents` pass serves both the
 * constructed values and the positions. Never throws: every failure is a `YamlError` on the result.
 */
export function parseYamlFile(path: string, content: string | Uint8Array, limits: ParseLimits = DEFAULT_LIMITS): ParsedFile {
  if (tooLarge(content, limits.maxBytes)) {
    // Readers may stop at maxBytes + 1 bytes: a size of exactly that may be a cut read, so only a larger one is told.
    const size = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength;
    return emptyFile(path, '', {
      reason: 'too-large',
      message: `${size > limits.maxBytes + 1 ? `${size} bytes, ` : ''}larger than the ${limits.maxBytes}-byte limit`,
      line: 1,
      column: 1,
    });
  }
  const decoded = decodeSource(content);
  if ('error' in decoded) return emptyFile(path, '', decoded.error);
  let text = decoded.text;
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  if (text.includes('\0')) {
    return emptyFile(path, text, { reason: 'binary', message: 'file contains binary data (a NUL character); not YAML', line: 1, column: 1 });
  }
  const lineStarts = computeLineStarts(text);
  const nl = text.indexOf('\n');
  const eol = nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
  const base = { path, text, bom, eol, lineStarts } as const;

  const parseOptions = { filename: path, maxDepth: limits.maxDepth };
  let events: Event[];
  const lenient: LenientNote[] = [];
  const failed = (
    error: YamlError,
    events: Event[] = [],
    index?: { ends: Int32Array; anchors: Map<string, number>; aliasTargets: Int32Array },
  ): ParsedFile => ({
    ...base,
    events,
    ends: index?.ends ?? new Int32Array(0),
    anchors: index?.anchors ?? new Map(),
    aliasTargets: index?.aliasTargets ?? new Int32Array(0),
    docs: [],
    error,
  });
  try {
    events = parseEvents(text, parseOptions);
  } catch (err) {
    // js-yaml is stricter than go-yaml in a few shapes Kubernetes accepts: read those as go-yaml does.
    const retry = parseEventsLeniently(text, parseOptions, err);
    if ('error' in retry) return failed(toYamlError(retry.error, text, lineStarts));
    events = retry.events;
    lenient.push(...retry.notes);
  }

  let index = indexEvents(events, text, limits.maxExpandedNodes);
  if ('error' in index) return failed(withLine(index.error, lineStarts), events);

  const construct = (): unknown[] => constructFromEvents(events, { source: text, filename: path, schema: SCHEMA, maxAliases: limits.maxAliases });
  let values: unknown[];
  try {
    values = construct();
  } catch (err) {
    // A repeated key: kubectl create/apply keep the last value (lenient.ts), so the earlier entries are dropped.
    const deduped = isDuplicateKeyError(err) ? dropDuplicateKeys(events, text) : undefined;
    if (!deduped) return failed(toYamlError(err, text, lineStarts), events, index);
    events = deduped.events;
    lenient.push(...deduped.notes);
    index = indexEvents(events, text, limits.maxExpandedNodes);
    if ('error' in index) return failed(withLine(index.error, lineStarts), events);
    try {
      values = construct();
    } catch (again) {
      return failed(toYamlError(again, text, lineStarts), events, index);
    }
  }
  const docs: ParsedDoc[] = index.roots.map((root, i) => ({ index: i, value: values[i], root }));
  const file: ParsedFile = { ...base, events, ends: index.ends, anchors: index.anchors, aliasTargets: index.aliasTargets, docs };
  if (lenient.length > 0) file.lenient = lenient.sort((a, b) => a.line - b.line);
  return file;
}

/**
 * The same parse without its event index in memory: path, text, line starts, documents (values and
 * roots) and error stay; `events`, `ends`, `anchors` and `aliasTargets` are derived again (one
 * `parseEvents` pass, no construction) the first time something reads them, and then kept. The
 * events hold most of a parse's memory (about twenty times the text), so a scan that keeps every file
 * for later fixes keeps them this way: only the files that get fixed pay for their events again.
 * A parse that failed is returned as it is.
 */
export function releaseEvents(file: ParsedFile, limits: ParseLimits = DEFAULT_LIMITS): ParsedFile {
  if (file.error) return file;
  // The closures below must not reach `file`: it holds the events this is about to let go.
  const { path, text, bom, eol, lineStarts, docs, lenient } = file;
  const { maxDepth, maxExpandedNodes } = limits;
  const duplicates = lenient?.some((n) => n.kind === 'duplicate-key') ?? false;
  let index: Pick<ParsedFile, 'events' | 'ends' | 'anchors' | 'aliasTargets'> | undefined;
  const derive = (): NonNullable<typeof index> => {
    if (index) return index;
    // The text parsed within these limits once, so it parses again to the same events.
    const events = lenient ? reparseLeniently(text, { filename: path, maxDepth }, duplicates) : parseEvents(text, { filename: path, maxDepth });
    const built = indexEvents(events, text, maxExpandedNodes);
    if ('error' in built) throw new Error(`${path}: the event index could not be rebuilt (${built.error.message})`);
    index = { events, ends: built.ends, anchors: built.anchors, aliasTargets: built.aliasTargets };
    return index;
  };
  return {
    path,
    text,
    bom,
    eol,
    lineStarts,
    docs,
    ...(lenient ? { lenient } : {}),
    get events() {
      return derive().events;
    },
    get ends() {
      return derive().ends;
    },
    get anchors() {
      return derive().anchors;
    },
    get aliasTargets() {
      return derive().aliasTargets;
    },
  };
}

function withLine(error: { reason: YamlErrorReason; message: string; offset: number }, lineStarts: number[]): YamlError {
  const { line, column } = lineColAt(lineStarts, error.offset);
  return { reason: error.reason, message: error.message, line, column };
}

/** js-yaml names its options in limit errors; say what happened instead. */
function plainLimitMessage(reason: string): string {
  const depth = /nesting exceeded maxDepth \((\d+)\)/.exec(reason);
  if (depth) return `nested deeper than ${depth[1]} levels; not scanned`;
  const aliases = /aliases exceeded maxAliases \((\d+)\)/.exec(reason);
  if (aliases) return `more than ${aliases[1]} aliases in one document; not scanned`;
  return reason;
}

/** js-yaml marks the `:` of a bad mapping entry; point at the start of its key instead. */
function keyStartBefore(text: string, pos: number): number {
  if (text[pos] !== ':') return pos;
  let i = pos;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  while (i > 0 && !/[\s\n\r]/.test(text[i - 1] as string)) i--;
  return Math.min(i, pos);
}

function toYamlError(err: unknown, text: string, lineStarts: number[]): YamlError {
  if (err instanceof YAMLException) {
    // Show tags as users write them: `!!js/function`, `!foo`, not the resolved `!<tag:yaml.org,2002:js/function>`.
    const reason = (err.reason ?? 'invalid YAML').replace(/!<tag:yaml\.org,2002:([^>]*)>/g, '!!$1').replace(/!<(![^>]*)>/g, '$1');
    const kind: YamlErrorReason = /nesting|depth/i.test(reason) ? 'depth' : /alias/i.test(reason) ? 'aliases' : 'syntax';
    const message = plainLimitMessage(reason);
    if (err.mark) {
      // Lines are counted as editors and GitHub count them (LF), from the error's offset: js-yaml also
      // breaks lines at a lone CR, which would point past the end of the file.
      const { line, column } = lineColAt(lineStarts, keyStartBefore(text, Math.min(err.mark.position, text.length)));
      return { reason: kind, message, line, column };
    }
    return { reason: kind, message, line: 1, column: 1 };
  }
  // A RangeError (stack overflow) or anything else the parser throws is still a finding, never a crash.
  const message = err instanceof Error ? err.message : String(err);
  return { reason: 'syntax', message: `could not parse: ${message}`, line: 1, column: 1 };
}
