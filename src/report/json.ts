import { type Finding, type Notice, pathToString, type ScanResult, SEVERITIES, type Severity } from '../core/types.js';

export interface ScanSummary {
  filesScanned: number;
  resourcesScanned: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  suppressed: number;
  notices: number;
  noticesByKind: Record<string, number>;
}

export function summarize(result: ScanResult): ScanSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of result.findings) bySeverity[f.severity]++;
  const noticesByKind: Record<string, number> = {};
  for (const n of result.notices) noticesByKind[n.kind] = (noticesByKind[n.kind] ?? 0) + 1;
  return {
    filesScanned: result.filesScanned,
    resourcesScanned: result.resourcesScanned,
    findings: result.findings.length,
    bySeverity,
    suppressed: result.suppressed.length,
    notices: result.notices.length,
    noticesByKind,
  };
}

export interface JsonFinding {
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  path: string;
  resource?: { apiVersion: string; kind: string; namespace?: string; name: string; docIndex: number };
  container?: string;
  pss?: { control: string; level: string };
  /** Baseline rules this finding stands in for: their suppressions and settings cover it. */
  alsoFor?: string[];
  fingerprint: string;
  fix?: { title: string; confidence: string };
  suppression?: { by: string; reason?: string };
  sources: string[];
  /** The same problem as external scanners report it, with their ids. */
  alsoReportedBy?: { tool: string; id: string }[];
}

/** One finding with a fixed key order, so the JSON output diffs cleanly between runs. */
export function jsonFinding(f: Finding): JsonFinding {
  const r = f.resource;
  const s = f.suppressed;
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    title: f.title,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    path: pathToString(f.path),
    ...(r
      ? {
          resource: {
            apiVersion: r.apiVersion,
            kind: r.kind,
            ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
            name: r.name,
            docIndex: r.docIndex,
          },
        }
      : {}),
    ...(f.container !== undefined ? { container: f.container } : {}),
    ...(f.pss ? { pss: { control: f.pss.control, level: f.pss.level } } : {}),
    ...(f.alsoFor ? { alsoFor: [...f.alsoFor] } : {}),
    fingerprint: f.fingerprint,
    ...(f.fix ? { fix: { title: f.fix.title, confidence: f.fix.confidence } } : {}),
    ...(s ? { suppression: { by: s.by, ...(s.reason !== undefined ? { reason: s.reason } : {}) } } : {}),
    sources: [...f.sources],
    ...(f.alsoReportedBy && f.alsoReportedBy.length > 0 ? { alsoReportedBy: f.alsoReportedBy.map((r) => ({ tool: r.tool, id: r.id })) } : {}),
  };
}

/** Thrown by `leaf` when a value is not a JSON primitive: the finding is then written the slow way. */
const NOT_PLAIN = Symbol('not plain');

/** What JSON.stringify escapes in a string: quotes, backslashes, controls and (lone) surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A primitive as JSON.stringify writes it; anything else (undefined, an object) leaves the fast path.
 * Most strings need no escape: quoting them directly is several times faster than a JSON.stringify call.
 */
