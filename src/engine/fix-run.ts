import type { Finding, Notice, SourceFile, VerifiedFix } from '../core/types.js';
import { isKustomizationFile } from '../k8s/kustomize.js';
import { kustomizePatches } from '../k8s/objects.js';
import { DEFAULT_LIMITS } from '../yaml/parse.js';
import { applyLineEdits, buildFixes, type DeclinedFix } from './fix.js';
import { compareFindings, type PreparedScan, prepareScan, type ScanOptions, type ScanOutput, scan } from './scan.js';
import type { ScanSeed } from './verify.js';
import { scanSeeds } from './verify-findings.js';

export interface FixRunOptions {
  scan: ScanOptions;
  /** Apply review fixes too (default: safe ones only). */
  includeReview: boolean;
  /** Most rounds of fix → re-scan (cascades: a fix that lets another rule's fix through). */
  maxRounds?: number;
  /** false: run round by round over the whole set even where each file can be fixed alone (the two agree; tests compare them). */
  fileByFile?: boolean;
}

export interface FixRun {
  /** The first scan, of the files as read. Its `files` are let go as each file is done: only its findings are kept. */
  before: ScanOutput;
  /** The scan of the fixed texts (its `files` let go as with `before`). */
  after: ScanOutput;
  /** Every fix applied, round after round, each against the text of its round. */
  fixes: { round: number; fix: VerifiedFix }[];
  declined: DeclinedFix[];
  /** The fixed text of each changed file. */
  texts: Map<string, string>;
  rounds: number;
}

const textOf = (content: string | Uint8Array): string => (typeof content === 'string' ? content : Buffer.from(content).toString('utf8'));

/** One file's share of a scan: its fixable findings, and every finding (active, suppressed) to seed verification. */
interface FileFindings {
  fixable: Finding[];
  active: Finding[];
  suppressed: Finding[];
}

/** The findings of a scan by file, in one pass (scan order is kept within a file). */
function byFile(out: ScanOutput, fixable: (f: Finding) => boolean): Map<string, FileFindings> {
  const files = new Map<string, FileFindings>();
  const of = (path: string): FileFindings => {
    let e = files.get(path);
    if (!e) {
      e = { fixable: [], active: [], suppressed: [] };
      files.set(path, e);
    }
    return e;
  };
  for (const f of out.findings) {
    const e = of(f.file);
    e.active.push(f);
    if (fixable(f)) e.fixable.push(f);
  }
  for (const f of out.suppressed) of(f.file).suppressed.push(f);
  return files;
}

/**
 * The `fix` stage for whole files (the CLI's `minpriv fix`): build the verified fixes of every file, apply
 * them, re-scan the changed files and go on while that offers new fixes, so one run reaches the fixpoint and
 * a second one has nothing to do. Pure: texts in, texts out.
 *
 * Linear in the files: each scan's findings are grouped by file once; verification starts from the scan's
 * findings of the file instead of scanning the unchanged text again (when the file scanned alone gives the
 * same findings: no rule of the run reads other objects, and the file is not a patch); each file's parse is
 * let go once its fixes are built. When every file scanned alone gives its share of the whole scan
 * (fileByFile), the run goes file by file instead (fixEachFile), with the same result.
 */
