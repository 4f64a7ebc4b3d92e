import { pushTo } from '../core/multimap.js';
import type { K8sObject } from '../core/object.js';
import type { Finding, FixOp, LineEdit, Notice, ResourceId } from '../core/types.js';
import { applyLineEdits } from '../yaml/edit-apply.js';
import { deepEqual, deepEqualTree, expectedValue } from '../yaml/edit-value.js';
import { documentLines } from '../yaml/locate.js';
import { DEFAULT_LIMITS, type ParsedFile, type ParseLimits, parseYamlFile } from '../yaml/parse.js';
import { apiProblems, problemAdded } from './api-validation.js';
import { applies } from './rule-run.js';
import { compareFindings, type PreparedScan, prepareScan, type ScanOptions, type ScanOutput, scan } from './scan.js';
import { byDoc, type Fingerprints, findingsByDoc, fingerprintsFrom, type ScanSeed, type SeedByDoc } from './verify-findings.js';

export type { ScanSeed } from './verify-findings.js';

/**
 * What the scan the seed comes from says of the file besides its findings (a full scan of the file alone, its
 * parse kept): the fix run passes it so that the fixed file can be checked on the documents its edits change.
 */
export interface SeedScan {
  notices: readonly Notice[];
  resources: number;
  /** The file's objects (`ScannedFile.objects`). */
  objects: readonly K8sObject[];
}

type Range = { start: number; end: number };

/** What a candidate edit claims: the ops it implements (per document) and the findings it resolves. */
export interface Candidate {
  edits: readonly LineEdit[];
  ops: ReadonlyMap<number, readonly FixOp[]>;
  resolves: readonly string[];
}

function fingerprintsOf(path: string, text: string, options: ScanOptions, prepared: PreparedScan): Fingerprints {
  // Only the findings are read: no parse is kept.
  const out = scan([{ path, content: text }], { ...options, keepParsed: false }, { prepared });
  return fingerprintsFrom(out.findings, out.suppressed);
}

/**
 * Scan an edited text once: its parse (read from the scan, not parsed a second time; a template has none in
 * the scan and is parsed alone) and its findings.
 */
function scanEdited(
  path: string,
  text: string,
  options: ScanOptions,
  limits: ParseLimits,
  prepared: PreparedScan,
): { parsed: ParsedFile; after: Fingerprints; out: ScanOutput } {
  const out = scan([{ path, content: text }], { ...options, keepParsed: true }, { prepared });
  const parsed = out.files.get(path)?.parsed ?? parseYamlFile(path, text, limits);
  return { parsed, after: fingerprintsFrom(out.findings, out.suppressed), out };
}

/**
 * Checks candidate edits of one file: (a) the result parses, (b) the findings they claim are gone,
 * (c) every document equals the original with the ops applied, (d) no finding appears, (e) the API server
 * would accept the result (no validation error that the original did not have: engine/api-validation.ts). A document
 * slice is checked on its own (documents do not see each other), the whole file once at the end.
 */
export class Verifier {
  private readonly baselines = new Map<string, Fingerprints>();
  private readonly limits;
  private readonly options: ScanOptions;
  private readonly prepared: PreparedScan;
  private seedByDoc: SeedByDoc | undefined;
  /** Per document and `kubelet` flag: what the API server refuses in the original. */
  private readonly problems = new Map<string, Set<string>>();
  /** Per document: the value its last ops should produce, with those ops (compared by identity). */
  private readonly expected = new Map<number, { ops: readonly FixOp[]; value: unknown }>();
  /**
   * The last scan of the whole edited file (`verifyWholeFile`), with the text it scanned: when the file's
   * fixes verified together, it is the scan of the fixed file, which the fix run reads instead of scanning again.
   */
  lastWholeScan: { text: string; out: ScanOutput } | undefined;
  /** The fixed file's parse and scan from `verifyFileFirst`, when its check passed; its findings by document once read. */
  private inFile: { parsed: ParsedFile; out: ScanOutput; edits: Candidate['edits']; ops: Candidate['ops']; findings: SeedByDoc | null | undefined } | undefined;
  private directive: boolean | undefined;