function leaf(v: unknown): string {
  if (typeof v === 'string') return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`;
  if (typeof v === 'number') return Number.isFinite(v) ? `${v}` : 'null';
  if (typeof v === 'boolean' || v === null) return JSON.stringify(v);
  throw NOT_PLAIN;
}

function leafArray(xs: unknown, indent: string): string {
  if (!Array.isArray(xs)) throw NOT_PLAIN;
  if (xs.length === 0) return '[]';
  const inner = `${indent}  `;
  let out = '[';
  for (let i = 0; i < xs.length; i++) out += `${i === 0 ? '' : ','}\n${inner}${leaf(xs[i])}`;
  return `${out}\n${indent}]`;
}

/**
 * `jsonFinding(f)` as `JSON.stringify(…, null, 2)` writes it at `indent`, without building the object or
 * re-indenting its text: the hot loop of a large report. Keys and conditions mirror jsonFinding one for
 * one (test/report/stream.test.ts holds them equal); a value of an unexpected type takes the slow way.
 */
export function jsonFindingText(f: Finding, indent: string): string {
  try {
    return findingText(f, indent);
  } catch (err) {
    if (err !== NOT_PLAIN) throw err;
    return stringifyAt(jsonFinding(f), indent) as string;
  }
}

function findingText(f: Finding, indent: string): string {
  const a = `${indent}  `;
  const b = `${a}  `;
  const r = f.resource;
  const s = f.suppressed;
  let out = `{\n${a}"ruleId": ${leaf(f.ruleId)},\n${a}"severity": ${leaf(f.severity)},\n${a}"title": ${leaf(f.title)},\n${a}"message": ${leaf(f.message)},\n${a}"file": ${leaf(f.file)},\n${a}"line": ${leaf(f.line)},\n${a}"column": ${leaf(f.column)},\n${a}"endLine": ${leaf(f.endLine)},\n${a}"path": ${leaf(pathToString(f.path))}`;
  if (r) {
    out += `,\n${a}"resource": {\n${b}"apiVersion": ${leaf(r.apiVersion)},\n${b}"kind": ${leaf(r.kind)}`;
    if (r.namespace !== undefined) out += `,\n${b}"namespace": ${leaf(r.namespace)}`;
    out += `,\n${b}"name": ${leaf(r.name)},\n${b}"docIndex": ${leaf(r.docIndex)}\n${a}}`;
  }
  if (f.container !== undefined) out += `,\n${a}"container": ${leaf(f.container)}`;
  if (f.pss) out += `,\n${a}"pss": {\n${b}"control": ${leaf(f.pss.control)},\n${b}"level": ${leaf(f.pss.level)}\n${a}}`;
  if (f.alsoFor) out += `,\n${a}"alsoFor": ${leafArray(f.alsoFor, a)}`;
  out += `,\n${a}"fingerprint": ${leaf(f.fingerprint)}`;
  if (f.fix) out += `,\n${a}"fix": {\n${b}"title": ${leaf(f.fix.title)},\n${b}"confidence": ${leaf(f.fix.confidence)}\n${a}}`;
  if (s) out += `,\n${a}"suppression": {\n${b}"by": ${leaf(s.by)}${s.reason !== undefined ? `,\n${b}"reason": ${leaf(s.reason)}` : ''}\n${a}}`;
  out += `,\n${a}"sources": ${leafArray(f.sources, a)}`;
  const also = f.alsoReportedBy;
  if (also && also.length > 0) {
    if (!Array.isArray(also)) throw NOT_PLAIN;
    const c = `${b}  `;
    out += `,\n${a}"alsoReportedBy": [`;
    for (let i = 0; i < also.length; i++) {
      const x = also[i] as { tool: string; id: string };
      out += `${i === 0 ? '' : ','}\n${b}{\n${c}"tool": ${leaf(x.tool)},\n${c}"id": ${leaf(x.id)}\n${b}}`;
    }
    out += `\n${a}]`;
  }
  return `${out}\n${indent}}`;
}

function jsonNotice(n: Notice): Notice {
  return { kind: n.kind, file: n.file, ...(n.line !== undefined ? { line: n.line } : {}), message: n.message, ...(n.error ? { error: true } : {}) };
}

export interface JsonReportOptions {
  toolVersion: string;
  /** The options of the run, echoed for whoever reads the file later. */
  settings?: Record<string, string>;
}

/**
 * Streaming JSON: the text `JSON.stringify(value, null, 2)` would make, as a sequence of chunks, so a large
 * report is never one string. A `JsonStream.array` yields its items one at a time (each stringified alone);
 * a `JsonStream.object` lets a streamed value sit inside an object; any other value is stringified whole.
 */
export class JsonStream {
  private constructor(
    readonly items?: Iterable<unknown>,
    readonly entries?: Readonly<Record<string, unknown>>,
    /** Writes one item at an indent, as `JSON.stringify(item, null, 2)` would (a faster path for a known shape). */
    readonly write?: (item: never, indent: string) => string,
  ) {}

  static array<T>(items: Iterable<T>, write?: (item: T, indent: string) => string): JsonStream {
    return new JsonStream(items, undefined, write);
  }

  static object(entries: Readonly<Record<string, unknown>>): JsonStream {
    return new JsonStream(undefined, entries);
  }
}

/** A value as `JSON.stringify(value, null, 2)` writes it at `indent`. */
function stringifyAt(value: unknown, indent: string): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  // JSON strings escape their line breaks: every newline is the layout's.
  return text === undefined || indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}

function* streamValue(value: unknown, indent: string): Generator<string> {
  if (!(value instanceof JsonStream)) {
    yield stringifyAt(value, indent) ?? 'null';
    return;
  }
  const inner = `${indent}  `;
  if (value.items) {
    let first = true;
    for (const item of value.items) {
      yield first ? `[\n${inner}` : `,\n${inner}`;
      first = false;
      if (value.write) yield value.write(item as never, inner);
      else yield* streamValue(item, inner);
    }
    yield first ? '[]' : `\n${indent}]`;
    return;
  }
  let first = true;
  for (const [key, v] of Object.entries(value.entries ?? {})) {
    // As JSON.stringify: a key whose value has no JSON form is left out.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* streamValue(v, inner);
  }
  yield first ? '{}' : `\n${indent}}`;
}

/** Chunks of about this many UTF-16 code units: few writes, no large string. */
export const CHUNK_SIZE = 64 * 1024;

/** `JSON.stringify(value, null, 2) + '\n'` as chunks of about `size` characters. */
export function* jsonChunks(value: unknown, size: number = CHUNK_SIZE): Generator<string> {
  let buffer = '';
  for (const piece of streamValue(value, '')) {
    buffer += piece;
    if (buffer.length >= size) {
      yield buffer;
      buffer = '';
    }
  }
  yield `${buffer}\n`;
}

/** Each item mapped as it is written: the mapped copies are never all held at once. */
export function* mapped<T, U>(xs: readonly T[], f: (x: T) => U): Generator<U> {
  for (const x of xs) yield f(x);
}

/** renderJson's document, with the three lists streamed. */
function jsonDocument(result: ScanResult, options: JsonReportOptions): JsonStream {
  return JsonStream.object({
    tool: { name: 'minpriv', version: options.toolVersion },
    ...(options.settings ? { settings: options.settings } : {}),
    summary: summarize(result),
    findings: JsonStream.array(result.findings, jsonFindingText),
    suppressed: JsonStream.array(result.suppressed, jsonFindingText),
    notices: JsonStream.array(mapped(result.notices, jsonNotice)),
  });
}

/** The `--format json` document as chunks (renderJson's text, never held whole). */
export function renderJsonChunks(result: ScanResult, options: JsonReportOptions, size: number = CHUNK_SIZE): Generator<string> {
  return jsonChunks(jsonDocument(result, options), size);
}

/** The `--format json` document: tool, settings, summary, findings, suppressed, notices. */
export function renderJson(result: ScanResult, options: JsonReportOptions): string {
  const doc = {
    tool: { name: 'minpriv', version: options.toolVersion },
    ...(options.settings ? { settings: options.settings } : {}),
    summary: summarize(result),
    findings: result.findings.map(jsonFinding),
    suppressed: result.suppressed.map(jsonFinding),
    notices: result.notices.map(jsonNotice),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