export function fixToFixpoint(files: readonly SourceFile[], options: FixRunOptions): FixRun {
  const prepared = prepareScan(options.scan);
  if (options.fileByFile !== false && fileByFile(files, options.scan, prepared)) return fixEachFile(files, options, prepared);
  const maxRounds = options.maxRounds ?? 4;
  const before = scan(files, options.scan);
  const texts = new Map<string, string>();
  const fixes: FixRun['fixes'] = [];
  const declined: DeclinedFix[] = [];
  const declinedFps = new Set<string>();
  let current = before;
  let pending = new Set(files.map((f) => f.path));
  let rounds = 0;
  const fixable = (f: Finding): boolean => f.fix !== undefined && (options.includeReview || f.fix.confidence === 'safe');
  while (rounds < maxRounds) {
    const changed = new Set<string>();
    const found = byFile(current, fixable);
    // Seeds only where a file alone finds its share (a rule that reads other objects sees the whole scan there).
    const seeds = scanSeeds(current);
    for (const file of files) {
      const scanned = current.files.get(file.path);
      // Done with this file's parse in this scan, whatever happens below.
      current.files.delete(file.path);
      if (!pending.has(file.path)) continue;
      const mine = found.get(file.path);
      if (!scanned || !mine || mine.fixable.length === 0) continue;
      const seed = seeds.get(file.path);
      const r = buildFixes(scanned, mine.fixable, { scan: options.scan, includeReview: options.includeReview, applyTogether: true, ...(seed ? { seed } : {}) });
      const fresh = r.declined.filter((d) => !declinedFps.has(d.fingerprint));
      for (const d of fresh) declinedFps.add(d.fingerprint);
      declined.push(...fresh);
      if (r.fixes.length === 0) continue;
      for (const fix of r.fixes) fixes.push({ round: rounds, fix });
      texts.set(
        file.path,
        applyLineEdits(
          texts.get(file.path) ?? textOf(file.content),
          r.fixes.map((f) => f.edit),
        ),
      );
      changed.add(file.path);
    }
    rounds++;
    if (changed.size === 0) break;
    // The whole set again (cross-file rules, kustomize patches), but fixes only where something changed.
    current = scan(
      files.map((f) => ({ path: f.path, content: texts.get(f.path) ?? f.content })),
      options.scan,
    );
    pending = changed;
  }
  // A finding declined in one round but fixed in a later one is not declined.
  const fixed = new Set<string>();
  for (const f of fixes) for (const fp of f.fix.resolves) fixed.add(fp);
  const after = current;
  return { before, after, fixes, declined: declined.filter((d) => !fixed.has(d.fingerprint)), texts, rounds };
}

/**
 * Whether each file's share of every scan of the run is the scan of that file alone: no rule reads other
 * objects, no file is a kustomization (fixes never change which files are patches) or a patch the context
 * names, and no two files share a path.
 */
function fileByFile(files: readonly SourceFile[], options: ScanOptions, prepared: PreparedScan): boolean {
  if (prepared.rules.some((r) => r.needsIndex)) return false;
  const paths = new Set<string>();
  for (const f of files) {
    if (paths.has(f.path) || isKustomizationFile(f.path)) return false;
    paths.add(f.path);
  }
  const { patches } = kustomizePatches([], options.contextFiles ?? [], { ...DEFAULT_LIMITS, ...options.limits });
  return ![...patches].some((p) => paths.has(p));
}

/** One file's share of a scan. */
interface Share {
  findings: Finding[];
  suppressed: Finding[];
  notices: Notice[];
  resources: number;
}

/** The scan of every file from each file's share, as `scan` of them all gives it (its `files` let go). */
function joined(shares: readonly Share[], filesScanned: number, rules: ScanOutput['rules']): ScanOutput {
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const notices: Notice[] = [];
  for (const s of shares) {
    for (const f of s.findings) findings.push(f);
    for (const f of s.suppressed) suppressed.push(f);
    for (const n of s.notices) notices.push(n);
  }
  findings.sort(compareFindings);
  suppressed.sort(compareFindings);
  const resourcesScanned = shares.reduce((n, s) => n + s.resources, 0);
  return { findings, suppressed, notices, filesScanned, resourcesScanned, files: new Map(), rules };
}

const shareOf = (out: ScanOutput): Share => ({ findings: out.findings, suppressed: out.suppressed, notices: out.notices, resources: out.resourcesScanned });

/**
 * fixToFixpoint when every file can be fixed on its own (fileByFile): each file is scanned, fixed, and
 * scanned again after its fixes until it reaches its fixpoint, then let go, before the next file is read.
 * Only one file's parse is in memory at a time, the parse the fixes are planned on is the one the scan
 * made (events included), and the scan of a fixed file is the one its fixes were verified together with:
 * pieced together from the changed documents' scan and the others' findings, moved (`seedScan`,
 * Verifier.verifyByDocument), or the whole fixed file's. A pieced scan has no parse: the file is scanned
 * again only when findings are left to fix in the next round.
 * The result is the one the round-by-round run gives: fixes and declines in round order, then file order.
 */