  constructor(
    private readonly file: ParsedFile,
    options: ScanOptions,
    /** The file's findings from the scan the fixes come from: the unchanged text is then not scanned again. */
    private readonly seed?: ScanSeed,
    /** `prepareScan(options)`, when the caller has it. */
    prepared?: PreparedScan,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    if (seed) {
      // Not a patch (the seed's promise): the kustomizations around it change nothing, so they are not read again.
      const { contextFiles: _context, ...rest } = options;
      this.options = rest;
    } else this.options = options;
    this.prepared = prepared ?? prepareScan(options);
  }

  private originalProblems(docIndex: number, kubelet: boolean): Set<string> {
    const key = `${docIndex}:${kubelet}`;
    let p = this.problems.get(key);
    if (!p) {
      p = apiProblems(this.file.docs[docIndex]?.value, kubelet);
      this.problems.set(key, p);
    }
    return p;
  }

  /** expectedValue of document `docIndex` with `ops`; the same ops (one group verified alone, then with the others) give the same value. */
  private expectedOf(docIndex: number, ops: readonly FixOp[]): unknown {
    const doc = this.file.docs[docIndex];
    // No ops: the ops change nothing, and the original is that value (expectedValue would copy it).
    if (ops.length === 0 && doc) return doc.value;
    const hit = this.expected.get(docIndex);
    if (hit && hit.ops.length === ops.length && hit.ops.every((op, i) => op === ops[i])) return hit.value;
    const value = expectedValue(doc?.value, ops, this.hasAliases(docIndex));
    this.expected.set(docIndex, { ops, value });
    return value;
  }

  /** Whether document `docIndex` has an alias (`*ref`, `<<: *ref`): its value may share a container between two paths. */
  private hasAliases(docIndex: number): boolean {
    // An alias needs an anchor: without any, nothing is shared (the common case, no walk over the events).
    if (this.file.anchors.size === 0) return false;
    const doc = this.file.docs[docIndex];
    if (!doc) return true;
    const end = Math.max(doc.root, this.file.ends[doc.root] ?? 0);
    const targets = this.file.aliasTargets;
    for (let i = doc.root; i <= end && i < targets.length; i++) if ((targets[i] as number) >= 0) return true;
    return false;
  }

  private baseline(key: string, text: string, seeded?: () => Fingerprints | undefined): Fingerprints {
    let b = this.baselines.get(key);
    if (!b) {
      b = seeded?.() ?? fingerprintsOf(this.file.path, text, this.options, this.prepared);
      this.baselines.set(key, b);
    }
    return b;
  }

  /** The whole file's findings before any edit, from the seed. */
  private seededFile(): Fingerprints | undefined {
    return this.seed ? fingerprintsFrom(this.seed.findings, this.seed.suppressed) : undefined;
  }

  /**
   * Document `docIndex`'s findings before any edit, from the seed: what a scan of its lines alone finds,
   * unless a suppression comment sits on the line just above them (it covers a finding on the document's
   * first line in the file, not in the slice): then the slice is scanned.
   */
  private seededDocument(docIndex: number, start: number): Fingerprints | undefined {
    if (!this.seed) return undefined;
    if (start > 1 && this.lineText(start - 1).includes('minpriv:ignore')) return undefined;
    this.seedByDoc ??= { findings: byDoc(this.seed.findings), suppressed: byDoc(this.seed.suppressed) };
    return fingerprintsFrom(this.seedByDoc.findings.get(docIndex) ?? [], this.seedByDoc.suppressed.get(docIndex) ?? []);
  }

  private lineText(line: number): string {
    return this.sliceText(line, line);
  }

  /** Lines of document `docIndex`, 1-based inclusive. */
  docRange(docIndex: number): { start: number; end: number } {
    const doc = this.file.docs[docIndex];
    if (!doc) return { start: 1, end: this.file.lineStarts.length };
    return documentLines(this.file, doc.root);
  }

  private sliceText(start: number, end: number): string {
    const from = this.file.lineStarts[start - 1] as number;
    const to = this.file.lineStarts[end];
    return this.file.text.slice(from, to === undefined ? undefined : to);
  }

