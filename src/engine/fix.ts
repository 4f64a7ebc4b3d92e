import { hash } from 'node:crypto';
import { pushTo } from '../core/multimap.js';
import type { Finding, FixOp, LineEdit, Path, VerifiedFix } from '../core/types.js';
import { composeEdits, EditDeclined, type PlannedEdit, planEdit } from '../yaml/edit.js';
import { groupKeyOf, type ObjectsById, objectsById } from './fix-group.js';
import { type Group, mergeChanged, mergeOverlapping, sortByLine, touches } from './fix-merge.js';
import type { PreparedScan, ScannedFile, ScanOptions, ScanOutput } from './scan.js';
import { type Candidate, type ScanSeed, type SeedScan, Verifier } from './verify.js';

export { applyLineEdits } from '../yaml/edit-apply.js';

export interface DeclinedFix {
  fingerprint: string;
  reason: string;
}

export interface FixResult {
  fixes: VerifiedFix[];
  declined: DeclinedFix[];
  /**
   * With `keepChecked`: the scan of the file with every fix applied, made when the fixes were verified
   * together, and the text it scanned (without a BOM the file had).
   */
  checked?: { text: string; scan: ScanOutput };
}

export interface FixOptions {
  scan?: ScanOptions;
  /** Include review-confidence fixes (default true). */
  includeReview?: boolean;
  /**
   * `object` (default): the fixes of one container, pod spec or object are one edit, edits whose line spans
   * overlap or touch are merged, and the fixes hold together (the CLI applies them all).
   * `overlap`: each finding starts as its own fix and only fixes whose changed lines overlap or touch are
   * merged. The fixes are alternatives: each verifies on its own, two may share a line span, and a caller
   * picks a set that does not overlap (the review's fallback when a merged fix cannot be posted inline).
   */
  grouping?: 'object' | 'overlap';
  /** A PR's changed lines (1-based): a new key goes right after the last entry on one, inside the hunk. CLI: unset. */
  preferLines?: ReadonlySet<number>;
  /**
   * Keep safe and review fixes of one unit apart (a review): the safe part is its own suggestion, committed
   * alone, unless the two edits touch (then they are one edit, `review`). CLI: unset (it applies both).
   */
  splitConfidence?: boolean;
  /**
   * The file's findings (active and suppressed) from the scan `findings` come from, when scanning the file
   * alone finds the same (verify.ts's ScanSeed): verification then starts from them instead of scanning the
   * unchanged text again. fix-run.ts passes it; without it, verification scans the original.
   */
  seed?: ScanSeed;
  /**
   * With `applyTogether`, `keepChecked` and a seed: the rest of the scan the seed comes from (a full scan of
   * the file alone). The fixes together are then checked on the documents they change only
   * (`Verifier.verifyByDocument`), and `checked` is the fixed file's scan pieced together from the seed's and
   * the changed documents' (no parse in its `files`). Where that cannot tell, the whole file is checked as without it.
   */
  seedScan?: SeedScan;
  /** `prepareScan(scan)` worked out already (the fix run prepares it once for every file). */
  prepared?: PreparedScan;
  /** Return the scan of the fixed file when verification made one (`checked`): the fix run's next scan of it. */
  keepChecked?: boolean;
  /**
   * The caller applies every fix of the file at once (`minpriv fix`; a review commits each suggestion alone,
   * so it leaves this unset). The fixes are then verified together first, on the fixed file: when that check
   * passes they are accepted as they are, since the file they make is the one checked. Each fix is verified
   * alone only when it fails, to find the ones to decline.
   */
  applyTogether?: boolean;
}

const reasonOf = (err: unknown): string => (err instanceof EditDeclined ? err.message : `could not build the edit: ${String(err)}`);

