import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Finding, type LineEdit, MinprivError, type Severity, type SourceFile, severityRank, type VerifiedFix } from '../core/types.js';
import { unifiedDiff } from '../engine/fix-diff.js';
import { fixToFixpoint } from '../engine/fix-run.js';
import { scan } from '../engine/scan.js';
import { readPaths } from '../sources/paths.js';
import type { Command } from './io.js';
import { argsError, type FailOn, type RunSettings, runSettings, SHARED_HELP, SHARED_OPTIONS, type SharedFlags, usage } from './settings.js';

export const FIX_HELP = `usage: minpriv fix [options] [PATH...]

Apply verified least-privilege fixes in place: files, or folders (recursively, *.yaml and *.yml).
With no PATH, the current folder is fixed. Only fixes that passed verification are written
(the file still parses, the finding is gone, nothing else changes); files are replaced atomically.
Fixes run to a fixpoint: a fix that lets another one through is applied in the same run.
The nearest .github/minpriv.yml (in the current folder or above) configures it, as it does the app.

options:
  --all                 also apply review fixes (they change behaviour: each one's check is printed)
  --safe-only           apply safe fixes only (the default; wins over --all)
  --dry-run             print a unified diff of the fixes (for git apply) and change nothing;
                        the summary then goes to standard error; files outside the current
                        folder are named by absolute path (apply those with git -C / apply)
${SHARED_HELP}
  -h, --help            show this help

exit status: 0 nothing left at or above --fail-on after fixing, 1 findings remain at or above it, 2 usage, config or I/O error.
`;

interface FixArgs {
  paths: string[];
  all: boolean;
  dryRun: boolean;
  flags: SharedFlags;
  help: boolean;
}

export function parseFixArgs(argv: string[]): FixArgs {
  let values: ReturnType<typeof parse>['values'];
  let positionals: string[];
  const parse = (a: string[]) =>
    parseArgs({
      args: a,
      allowPositionals: true,
      strict: true,
      options: { ...SHARED_OPTIONS, all: { type: 'boolean' }, 'safe-only': { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
    });
  try {
    ({ values, positionals } = parse(argv));
  } catch (err) {
    throw argsError(err);
  }
  if (positionals.includes('-')) throw usage('fix edits files in place; standard input (-) is not supported');
  return {
    paths: positionals.length > 0 ? positionals : ['.'],
    all: values.all === true && values['safe-only'] !== true,
    dryRun: values['dry-run'] === true,
    flags: values,
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

/**
 * A fix that takes something away (one of its parts, `; `-joined in its title, starts with "remove" or "stop adding"):
 * the behaviour changes a reader must see before applying. "drop ALL capabilities" adds a setting.
 */
export function removesSetting(title: string): boolean {
  return title.split('; ').some((part) => /^(?:remove|stop adding)\b/.test(part));
}

export const run: Command = async (argv, io) => {
  let args: FixArgs;
  let settings: RunSettings;
  try {
    args = parseFixArgs(argv);
    if (args.help) {
      io.stdout.write(FIX_HELP);
      return 0;
    }
    settings = runSettings(args.flags, io.cwd);
  } catch (err) {
    const usage = err instanceof MinprivError && err.code === 'USAGE';
    io.stderr.write(`minpriv: ${err instanceof Error ? err.message : String(err)}${usage ? ' (see minpriv fix --help)' : ''}\n`);
    return 2;
  }
  let files: SourceFile[];
  let context: SourceFile[];
  try {
    ({ files, context } = await readPaths(args.paths, { cwd: io.cwd, maxBytes: settings.maxBytes, selects: settings.selects }));
  } catch (err) {
    io.stderr.write(`minpriv: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }

  const scanOptions = { ...settings.scan, contextFiles: context };
  const result = fixToFixpoint(files, { scan: scanOptions, includeReview: args.all });
  const next = new Map(result.texts);
  const fixes = result.fixes.map((f) => f.fix);

  let ioFailed = false;
  let outside = 0;
  for (const file of files) {
    const text = next.get(file.path);
    if (text === undefined) continue;
    if (args.dryRun) {
      const at = patchPath(io.cwd, file.path);
      if (at.startsWith('/')) outside++;
      io.stdout.write(unifiedDiff(at, originalText(file), editsOf(file, result.fixes, text)));
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

  const after = ioFailed
    ? scan(
        files.map((f) => ({ path: f.path, content: next.get(f.path) ?? f.content })),
        scanOptions,
      )
    : result.after;
  const written = fixes.filter((f) => next.has(f.file));
  const fixedCount = written.reduce((n, f) => n + f.resolves.length, 0);
  const reviewLeft = args.all ? 0 : after.findings.filter((f) => f.fix?.confidence === 'review').length;
  const failing = atOrAbove(after.findings, settings.failOn);
  const verb = args.dryRun ? 'would fix' : 'fixed';
  const lines = [`${verb} ${plural(fixedCount, 'finding')} in ${plural(next.size, 'file')} (${plural(written.length, 'edit')})`];
  const lineOf = (f: VerifiedFix) => `${f.file}:${f.edit.startLine}`;
  const reviewed = written.filter((f) => f.confidence === 'review');
  if (reviewed.length > 0) {
    lines.push(`${plural(reviewed.length, 'review fix', 'review fixes')} ${args.dryRun ? 'would be ' : ''}applied (they change behaviour):`);
    for (const f of reviewed) {
      lines.push(`  ${lineOf(f)} ${f.title}`);
      for (const c of f.checks) lines.push(`    check first: ${c}`);
    }
  }
  const removals = written.filter((f) => f.confidence === 'safe' && removesSetting(f.title));
  if (removals.length > 0) {
    lines.push(`${plural(removals.length, 'safe fix that removes', 'safe fixes that remove')} a setting:`);
    for (const f of removals) lines.push(`  ${lineOf(f)} ${f.title}`);
  }
  if (reviewLeft > 0) lines.push(`${plural(reviewLeft, 'finding')} with a review fix not applied: run with --all to apply them`);
  if (result.declined.length > 0) {
    lines.push(`${plural(result.declined.length, 'fix', 'fixes')} declined (left for a human):`);
    const byFp = new Map(result.before.findings.map((f) => [f.fingerprint, f]));
    for (const d of result.declined) {
      const f = byFp.get(d.fingerprint);
      if (f) lines.push(`  ${f.file}:${f.line} ${f.ruleId}: ${d.reason}`);
    }
  }
  lines.push(`remaining: ${plural(after.findings.length, 'finding')}, ${failing.length} at or above ${settings.failOn}`);
  if (outside > 0) lines.push(`${plural(outside, 'file')} outside the current folder: absolute paths in the diff, apply them with \`git -C / apply\``);
  (args.dryRun ? io.stderr : io.stdout).write(`${lines.join('\n')}\n`);
  if (ioFailed) return 2;
  return failing.length > 0 ? 1 : 0;
};

/**
 * The edits that turn the file as read into `text`: the first round's edits as they are; with a later round
 * (edits made against a fixed text), one edit of the whole file, which the diff narrows to the changed lines.
 */
function editsOf(file: SourceFile, fixes: readonly { round: number; fix: VerifiedFix }[], text: string): LineEdit[] {
  const mine = fixes.filter((f) => f.fix.file === file.path);
  if (mine.every((f) => f.round === 0)) return mine.map((f) => f.fix.edit);
  const original = originalText(file).replace(/^\uFEFF/, '');
  const count = original.split('\n').length - (original.endsWith('\n') ? 1 : 0);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (text.endsWith('\n')) lines.pop();
  return [{ startLine: 1, endLine: Math.max(1, count), lines }];
}

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
