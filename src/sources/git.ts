import { execa } from 'execa';
import parseDiff from 'parse-diff';
import { type ChangedFile, type ChangeStatus, MinprivError, type SourceFile } from '../core/types.js';
import type { ChangeSet } from '../diff/change-set.js';
import { kustomizationsAbove } from '../k8s/kustomize.js';

export interface GitRange {
  /** Resolved commit SHAs. */
  base: string;
  head: string;
}

async function git(cwd: string, args: string[], input?: string): Promise<string> {
  const r = await execa('git', ['-c', 'core.quotePath=false', ...args], {
    cwd,
    reject: false,
    ...(input === undefined ? {} : { input }),
    stripFinalNewline: false,
  });
  if (r.exitCode !== 0) throw new MinprivError('GIT', `git ${args[0]} failed: ${String(r.stderr).trim() || `exit ${r.exitCode}`}`);
  return String(r.stdout);
}

/** Resolve a revision to a commit SHA (a clear error for a ref that does not exist). */
export async function resolveCommit(cwd: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new MinprivError('GIT_REF', `not a git revision: ${ref}`);
  const r = await execa('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd, reject: false });
  if (r.exitCode !== 0) throw new MinprivError('GIT_REF', `unknown git revision "${ref}" in ${cwd}`);
  return String(r.stdout).trim();
}

const STATUS: Record<string, ChangeStatus> = { A: 'added', M: 'modified', D: 'removed', R: 'renamed', C: 'copied', T: 'changed' };

/**
 * The change set of `git diff BASE...HEAD` (what a PR from HEAD into BASE shows): statuses and
 * renames from `--name-status`, one patch per file, head contents of the files `want` selects
 * (one `git cat-file --batch` for all of them), and their base contents (one more batch).
 */
export async function gitChangeSet(
  cwd: string,
  baseRef: string,
  headRef = 'HEAD',
  want: (path: string) => boolean = () => true,
): Promise<{ range: GitRange; changes: ChangeSet }> {
  const range = { base: await resolveCommit(cwd, baseRef), head: await resolveCommit(cwd, headRef) };
  const spec = `${range.base}...${range.head}`;
  const names = (await git(cwd, ['diff', '--name-status', '-z', '--find-renames', spec])).split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < names.length - 1; ) {
    const code = (names[i] as string).charAt(0);
    const renamed = code === 'R' || code === 'C';
    const f: ChangedFile = { path: (renamed ? names[i + 2] : names[i + 1]) as string, status: STATUS[code] ?? 'modified' };
    if (renamed) f.previousPath = names[i + 1] as string;
    files.push(f);
    i += renamed ? 3 : 2;
  }
  const patches = splitDiff(await git(cwd, ['diff', '--no-color', '--no-ext-diff', '--find-renames', '-U3', spec]));
  const wanted = files.filter((f) => f.status !== 'removed' && want(f.path)).map((f) => f.path);
  // The kustomizations beside the changed files and above them say which are patches; read in the same batch.
  const beside = kustomizationsAbove(wanted);
  const contents = await catFiles(cwd, range.head, [...wanted, ...beside]);
  // The base version of each changed file (renames: under its old name), for "already present" findings.
  const before = files.filter((f) => f.status !== 'added' && f.status !== 'removed' && want(f.path));
  const baseContents = await catFiles(cwd, range.base, [...new Set(before.map((f) => f.previousPath ?? f.path))]);
  for (const f of files) {
    const patch = patches.get(f.path);
    if (patch !== undefined) f.patch = patch;
    const content = contents.get(f.path);
    if (content && !beside.includes(f.path)) f.content = content;
    const base = f.status !== 'added' && f.status !== 'removed' ? baseContents.get(f.previousPath ?? f.path) : undefined;
    if (base) f.baseContent = base;
  }
  const context: SourceFile[] = [];
  for (const p of beside) {
    const content = contents.get(p);
    if (content) context.push({ path: p, content });
  }
  return { range, changes: { files, source: 'git', context } };
}

/**
 * One patch per file of a whole `git diff`, keyed by the new path (old path for deletions). A file git shows
 * without hunks (a pure rename, a mode change) gets an empty patch: git says no line changed. Binary files
 * get none.
 */
function splitDiff(diff: string): Map<string, string> {
  const out = new Map<string, string>();
  const sections = diff.split(/^(?=diff --git )/m).filter((s) => s.startsWith('diff --git '));
  for (const section of sections) {
    const [file] = parseDiff(section);
    if (!file || (file.chunks.length === 0 && /^(?:Binary files |GIT binary patch)/m.test(section))) continue;
    const path = (file.deleted ? file.from : file.to) ?? file.from;
    if (path) out.set(path, file.chunks.length === 0 ? '' : section);
  }
  return out;
}

/** Raw bytes of `rev:path` for each path, through one `git cat-file --batch`. */
async function catFiles(cwd: string, rev: string, paths: readonly string[]): Promise<Map<string, Uint8Array>> {
  const got = await catObjects(
    cwd,
    paths.map((p) => `${rev}:${p}`),
  );
  const out = new Map<string, Uint8Array>();
  for (const p of paths) {
    const blob = got.get(`${rev}:${p}`);
    if (blob) out.set(p, blob);
  }
  return out;
}

/** Raw bytes of each blob named (`rev:path` or a SHA), through one `git cat-file --batch`; missing ones are absent. */
export async function catObjects(cwd: string, names: readonly string[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const unique = [...new Set(names)];
  if (unique.length === 0) return out;
  const r = await execa('git', ['cat-file', '--batch'], { cwd, input: `${unique.join('\n')}\n`, encoding: 'buffer', reject: false });
  if (r.exitCode !== 0) throw new MinprivError('GIT', `git cat-file failed: exit ${r.exitCode}`);
  const buf = Buffer.from(r.stdout);
  let at = 0;
  for (const name of unique) {
    const nl = buf.indexOf(10, at);
    if (nl < 0) break;
    const header = buf.subarray(at, nl).toString('utf8');
    at = nl + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) continue; // "<name> missing"
    const size = Number(m[2]);
    if (m[1] === 'blob') out.set(name, new Uint8Array(buf.subarray(at, at + size)));
    at += size + 1;
  }
  return out;
}