/** The members' ops, each once: findings fixed by one change (host-process) carry the same ops. */
function opsOf(members: readonly Finding[]): FixOp[] {
  // A loop, not flatMap (slow in V8; this runs for every group planned).
  const ops: FixOp[] = [];
  for (const f of members) for (const op of f.fix?.ops ?? []) ops.push(op);
  if (ops.length < 2) return ops;
  // Compared as JSON only where two ops share a kind and a path (the common case has none). Few ops: each
  // against the ones kept before it; many: bucketed by a joined path (two paths that join to the same text
  // are told apart by the JSON), so that it stays linear.
  const kept: FixOp[] = [];
  const byPath = ops.length > 16 ? new Map<string, FixOp[]>() : undefined;
  const equal = (o: FixOp, op: FixOp, json: string): boolean => o === op || JSON.stringify(o) === json;
  for (const op of ops) {
    let dup = false;
    if (byPath) {
      const key = `${op.op}\u0000${op.path.join('\u0000')}`;
      const same = byPath.get(key);
      if (!same) byPath.set(key, [op]);
      else {
        const json = JSON.stringify(op);
        dup = same.some((o) => equal(o, op, json));
        if (!dup) same.push(op);
      }
    } else {
      let json: string | undefined;
      for (const o of kept) {
        if (o.op !== op.op || !samePath(o.path, op.path)) continue;
        json ??= JSON.stringify(op);
        if (equal(o, op, json)) {
          dup = true;
          break;
        }
      }
    }
    if (!dup) kept.push(op);
  }
  return kept;
}

function samePath(a: Path, b: Path): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Build verified fixes for the findings of one scanned file (findings from scan(); ScannedFile from
 * ScanOutput.files). Fixes of one container, pod spec or object become one edit; edits whose lines
 * overlap or touch are merged, so no two fixes of a file can conflict. Every fix is verified.
 */
export function buildFixes(file: ScannedFile, findings: readonly Finding[], options: FixOptions = {}): FixResult {
  const includeReview = options.includeReview ?? true;
  const overlap = options.grouping === 'overlap';
  const prefer = options.preferLines;
  const declined: DeclinedFix[] = [];
  const decline = (fs: readonly Finding[], reason: string): void => {
    for (const f of fs) declined.push({ fingerprint: f.fingerprint, reason });
  };
  const seen = new Set<string>();
  const fixable = findings.filter((f) => {
    if (f.file !== file.path || !f.fix || f.suppressed || seen.has(f.fingerprint)) return false;
    seen.add(f.fingerprint);
    return includeReview || f.fix.confidence === 'safe';
  });
  const parsed = file.parsed;
  if (!parsed || parsed.error || file.template) {
    decline(fixable, file.template ? 'the file is a template' : 'the file does not parse');
    return { fixes: [], declined };
  }
  // Edits are planned on js-yaml's reading; a file it rejects but Kubernetes accepts is left as written.
  if (parsed.lenient) {
    decline(fixable, 'the file needed lenient parsing');
    return { fixes: [], declined };
  }

  const groups = new Map<string, Group>();
  let objects: ObjectsById | undefined;
  const objectsOf = (): ObjectsById => {
    objects ??= objectsById(file);
    return objects;
  };
  for (const f of fixable) {
    const docIndex = f.resource?.docIndex;
    const doc = docIndex === undefined ? undefined : parsed.docs[docIndex];
    if (!f.resource || !doc) {
      decline([f], 'the finding is not tied to a document');
      continue;
    }
    const unit = overlap ? `${doc.index}:${f.fingerprint}` : groupKeyOf(file, f, objectsOf());
    const key = options.splitConfidence ? `${unit}:${f.fix?.confidence}` : unit;
    const g = groups.get(key) ?? { docIndex: doc.index, members: [] };
    g.members.push(f);
    groups.set(key, g);
  }

  // Plan each group; a member whose ops cannot be written is declined, the others go on.
  const planned: Group[] = [];
  for (const g of groups.values()) {
    const kept = planGroup(file, g, decline, prefer);
    if (kept) planned.push(kept);
  }
  const verifier = new Verifier(parsed, options.scan ?? {}, options.seed, options.prepared);
  const replan = (g: Group): Group | undefined => planGroup(file, g, decline, prefer);
  if (overlap) {
    const alternatives = mergeChanged(file, planned, replan).flatMap((g) => verifyGroup(file, verifier, g, decline, prefer) ?? []);
    return { fixes: sortByLine(alternatives).map((g) => toVerifiedFix(file.path, g)), declined };
  }
  const merged = mergeOverlapping(planned, replan, (a, b) => composeGroups(file, a, b));

  const byDoc = new Map<number, Group[]>();
  for (const g of merged) pushTo(byDoc, g.docIndex, g);
  // With a seed, the fixes are first verified together: where that holds, a document with one fix is
  // checked from that parse and scan, not alone (verify.ts, `passesInFile`). Where it does not, or
  // cannot be read that way, each fix is verified on its document as without it.
  const together = options.seed || options.applyTogether ? byLine([...byDoc.values()].flat()) : undefined;
  const seedScan = options.seedScan;
  if (together && together.length > 0 && options.applyTogether && options.keepChecked && options.seed && seedScan) {
    // The documents the fixes change, checked alone; when that passes, the whole file would (verify.ts).
    const checked = attempt(() => verifier.verifyByDocument(candidateOf(together), seedScan));
    if (checked) return { fixes: together.map((g) => toVerifiedFix(file.path, g)), declined, checked: { text: checked.text, scan: checked.out } };
  }
  const first = together && together.length > 0 ? attempt(() => verifier.verifyFileFirst(candidateOf(together))) : undefined;
  if (first && together && options.applyTogether) {
    return {
      fixes: together.map((g) => toVerifiedFix(file.path, g)),
      declined,
      ...(options.keepChecked ? { checked: { text: first.text, scan: first.out } } : {}),
    };
  }
  const verified: Group[] = [];
  for (const [docIndex, groups] of byDoc) {
    const only = groups.length === 1 ? groups[0] : undefined;
    if (first && only && attempt(() => verifier.passesInFile(docIndex, candidateOf([only])))) verified.push(only);
    else verified.push(...verifyDocument(file, verifier, groups, decline, prefer));
  }
  const final = dropOverlaps(verified, decline);
  // Every fix verified as it was checked together: that check is the one below, and its scan the fixed file's.
  const same = first && together && final.length === together.length && final.every((g, i) => g === together[i]);

  // The fixes together must also hold (the CLI applies all of them at once).
  let whole: string | undefined;
  try {
    whole = final.length > 1 && !same ? verifier.verifyWholeFile(candidateOf(final)) : undefined;
  } catch (err) {
    whole = reasonOf(err);
  }
  if (whole) {
    decline(
      final.flatMap((g) => g.members),
      `the fixes of this file do not verify together: ${whole}`,
    );
    return { fixes: [], declined };
  }
  const checked = !options.keepChecked ? undefined : same ? first : final.length > 1 ? verifier.lastWholeScan : undefined;
  return { fixes: final.map((g) => toVerifiedFix(file.path, g)), declined, ...(checked ? { checked: { text: checked.text, scan: checked.out } } : {}) };
}

