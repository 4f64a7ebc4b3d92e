import type { Finding, SourceFile, VerifiedFix } from '../core/types.js';
import { applyLineEdits, buildFixes, type DeclinedFix } from './fix.js';
import { type ScanOptions, type ScanOutput, scan, selectRules } from './scan.js';
import type { ScanSeed } from './verify.js';

export interface FixRunOptions {
  scan: ScanOptions;
  /** Apply review fixes too (default: safe ones only). */
  includeReview: boolean;
  /** Most rounds of fix → re-scan (cascades: a fix that lets another rule's fix through). */
  maxRounds?: number;
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
 * let go once its fixes are built.
 */
export function fixToFixpoint(files: readonly SourceFile[], options: FixRunOptions): FixRun {
  const maxRounds = options.maxRounds ?? 4;
  const before = scan(files, options.scan);
  const texts = new Map<string, string>();
  const fixes: FixRun['fixes'] = [];
  const declined: DeclinedFix[] = [];
  const declinedFps = new Set<string>();
  // A rule that reads other objects (`needsIndex`) sees the whole scan there and one file in verification.
  const alone = !selectRules(options.scan).some((r) => r.needsIndex);
  let current = before;
  let pending = new Set(files.map((f) => f.path));
  let rounds = 0;
  const fixable = (f: Finding): boolean => f.fix !== undefined && (options.includeReview || f.fix.confidence === 'safe');
  while (rounds < maxRounds) {
    const changed = new Set<string>();
    const found = byFile(current, fixable);
    for (const file of files) {
      const scanned = current.files.get(file.path);
      // Done with this file's parse in this scan, whatever happens below.
      current.files.delete(file.path);
      if (!pending.has(file.path)) continue;
      const mine = found.get(file.path);
      if (!scanned || !mine || mine.fixable.length === 0) continue;
      const seed: ScanSeed | undefined = alone && !scanned.objects.some((o) => o.partial) ? { findings: mine.active, suppressed: mine.suppressed } : undefined;
      const r = buildFixes(scanned, mine.fixable, { scan: options.scan, includeReview: options.includeReview, ...(seed ? { seed } : {}) });
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
  const fixed = new Set(fixes.flatMap((f) => f.fix.resolves));
  const after = current;
  return { before, after, fixes, declined: declined.filter((d) => !fixed.has(d.fingerprint)), texts, rounds };
}