function fixEachFile(files: readonly SourceFile[], options: FixRunOptions, prepared: PreparedScan): FixRun {
  const maxRounds = options.maxRounds ?? 4;
  // The files are scanned alone, and none is a patch: the kustomizations around them change nothing.
  const { contextFiles: _context, ...alone } = options.scan;
  const scanOne = (path: string, content: string | Uint8Array): ScanOutput => scan([{ path, content }], alone, { prepared, keepEvents: true });
  const fixable = (f: Finding): boolean => f.fix !== undefined && (options.includeReview || f.fix.confidence === 'safe');
  const before: Share[] = [];
  const after: Share[] = [];
  const texts = new Map<string, string>();
  const fixesByRound: FixRun['fixes'][] = Array.from({ length: maxRounds }, () => []);
  const declinedByRound: DeclinedFix[][] = Array.from({ length: maxRounds }, () => []);
  const declinedFps = new Set<string>();
  let changedRounds = 0;
  for (const file of files) {
    let current = scanOne(file.path, file.content);
    before.push(shareOf(current));
    let round = 0;
    for (; round < maxRounds; round++) {
      const mine = current.findings.filter(fixable);
      if (mine.length === 0) break;
      let scanned = current.files.get(file.path);
      const text = texts.get(file.path);
      if (!scanned && text !== undefined) {
        // A scan pieced together from the fixed documents' (buildFixes' `seedScan`) has no parse: with
        // findings left to fix, the fixed file is scanned, its parse kept for planning (the same findings).
        current = scanOne(file.path, text);
        scanned = current.files.get(file.path);
      }
      if (!scanned) break;
      const seed: ScanSeed | undefined = !scanned.objects.some((o) => o.partial) ? { findings: current.findings, suppressed: current.suppressed } : undefined;
      const seedScan = { notices: current.notices, resources: current.resourcesScanned, objects: scanned.objects };
      const r = buildFixes(scanned, mine, {
        scan: options.scan,
        includeReview: options.includeReview,
        applyTogether: true,
        keepChecked: true,
        prepared,
        ...(seed ? { seed, seedScan } : {}),
      });
      current.files.delete(file.path);
      const fresh = r.declined.filter((d) => !declinedFps.has(d.fingerprint));
      for (const d of fresh) declinedFps.add(d.fingerprint);
      declinedByRound[round]?.push(...fresh);
      if (r.fixes.length === 0) break;
      for (const fix of r.fixes) fixesByRound[round]?.push({ round, fix });
      const base = text ?? textOf(file.content);
      // `checked` is the text of the parse the fixes were planned on with every fix applied: the same text
      // when that parse read this one (no BOM taken off), so it is not built twice.
      const fixed =
        r.checked && base === scanned.parsed?.text
          ? r.checked.text
          : applyLineEdits(
              base,
              r.fixes.map((f) => f.edit),
            );
      texts.set(file.path, fixed);
      current = r.checked?.text === fixed ? r.checked.scan : scanOne(file.path, fixed);
    }
    changedRounds = Math.max(changedRounds, round);
    after.push(shareOf(current));
  }
  const rules = prepared.rules;
  const fixes = fixesByRound.flat();
  const declined = declinedByRound.flat();
  // A finding declined in one round but fixed in a later one is not declined.
  const fixed = new Set<string>();
  for (const f of fixes) for (const fp of f.fix.resolves) fixed.add(fp);
  return {
    before: joined(before, files.length, rules),
    after: joined(after, files.length, rules),
    fixes,
    declined: declined.filter((d) => !fixed.has(d.fingerprint)),
    texts,
    rounds: Math.min(maxRounds, changedRounds + 1),
  };
}
