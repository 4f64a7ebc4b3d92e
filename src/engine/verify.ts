import type { Finding, FixOp, LineEdit } from '../core/types.js';
import { applyLineEdits } from '../yaml/edit-apply.js';
import { deepEqual, expectedValue } from '../yaml/edit-value.js';
import { documentLines } from '../yaml/locate.js';
import { DEFAULT_LIMITS, type ParsedFile, parseYamlFile } from '../yaml/parse.js';
import { addedApiProblem } from './api-validation.js';
import { type ScanOptions, scan } from './scan.js';

/** What a candidate edit claims: the ops it implements (per document) and the findings it resolves. */
export interface Candidate {
  edits: readonly LineEdit[];
  ops: ReadonlyMap<number, readonly FixOp[]>;
  resolves: readonly string[];
}

interface Fingerprints {
  active: Map<string, Finding>;
  all: Set<string>;
}

function fingerprintsOf(path: string, text: string, options: ScanOptions): Fingerprints {
  const out = scan([{ path, content: text }], options);
  const active = new Map(out.findings.map((f) => [f.fingerprint, f]));
  return { active, all: new Set([...active.keys(), ...out.suppressed.map((f) => f.fingerprint)]) };
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

  constructor(
    private readonly file: ParsedFile,
    private readonly options: ScanOptions,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  private baseline(key: string, text: string): Fingerprints {
    let b = this.baselines.get(key);
    if (!b) {
      b = fingerprintsOf(this.file.path, text, this.options);
      this.baselines.set(key, b);
    }
    return b;
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
    const parsed = parseYamlFile(this.file.path, text, this.limits);
    if (parsed.error) return `the fixed document does not parse: ${parsed.error.message}`;
    if (parsed.docs.length !== 1) return 'the fix changes the document structure';
    const ops = c.ops.get(docIndex) ?? [];
    if (!deepEqual(parsed.docs[0]?.value, expectedValue(this.file.docs[docIndex]?.value, ops))) {
      return 'the fixed document differs from the intended change';
    }
    const rejected = addedApiProblem(this.file.docs[docIndex]?.value, parsed.docs[0]?.value);
    if (rejected) return `Kubernetes would reject the result (${rejected})`;
    return this.compareFindings(this.baseline(`doc:${docIndex}`, original), fingerprintsOf(this.file.path, text, this.options), c.resolves);
  }

  /** Verify edits on the whole file. */
  verifyWholeFile(c: Candidate): string | undefined {
    let text: string;
    try {
      text = applyLineEdits(this.file.text, c.edits);
    } catch {
      return 'the edits overlap';
    }
    const parsed = parseYamlFile(this.file.path, text, this.limits);
    if (parsed.error) return `the fixed file does not parse: ${parsed.error.message}`;
    if (parsed.docs.length !== this.file.docs.length) return 'the fix changes the number of documents';
    for (const doc of this.file.docs) {
      const expected = expectedValue(doc.value, c.ops.get(doc.index) ?? []);
      if (!deepEqual(parsed.docs[doc.index]?.value, expected)) return `document ${doc.index + 1} differs from the intended change`;
      if (!c.ops.has(doc.index)) continue;
      const rejected = addedApiProblem(doc.value, parsed.docs[doc.index]?.value, true);
      if (rejected) return `Kubernetes would reject the result (${rejected})`;
    }
    return this.compareFindings(this.baseline('file', this.file.text), fingerprintsOf(this.file.path, text, this.options), c.resolves);
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
