import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Finding, MinprivError, type Severity, type SourceFile, severityRank, type VerifiedFix } from '../core/types.js';
import { formatKubeVersion, LATEST_PSS_VERSION, parseKubeVersion } from '../core/version.js';
import { applyLineEdits, buildFixes, type DeclinedFix } from '../engine/fix.js';
import { unifiedDiff } from '../engine/fix-diff.js';
import { DEFAULT_PROFILE, isProfileName, PROFILES } from '../engine/profiles.js';
import { type ScanOptions, scan } from '../engine/scan.js';
import { readPaths } from '../sources/paths.js';
import { DEFAULT_LIMITS } from '../yaml/parse.js';
import type { Command } from './io.js';

export const FIX_HELP = `usage: minpriv fix [options] [PATH...]

Apply verified least-privilege fixes in place: files, or folders (recursively, *.yaml and *.yml).
With no PATH, the current folder is fixed. Only fixes that passed verification are written
(the file still parses, the finding is gone, nothing else changes); files are replaced atomically.

options:
  --all                 also apply review fixes (they change behaviour: read the check of each one)
  --dry-run             print a unified diff of the fixes (for git apply) and change nothing;
                        the summary then goes to standard error; files outside the current
                        folder are named by absolute path (apply those with git -C / apply)
  --profile NAME        ${PROFILES.join(' | ')} (default: ${DEFAULT_PROFILE})
  --pss-version V       Pod Security Standards version: v1.NN or latest (default: latest = ${formatKubeVersion(LATEST_PSS_VERSION)})
  --fail-on S           critical | high | medium | low | none (default: medium)
  --max-bytes N         per-file byte cap (default: ${DEFAULT_LIMITS.maxBytes})
  -h, --help            show this help

exit status: 0 nothing left at or above --fail-on after fixing, 1 findings remain at or above it, 2 usage or I/O error.
`;

const FAIL_ON = ['critical', 'high', 'medium', 'low', 'none'] as const;
type FailOn = (typeof FAIL_ON)[number];

interface FixArgs {
  paths: string[];
  all: boolean;
  dryRun: boolean;
  scan: ScanOptions;
  failOn: FailOn;
  maxBytes: number;
  help: boolean;
}

function usage(message: string): MinprivError {
  return new MinprivError('USAGE', message);
}

export function parseFixArgs(argv: string[]): FixArgs {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        all: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        profile: { type: 'string' },
        'pss-version': { type: 'string' },
        'fail-on': { type: 'string' },
        'max-bytes': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const opt = /'(-[^']*)'/.exec(msg)?.[1];
    throw usage(opt && /unknown/i.test(msg) ? `unknown option "${opt}"` : (msg.split(/\.\s|\n/)[0] as string).replace(/\.$/, ''));
  }
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const profile = str('profile') ?? DEFAULT_PROFILE;
  if (!isProfileName(profile)) throw usage(`invalid value for --profile: "${profile}" (expected ${PROFILES.join(', ')})`);
  const versionText = str('pss-version');
  const pssVersion = versionText === undefined ? LATEST_PSS_VERSION : parseKubeVersion(versionText);
  if (!pssVersion) throw usage(`invalid value for --pss-version: "${versionText}" (expected v1.NN up to ${formatKubeVersion(LATEST_PSS_VERSION)}, or latest)`);
  const failOn = str('fail-on') ?? 'medium';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw usage(`invalid value for --fail-on: "${failOn}" (expected ${FAIL_ON.join(', ')})`);
  const bytesText = str('max-bytes');
  if (bytesText !== undefined && (!/^\d+$/.test(bytesText) || Number(bytesText) < 1)) {
    throw usage(`invalid value for --max-bytes: "${bytesText}" (expected a positive whole number of bytes)`);
  }
  const maxBytes = bytesText === undefined ? DEFAULT_LIMITS.maxBytes : Number(bytesText);
  if (positionals.includes('-')) throw usage('fix edits files in place; standard input (-) is not supported');
  return {
    paths: positionals.length > 0 ? positionals : ['.'],
    all: values.all === true,
    dryRun: values['dry-run'] === true,
    scan: { profile, pssVersion, limits: { maxBytes } },
    failOn: failOn as FailOn,
    maxBytes,
    help: values.help === true,
  };
}