/** `f()`, or undefined where it throws (an edit it cannot build): the fix then goes the way that says why. */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

type Decline = (fs: readonly Finding[], reason: string) => void;
type Prefer = ReadonlySet<number> | undefined;

function planGroup(file: ScannedFile, g: Group, decline: Decline, prefer?: Prefer): Group | undefined {
  const parsed = file.parsed;
  const doc = parsed?.docs[g.docIndex];
  if (!parsed || !doc) return undefined;
  const plan = (members: readonly Finding[]): PlannedEdit | undefined => planEdit(parsed, doc.root, doc.value, opsOf(members), prefer);
  try {
    const planned = plan(g.members);
    // Spelled out: an object spread of the two costs more than the plan's own bookkeeping.
    if (planned) return { docIndex: g.docIndex, members: g.members, edit: planned.edit, ops: planned.ops, parts: planned.parts };
  } catch {
    // Find the members that break the edit, one at a time.
  }
  const kept: Finding[] = [];
  for (const f of g.members) {
    try {
      plan([...kept, f]);
      kept.push(f);
    } catch (err) {
      decline([f], reasonOf(err));
    }
  }
  let planned: PlannedEdit | undefined;
  try {
    planned = kept.length > 0 ? plan(kept) : undefined;
  } catch (err) {
    decline(kept, reasonOf(err));
    return undefined;
  }
  if (!planned) {
    decline(kept, 'the fix would change nothing in the text');
    return undefined;
  }
  return { docIndex: g.docIndex, members: kept, edit: planned.edit, ops: planned.ops, parts: planned.parts };
}

/** `a` and `b` merged (their members, `a`'s first) from their plans, as planGroup would plan them; undefined: plan them. */
function composeGroups(file: ScannedFile, a: Group, b: Group): Group | undefined {
  const parsed = file.parsed;
  if (!parsed || !a.edit || !b.edit || !a.ops || !b.ops) return undefined;
  const members = [...a.members, ...b.members];
  const planned = composeEdits(parsed, { edit: a.edit, ops: a.ops, parts: a.parts }, { edit: b.edit, ops: b.ops, parts: b.parts }, opsOf(members));
  return planned && { docIndex: a.docIndex, members, ...planned };
}