  /** Verify edits that all lie in document `docIndex`, on that document alone. Returns why it fails, or undefined. */
  verifyInDocument(docIndex: number, c: Candidate): string | undefined {
    const { start, end } = this.docRange(docIndex);
    if (c.edits.some((e) => e.startLine < start || e.endLine > end)) return this.verifyWholeFile(c);
    const original = this.sliceText(start, end);
    const shifted = c.edits.map((e) => ({ ...e, startLine: e.startLine - start + 1, endLine: e.endLine - start + 1 }));
    const text = applyLineEdits(original, shifted);
    const { parsed, after } = scanEdited(this.file.path, text, this.options, this.limits, this.prepared);
    if (parsed.error) return `the fixed document does not parse: ${parsed.error.message}`;
    if (parsed.docs.length !== 1) return 'the fix changes the document structure';
    const ops = c.ops.get(docIndex) ?? [];
    if (!deepEqual(parsed.docs[0]?.value, this.expectedOf(docIndex, ops))) {
      return 'the fixed document differs from the intended change';
    }
    const rejected = problemAdded(() => this.originalProblems(docIndex, false), parsed.docs[0]?.value);
    if (rejected) return `Kubernetes would reject the result (${rejected})`;
    return this.compareFindings(
      this.baseline(`doc:${docIndex}`, original, () => this.seededDocument(docIndex, start)),
      after,
      c.resolves,
    );
  }

  /** Verify edits on the whole file. */
  verifyWholeFile(c: Candidate): string | undefined {
    return this.wholeFile(c).reason;
  }

  private wholeFile(c: Candidate): { reason: string | undefined; parsed?: ParsedFile; out?: ScanOutput } {
    let text: string;
    try {
      text = applyLineEdits(this.file.text, c.edits);
    } catch {
      return { reason: 'the edits overlap' };
    }
    const { parsed, after, out } = scanEdited(this.file.path, text, this.options, this.limits, this.prepared);
    this.lastWholeScan = { text, out };
    const reason = this.checkWholeFile(c, parsed, after);
    return { reason, parsed, out };
  }

  private checkWholeFile(c: Candidate, parsed: ParsedFile, after: Fingerprints): string | undefined {
    if (parsed.error) return `the fixed file does not parse: ${parsed.error.message}`;
    if (parsed.docs.length !== this.file.docs.length) return 'the fix changes the number of documents';
    for (const doc of this.file.docs) {
      const expected = this.expectedOf(doc.index, c.ops.get(doc.index) ?? []);
      if (!deepEqual(parsed.docs[doc.index]?.value, expected)) return `document ${doc.index + 1} differs from the intended change`;
      if (!c.ops.has(doc.index)) continue;
      const rejected = problemAdded(() => this.originalProblems(doc.index, true), parsed.docs[doc.index]?.value, true);
      if (rejected) return `Kubernetes would reject the result (${rejected})`;
    }
    return this.compareFindings(
      this.baseline('file', this.file.text, () => this.seededFile()),
      after,
      c.resolves,
    );
  }

  /**
   * Verify the fixes of the file together first (`verifyWholeFile`), to check documents with one fix from that
   * parse and scan (`passesInFile`) instead of each alone. The scan of the fixed file when they verify, else undefined.
   */
  verifyFileFirst(c: Candidate): { text: string; out: ScanOutput } | undefined {
    this.inFile = undefined;
    const { reason, parsed, out } = this.wholeFile(c);
    if (reason || !parsed || !out || !this.lastWholeScan) return undefined;
    this.inFile = { parsed, out, edits: c.edits, ops: c.ops, findings: undefined };
    return this.lastWholeScan;
  }

  /**
   * Whether `verifyInDocument(docIndex, c)` would pass, read from the whole-file check `verifyFileFirst` passed:
   * `c` is the only edit of document `docIndex` there, so the document has the same text in the fixed file as
   * alone. true only where the file's parse and scan give what the document alone gives, the assumption the
   * seed already makes of the unchanged file (a seed; no anchors, which could reach across documents; no
   * directive; no suppression comment just above the document; every finding of the fixed file tied to a
   * document). false: not known, ask `verifyInDocument` (which also says why it fails).
   */
  passesInFile(docIndex: number, c: Candidate): boolean {
    const inFile = this.inFile;
    if (!inFile || !this.seed || this.file.anchors.size > 0 || this.hasDirective()) return false;
    const { start, end } = this.docRange(docIndex);
    if (c.edits.some((e) => e.startLine < start || e.endLine > end)) return false;
    // No other edit of the file's check reaches the document's lines: it reads there as `c` alone makes it.
    if (inFile.edits.some((e) => !c.edits.includes(e) && e.startLine <= end && e.endLine >= start)) return false;
    if (start > 1 && this.lineText(start - 1).includes('minpriv:ignore')) return false;
    inFile.findings ??= findingsByDoc(inFile.out);
    if (!inFile.findings) return false;
    const value = inFile.parsed.docs[docIndex]?.value;
    // The same ops as in the file's check, which found the document equal to what they should produce.
    const ops = c.ops.get(docIndex) ?? [];
    const checked = inFile.ops.get(docIndex) ?? [];
    if (ops.length !== checked.length || ops.some((op, i) => op !== checked[i])) {
      if (!deepEqual(value, this.expectedOf(docIndex, ops))) return false;
    }
    if (problemAdded(() => this.originalProblems(docIndex, false), value)) return false;
    const after = fingerprintsFrom(inFile.findings.findings.get(docIndex) ?? [], inFile.findings.suppressed.get(docIndex) ?? []);
    const before = this.baseline(`doc:${docIndex}`, this.sliceText(start, end), () => this.seededDocument(docIndex, start));
    return this.compareFindings(before, after, c.resolves) === undefined;
  }