/** Replace a file through a temporary sibling and a rename, keeping its mode; symlinks are written through. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const real = await fs.realpath(file);
  const { mode } = await fs.stat(real);
  const tmp = path.join(path.dirname(real), `.${path.basename(real)}.minpriv-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, text, { mode: mode & 0o7777, flag: 'wx' });
    await fs.chmod(tmp, mode & 0o7777);
    await fs.rename(tmp, real);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

function originalText(file: SourceFile): string {
  return typeof file.content === 'string' ? file.content : Buffer.from(file.content).toString('utf8');
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function atOrAbove(findings: readonly Finding[], failOn: FailOn): Finding[] {
  if (failOn === 'none') return [];
  return findings.filter((f) => severityRank(f.severity) >= severityRank(failOn as Severity));
}

export const run: Command = async (argv, io) => {
  let args: FixArgs;
  try {
    args = parseFixArgs(argv);
  } catch (err) {
    io.stderr.write(`minpriv: ${err instanceof Error ? err.message : String(err)} (see minpriv fix --help)\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(FIX_HELP);
    return 0;
  }
  let files: SourceFile[];
  try {
    files = (await readPaths(args.paths, { cwd: io.cwd, maxBytes: args.maxBytes })).files;
  } catch (err) {
    io.stderr.write(`minpriv: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }

  const before = scan(files, args.scan);
  const fixes: VerifiedFix[] = [];
  const declined: DeclinedFix[] = [];
  const next = new Map<string, string>();
  for (const file of files) {
    const scanned = before.files.get(file.path);
    const mine = before.findings.filter((f) => f.file === file.path && f.fix);
    if (!scanned || mine.length === 0) continue;
    const r = buildFixes(scanned, mine, { scan: args.scan, includeReview: args.all });
    declined.push(...r.declined);
    if (r.fixes.length === 0) continue;
    fixes.push(...r.fixes);
    next.set(
      file.path,
      applyLineEdits(
        originalText(file),
        r.fixes.map((f) => f.edit),
      ),
    );
  }

  let ioFailed = false;
  let outside = 0;
  for (const file of files) {
    const text = next.get(file.path);
    if (text === undefined) continue;
    const own = fixes.filter((f) => f.file === file.path);
    if (args.dryRun) {
      const at = patchPath(io.cwd, file.path);
      if (at.startsWith('/')) outside++;
      io.stdout.write(
        unifiedDiff(
          at,
          originalText(file),
          own.map((f) => f.edit),
        ),
      );
      continue;
    }
    try {
      const abs = path.resolve(io.cwd, file.path);
      // Someone else may have edited the file since it was read: never overwrite that.
      const now = await fs.readFile(abs);
      const read = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
      if (!now.equals(read)) throw new Error('changed on disk while fixing; not written');
      await writeAtomically(abs, text);
    } catch (err) {
      ioFailed = true;
      next.delete(file.path);
      io.stderr.write(`minpriv: ${file.path}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }

  const after = scan(
    files.map((f) => ({ path: f.path, content: next.get(f.path) ?? f.content })),
    args.scan,
  );
  const written = fixes.filter((f) => next.has(f.file));
  const fixedCount = written.reduce((n, f) => n + f.resolves.length, 0);
  const reviewLeft = args.all ? 0 : after.findings.filter((f) => f.fix?.confidence === 'review').length;
  const failing = atOrAbove(after.findings, args.failOn);
  const lines = [`${args.dryRun ? 'would fix' : 'fixed'} ${plural(fixedCount, 'finding')} in ${plural(next.size, 'file')} (${plural(written.length, 'edit')})`];
  if (reviewLeft > 0) lines.push(`${plural(reviewLeft, 'finding')} with a review fix not applied: run with --all to apply them`);
  if (declined.length > 0) {
    lines.push(`${plural(declined.length, 'fix', 'fixes')} declined (left for a human):`);
    const byFp = new Map(before.findings.map((f) => [f.fingerprint, f]));
    for (const d of declined) {
      const f = byFp.get(d.fingerprint);
      if (f) lines.push(`  ${f.file}:${f.line} ${f.ruleId}: ${d.reason}`);
    }
  }
  lines.push(`remaining: ${plural(after.findings.length, 'finding')}, ${failing.length} at or above ${args.failOn}`);
  if (outside > 0) lines.push(`${plural(outside, 'file')} outside the current folder: absolute paths in the diff, apply them with \`git -C / apply\``);
  (args.dryRun ? io.stderr : io.stdout).write(`${lines.join('\n')}\n`);
  if (ioFailed) return 2;
  return failing.length > 0 ? 1 : 0;
};

/**
 * Where the diff names a file: relative to the current folder inside it (`git apply` there), absolute
 * outside it, `../` included: git refuses `..` and absolute names alike, and only an absolute one applies
 * somewhere without --unsafe-paths (from `/`, see diffHeaders).
 */
function patchPath(cwd: string, shown: string): string {
  const abs = path.resolve(cwd, shown);
  const rel = path.relative(cwd, abs);
  const inside = rel !== '' && rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel);
  return (inside ? rel : abs).split(path.sep).join('/');
}