function candidateOf(groups: readonly Group[]): Candidate {
  const ops = new Map<number, FixOp[]>();
  for (const g of groups) {
    let list = ops.get(g.docIndex);
    if (!list) {
      list = [];
      ops.set(g.docIndex, list);
    }
    for (const op of g.ops ?? []) list.push(op);
  }
  const resolves: string[] = [];
  for (const g of groups) for (const f of g.members) resolves.push(f.fingerprint);
  return { edits: groups.map((g) => g.edit as LineEdit), ops, resolves };
}

function tryVerify(verifier: Verifier, g: Group): string | undefined {
  try {
    return verifier.verifyInDocument(g.docIndex, candidateOf([g]));
  } catch (err) {
    return reasonOf(err);
  }
}

/** Verify a group; when the whole fails, keep the members that verify one after another. */
function verifyGroup(file: ScannedFile, verifier: Verifier, g: Group, decline: Decline, prefer?: Prefer): Group | undefined {
  const why = tryVerify(verifier, g);
  if (!why) return g;
  if (g.members.length === 1) {
    decline(g.members, `verification failed: ${why}`);
    return undefined;
  }
  let accepted: Group | undefined;
  for (const f of g.members) {
    const members = [...(accepted?.members ?? []), f];
    const next = planGroup(file, { docIndex: g.docIndex, members }, () => {}, prefer);
    const reason = next && next.members.length === members.length ? tryVerify(verifier, next) : 'the edit cannot be combined with the others';
    if (next && !reason) accepted = next;
    else decline([f], `verification failed: ${reason}`);
  }
  return accepted;
}

/**
 * Groups of one document up to this many are verified one by one on the document. Beyond it (a `kind:
 * List` with hundreds of items), one-by-one would rescan the whole document per group, so the groups are
 * verified together and split in halves only where that fails.
 */
const ONE_BY_ONE = 8;

function verifyDocument(file: ScannedFile, verifier: Verifier, groups: Group[], decline: Decline, prefer: Prefer): Group[] {
  if (groups.length <= ONE_BY_ONE) return groups.flatMap((g) => verifyGroup(file, verifier, g, decline, prefer) ?? []);
  let reason: string | undefined;
  try {
    reason = verifier.verifyInDocument(groups[0]?.docIndex ?? 0, candidateOf(groups));
  } catch (err) {
    reason = reasonOf(err);
  }
  if (!reason) return groups;
  const half = Math.ceil(groups.length / 2);
  return [...verifyDocument(file, verifier, groups.slice(0, half), decline, prefer), ...verifyDocument(file, verifier, groups.slice(half), decline, prefer)];
}

/** Groups by first line, in a stable order: how `dropOverlaps` orders them. */
const byLine = (groups: readonly Group[]): Group[] => [...groups].sort((a, b) => (a.edit as LineEdit).startLine - (b.edit as LineEdit).startLine);

/** Verified groups can shrink; two that now touch would conflict as suggestions: keep the first. */
function dropOverlaps(groups: Group[], decline: Decline): Group[] {
  const out: Group[] = [];
  for (const g of byLine(groups)) {
    const prev = out[out.length - 1];
    if (prev && touches(prev.edit as LineEdit, g.edit as LineEdit)) decline(g.members, 'the fix overlaps another fix');
    else out.push(g);
  }
  return out;
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function toVerifiedFix(path: string, g: Group): VerifiedFix {
  const resolves = g.members.map((f) => f.fingerprint);
  const intents = g.members.map((f) => f.fix).filter((x) => x !== undefined);
  const review = intents.some((i) => i.confidence === 'review');
  return {
    // One-shot `hash` (Node ≥ 20.12): the same digest as createHash().update().digest('hex').
    id: hash('sha256', resolves.length === 1 ? (resolves[0] as string) : [...resolves].sort().join('\n'), 'hex').slice(0, 16),
    file: path,
    confidence: review ? 'review' : 'safe',
    title: unique(intents.map((i) => i.title)).join('; '),
    resolves,
    checks: unique(intents.filter((i) => i.confidence === 'review' && i.check).map((i) => i.check as string)),
    edit: g.edit as LineEdit,
  };
}