  /**
   * `verifyFileFirst` read document by document (the fix run's check of a file's fixes together): only the
   * documents the edits change are parsed and scanned, the others are the seed's, moved by the lines the
   * edits above them add or remove. The same result as `verifyFileFirst` when its check passes: the fixed
   * file's text, and a scan of it equal to `scan` of that text alone (findings, suppressed, notices,
   * resources; no parse in `files`). undefined when the check does not pass or this way cannot tell; the
   * caller then runs `verifyFileFirst` (the full check also says why it fails).
   *
   * Why the pieces add up to the full scan. A rule sees one object (its value, never a line: no finding's
   * message or path carries one); the scan places a finding by `positionOf` in its document (line, column
   * and end line inside the document's lines), ties it to the document (`resource.docIndex`), and suppresses
   * it by the object's annotations or by a `minpriv:ignore` comment on its line or the line above. So a
   * document's findings and notices depend on its own lines and the line above them, apart from what is
   * checked here: rules that read other objects (none may run), anchors and aliases (could reach across documents) and directives (`%TAG`) change how
   * a document reads; with none, a document parses the same alone as in the file (the seed's promise,
   * `seededDocument`, `passesInFile`). An unchanged document keeps its lines and the line above them
   * unchanged, shifted as a block: its findings and notices are the seed's with every line moved by the
   * same count. A changed document is scanned as the slice of its lines with its edits applied, with the
   * other changed documents in one text (each its own YAML document after a `---` line, the line above it
   * holds no comment), with the line above it when that holds a `minpriv:ignore` comment only (then it
   * covers the same findings in the slice; a suppression comment sharing a line with YAML: not this way). The resource
   * count is the file's minus what the changed documents counted (an object counts when a rule applies to
   * it) plus what their fixed slices count.
   */
  verifyByDocument(c: Candidate, original: SeedScan): { text: string; out: ScanOutput } | undefined {
    const seed = this.seed;
    const file = this.file;
    // A rule that reads other objects (`needsIndex`) sees the other documents: none may run (the seed's promise too).
    if (
      !seed ||
      this.prepared.rules.some((r) => r.needsIndex) ||
      file.anchors.size > 0 ||
      file.lenient ||
      this.hasDirective() ||
      file.text.includes('\r') ||
      file.docs.length === 0
    )
      return undefined;
    const ranges = file.docs.map((d) => this.docRange(d.index));
    // In order, with a line between each two (a `---`): the line above a document is in no document, so no edit changes it.
    for (let i = 1; i < ranges.length; i++) if ((ranges[i] as Range).start <= (ranges[i - 1] as Range).end + 1) return undefined;
    // The document whose lines hold `line` (the ranges are in order and apart), else -1.
    const docAt = (line: number): number => {
      let lo = 0;
      let hi = ranges.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const r = ranges[mid] as Range;
        if (line < r.start) hi = mid - 1;
        else if (line > r.end) lo = mid + 1;
        else return mid;
      }
      return -1;
    };
    // Each edit inside one document's lines, as `verifyInDocument` reads it.
    const editsOf = new Map<number, LineEdit[]>();
    for (const e of c.edits) {
      const d = docAt(e.startLine);
      if (d < 0 || e.endLine > (ranges[d] as Range).end) return undefined;
      pushTo(editsOf, d, e);
    }
    for (const d of c.ops.keys()) if (!editsOf.has(d)) editsOf.set(d, []);
    if (editsOf.size === 0) return undefined;
    const changed = [...editsOf.keys()].sort((a, b) => a - b);
    // Findings and notices by document; every one of them must lie in a document.
    const seedFindings = byDoc(seed.findings);
    const seedSuppressed = byDoc(seed.suppressed);
    if (seed.findings.some((f) => f.resource?.docIndex === undefined) || seed.suppressed.some((f) => f.resource?.docIndex === undefined)) return undefined;
    const notices = new Map<number, Notice[]>();
    for (const n of original.notices) {
      const d = n.line === undefined ? -1 : docAt(n.line);
      if (d < 0 || n.file !== file.path) return undefined;
      pushTo(notices, d, n);
    }

