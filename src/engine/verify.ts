import type { FixOp, LineEdit } from '../core/types.js';
import { applyLineEdits } from '../yaml/edit-apply.js';
import { deepEqual, expectedValue } from '../yaml/edit-value.js';
import { documentLines } from '../yaml/locate.js';
import { DEFAULT_LIMITS, type ParsedFile, type ParseLimits, parseYamlFile } from '../yaml/parse.js';
import { apiProblems, problemAdded } from './api-validation.js';
import { type PreparedScan, prepareScan, type ScanOptions, type ScanOutput, scan } from './scan.js';
import { byDoc, type Fingerprints, findingsByDoc, fingerprintsFrom, type ScanSeed, type SeedByDoc } from './verify-findings.js';

export type { ScanSeed } from './verify-findings.js';

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
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    if (seed) {
      // Not a patch (the seed's promise): the kustomizations around it change nothing, so they are not read again.
      const { contextFiles: _context, ...rest } = options;
      this.options = rest;
    } else this.options = options;
    this.prepared = prepareScan(options);
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
