import type { Finding, SourceFile, VerifiedFix } from '../core/types.js';
import { applyLineEdits, buildFixes, type DeclinedFix } from './fix.js';
import { type ScanOptions, type ScanOutput, scan } from './scan.js';

export interface FixRunOptions {
  scan: ScanOptions;
  /** Apply review fixes too (default: safe ones only). */
  includeReview: boolean;
  /** Most rounds of fix → re-scan (cascades: a fix that lets another rule's fix through). */
  maxRounds?: number;
}

export interface FixRun {
  /** The first scan, of the files as read. */
  before: ScanOutput;
  /** The scan of the fixed texts. */
  after: ScanOutput;
  /** Every fix applied, round after round, each against the text of its round. */
  fixes: { round: number; fix: VerifiedFix }[];
  declined: DeclinedFix[];
  /** The fixed text of each changed file. */
  texts: Map<string, string>;
  rounds: number;
}

const textOf = (content: string | Uint8Array): string => (typeof content === 'string' ? content : Buffer.from(content).toString('utf8'));

/**
 * The `fix` stage for whole files (the CLI's `minpriv fix`): build the verified fixes of every file, apply
 * them, re-scan the changed files and go on while that offers new fixes, so one run reaches the fixpoint and
 * a second one has nothing to do. Pure: texts in, texts out.
 */
export function fixToFixpoint(files: readonly SourceFile[], options: FixRunOptions): FixRun {
  const maxRounds = options.maxRounds ?? 4;
  const before = scan(files, options.scan);
  const texts = new Map<string, string>();
  const fixes: FixRun['fixes'] = [];
  const declined: DeclinedFix[] = [];
  let current = before;
  let pending = new Set(files.map((f) => f.path));
  let rounds = 0;
  const fixable = (f: Finding): boolean => f.fix !== undefined && (options.includeReview || f.fix.confidence === 'safe');
  while (rounds < maxRounds) {
    const changed = new Set<string>();
    for (const file of files) {
      if (!pending.has(file.path)) continue;
      const scanned = current.files.get(file.path);
      const mine = current.findings.filter((f) => f.file === file.path && fixable(f));
      if (!scanned || mine.length === 0) continue;
      const r = buildFixes(scanned, mine, { scan: options.scan, includeReview: options.includeReview });
      const known = new Set(declined.map((d) => d.fingerprint));
      declined.push(...r.declined.filter((d) => !known.has(d.fingerprint)));
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