    // The changed documents' fixed slices, one text.
    const parts: string[] = [];
    const subStart: number[] = [];
    const subEnd: number[] = [];
    /** Per changed document, the first line of its slice: its own, or the comment line above it. */
    const from: number[] = [];
    let next = 1;
    /** The fixed file, in pieces; `after`: the offset after the last slice taken. */
    const whole: string[] = [];
    let after = 0;
    for (const d of changed) {
      const { start, end } = ranges[d] as Range;
      let first = start;
      if (start > 1) {
        // A suppression comment right above the document covers findings on its first line: the slice
        // takes that line along when it holds only the comment (a YAML comment, it changes no value).
        const above = this.lineText(start - 1);
        if (above.includes('minpriv:ignore')) {
          if (!/^[ \t]*#/.test(above)) return undefined;
          first = start - 1;
        }
      }
      const slice = this.sliceText(first, end);
      if (!slice.endsWith('\n')) return undefined;
      const fixed = applyLineEdits(
        slice,
        (editsOf.get(d) ?? []).map((e) => ({ ...e, startLine: e.startLine - first + 1, endLine: e.endLine - first + 1 })),
      );
      from.push(first);
      let lines = 0;
      for (let i = fixed.indexOf('\n'); i >= 0; i = fixed.indexOf('\n', i + 1)) lines++;
      if (!fixed.endsWith('\n') || lines === 0) return undefined;
      if (parts.length > 0) next++;
      parts.push(fixed);
      subStart.push(next);
      next += lines;
      subEnd.push(next - 1);
      // The fixed file: the lines before this slice as they stand, then the fixed slice.
      whole.push(file.text.slice(after, file.lineStarts[first - 1]), fixed);
      after = file.lineStarts[end] as number;
    }
    whole.push(file.text.slice(after));
    // What applyLineEdits(file.text, c.edits) gives: every edit lies in one of the slices, each slice ends
    // with its line ending, and every line ends with `\n` (no `\r`), the one a new line takes in both.
    const text = whole.join('');
    const path = file.path;
    // Its events kept (not released to be parsed again when read): `anchors` is read below, then it is let go.
    const sub = scan([{ path, content: parts.join('---\n') }], { ...this.options, keepParsed: true }, { prepared: this.prepared, keepEvents: true });
    const parsed = sub.files.get(path)?.parsed;
    if (!parsed || parsed.error || parsed.lenient || parsed.docs.length !== changed.length) return undefined;
    // No anchors on either side (the file's checked above): both values are trees (deepEqualTree).
    const same = parsed.anchors.size === 0 ? deepEqualTree : deepEqual;
    for (let k = 0; k < changed.length; k++) {
      const d = changed[k] as number;
      const value = parsed.docs[k]?.value;
      if (!same(value, this.expectedOf(d, c.ops.get(d) ?? []))) return undefined;
      if (c.ops.has(d) && problemAdded(() => this.originalProblems(d, true), value, true)) return undefined;
    }

    // Where each document starts in the fixed file: its line plus what the edits above it add.
    const shift: number[] = [];
    const byLine = [...c.edits].sort((a, b) => a.startLine - b.startLine);
    let delta = 0;
    let e = 0;
    for (const r of ranges) {
      for (; e < byLine.length && (byLine[e] as LineEdit).endLine < r.start; e++) {
        const x = byLine[e] as LineEdit;
        delta += x.lines.length - (x.endLine - x.startLine + 1);
      }
      shift.push(delta);
    }
    // The changed documents' findings and notices, from the slices' text to the fixed file's lines.
    const inSlice = (i: number, line: number | undefined): boolean => line !== undefined && line >= (subStart[i] as number) && line <= (subEnd[i] as number);
    const subFindings = new Map<number, Finding[]>();
    const subSuppressed = new Map<number, Finding[]>();
    const ids = new Map<ResourceId, ResourceId>();
    const place = (list: readonly Finding[], into: Map<number, Finding[]>): boolean => {
      for (const f of list) {
        const i = f.resource?.docIndex;
        if (i === undefined || !inSlice(i, f.line) || !inSlice(i, f.endLine)) return false;
        const d = changed[i] as number;
        const by = (from[i] as number) + (shift[d] as number) - (subStart[i] as number);
        const res = f.resource as ResourceId;
        let id = ids.get(res);
        if (!id) {
          id = { ...res, docIndex: d };
          ids.set(res, id);
        }
        pushTo(into, d, { ...f, line: f.line + by, endLine: f.endLine + by, resource: id });
      }
      return true;
    };
    if (!place(sub.findings, subFindings) || !place(sub.suppressed, subSuppressed)) return undefined;
    const subNotices = new Map<number, Notice[]>();
    let i = 0;
    for (const n of sub.notices) {
      // In document order, as the scan reads them.
      while (i < changed.length && !inSlice(i, n.line)) i++;
      if (i === changed.length) return undefined;
      const d = changed[i] as number;
      const by = (from[i] as number) + (shift[d] as number) - (subStart[i] as number);
      pushTo(subNotices, d, { ...n, line: (n.line as number) + by });
    }
    const moved = <T extends { line?: number; endLine?: number }>(xs: readonly T[] | undefined, by: number): T[] =>
      !xs
        ? []
        : by === 0
          ? [...xs]
          : xs.map((x) => ({ ...x, ...(x.line === undefined ? {} : { line: x.line + by }), ...(x.endLine === undefined ? {} : { endLine: x.endLine + by }) }));
    const findings: Finding[] = [];
    const suppressed: Finding[] = [];
    const allNotices: Notice[] = [];
    for (let d = 0; d < ranges.length; d++) {
      if (editsOf.has(d)) {
        findings.push(...(subFindings.get(d) ?? []));
        suppressed.push(...(subSuppressed.get(d) ?? []));
        allNotices.push(...(subNotices.get(d) ?? []));
      } else {
        const { start, end } = ranges[d] as Range;
        const outside = (f: Finding): boolean => f.line < start || f.endLine > end;
        if (seedFindings.get(d)?.some(outside) || seedSuppressed.get(d)?.some(outside)) return undefined;
        const by = shift[d] as number;
        findings.push(...moved(seedFindings.get(d), by));
        suppressed.push(...moved(seedSuppressed.get(d), by));
        allNotices.push(...moved(notices.get(d), by));
      }
    }
    findings.sort(compareFindings);
    suppressed.sort(compareFindings);
    const why = this.compareFindings(
      this.baseline('file', file.text, () => this.seededFile()),
      fingerprintsFrom(findings, suppressed),
      c.resolves,
    );
    if (why) return undefined;
    const rules = this.prepared.rules;
    const counted = original.objects.filter((o) => editsOf.has(o.id.docIndex) && rules.some((r) => applies(r, o))).length;
    const out: ScanOutput = {
      findings,
      suppressed,
      notices: allNotices,
      filesScanned: 1,
      resourcesScanned: original.resources - counted + sub.resourcesScanned,
      files: new Map(),
      rules: sub.rules,
    };
    return { text, out };
  }

  /** A `%YAML` or `%TAG` line: a directive changes how the documents after it read, and a document alone has none. */
  private hasDirective(): boolean {
    this.directive ??= /^%/m.test(this.file.text);
    return this.directive;
  }

  private compareFindings(before: Fingerprints, after: Fingerprints, resolves: readonly string[]): string | undefined {
    const missing = resolves.find((fp) => !before.active.has(fp));
    if (missing) return `finding ${missing} could not be reproduced for verification`;
    const left = resolves.find((fp) => after.all.has(fp));
    if (left) return `\`${before.active.get(left)?.ruleId}\` is still reported after the fix`;
    const added = [...after.active.values()].find((f) => !before.active.has(f.fingerprint));
    if (added) return `the fix would add a \`${added.ruleId}\` finding (${added.message})`;
    return undefined;
  }
}
