import { type Dirent, promises as fs } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { MinprivError, type SourceFile } from '../core/types.js';
import { DEFAULT_LIMITS } from '../yaml/parse.js';
import { catObjects } from './git.js';

/**
 * The files of a whole checkout that matter for RBAC: every YAML file that holds an RBAC kind, a ServiceAccount or a
 * workload. The bindings and roles a change did not touch still count (a new binding to an old role), so the diff needs
 * them all; a content filter keeps the rest out of the parse.
 */

export const DEFAULT_MAX_FILES = 5_000;

export interface RepoFilesOptions {
  /** YAML files read at most (`rbac.maxFiles`); the first ones by path are read when there are more. */
  maxFiles?: number;
  /**
   * Paths always read, before the cap is applied to the rest: the files the change touched (both names of a rename).
   * A new binding past the cap must still be seen, or a change could hide a grant behind 5,000 other files.
   */
  first?: readonly string[];
  /** Files over this many bytes are not read (default: the parser's cap). */
  maxBytes?: number;
}

export interface RepoFiles {
  /** YAML files that passed the content filter, by path. */
  files: SourceFile[];
  /** YAML files in the tree, and how many of them were read. */
  yamlFiles: number;
  read: number;
  /** What was left out: the cap, oversized files. */
  notes: string[];
}

const YAML_RE = /\.ya?ml$/i;
// Permissive on purpose: a false positive costs a parse, a false negative a wrong diff.
const RELEVANT_RE =
  /\bkind["']?\s*:\s*["']?(?:Role|ClusterRole|RoleBinding|ClusterRoleBinding|ServiceAccount|Pod|Deployment|ReplicaSet|StatefulSet|DaemonSet|Job|CronJob|ReplicationController)\b|\bserviceAccount(?:Name)?["']?\s*:/;

export function isYamlPath(p: string): boolean {
  return YAML_RE.test(p);
}

const RBAC_KIND_RE = /\bkind["']?\s*:\s*["']?(?:Role|ClusterRole|RoleBinding|ClusterRoleBinding|ServiceAccount)\b/;

const latin1 = (content: string | Uint8Array): string =>
  typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('latin1');

/** The cheap content filter: might this file define a role, a binding, a ServiceAccount or a workload? */
export function mayHoldRbac(content: string | Uint8Array): boolean {
  return RELEVANT_RE.test(latin1(content));
}

/** Might this file define a role, a binding or a ServiceAccount (not only run as one)? The app reads the repository for the permission diff only then. */
export function mayDefineRbac(content: string | Uint8Array | undefined): boolean {
  return content !== undefined && RBAC_KIND_RE.test(latin1(content));
}

async function git(cwd: string, args: string[]): Promise<string> {
  const r = await execa('git', ['-c', 'core.quotePath=false', ...args], { cwd, reject: false, stripFinalNewline: false });
  if (r.exitCode !== 0) throw new MinprivError('GIT', `git ${args[0]} failed: ${String(r.stderr).trim() || `exit ${r.exitCode}`}`);
  return String(r.stdout);
}

/** The relevant files of the tree at `rev`: one `git ls-tree -r` for names and sizes, one `git cat-file --batch` for contents. */
export async function readRepoFilesAt(cwd: string, rev: string, opts: RepoFilesOptions = {}): Promise<RepoFiles> {
  const maxBytes = opts.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  const blobs: { path: string; sha: string }[] = [];
  let oversized = 0;
  // Entries: "<mode> <type> <sha> <size>\t<path>"; symlinks (120000) and submodules (commit) are not manifests.
  for (const entry of (await git(cwd, ['ls-tree', '-r', '-l', '-z', '--full-tree', rev])).split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, sha, size] = entry.slice(0, tab).split(/\s+/);
    const p = entry.slice(tab + 1);
    if (type !== 'blob' || mode === '120000' || !sha || !isYamlPath(p)) continue;
    if (Number(size) > maxBytes) oversized++;
    else blobs.push({ path: p, sha });
  }
  const { take, notes } = capped(blobs, opts.maxFiles, oversized, opts.first);
  const contents = await catBlobs(
    cwd,
    take.map((b) => b.sha),
  );
  const files: SourceFile[] = [];
  for (const b of take) {
    const content = contents.get(b.sha);
    if (content && mayHoldRbac(content)) files.push({ path: b.path, content });
  }
  return { files, yamlFiles: blobs.length + oversized, read: take.length, notes };
}

/** The relevant files of the working tree: tracked and untracked ones git does not ignore, or every file outside a repository. */
export async function readWorkingTreeFiles(cwd: string, opts: RepoFilesOptions = {}): Promise<RepoFiles> {
  const maxBytes = opts.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  const listed = await execa('git', ['-c', 'core.quotePath=false', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd, reject: false });
  const paths = listed.exitCode === 0 ? String(listed.stdout).split('\0').filter(isYamlPath) : await walk(cwd);
  const sized: { path: string }[] = [];
  let oversized = 0;
  for (const p of [...new Set(paths)].sort()) {
    const stat = await fs.lstat(path.join(cwd, p)).catch(() => undefined);
    // Deleted but still in the index, a symlink, a folder: not a manifest here.
    if (!stat?.isFile()) continue;
    if (stat.size > maxBytes) oversized++;
    else sized.push({ path: p });
  }
  const { take, notes } = capped(sized, opts.maxFiles, oversized, opts.first);
  const files: SourceFile[] = [];
  for (const { path: p } of take) {
    const content = new Uint8Array(await fs.readFile(path.join(cwd, p)));
    if (mayHoldRbac(content)) files.push({ path: p, content });
  }
  return { files, yamlFiles: sized.length + oversized, read: take.length, notes };
}

/**
 * The files to read: the `first` ones (the change's own files) always, then the others by path while the total is
 * under `maxFiles`. The note says what was left out, so it stays true whichever files were kept.
 */
export function capped<T extends { path: string }>(
  all: readonly T[],
  maxFiles = DEFAULT_MAX_FILES,
  oversized: number,
  first: readonly string[] = [],
): { take: T[]; notes: string[] } {
  const notes: string[] = [];
  const wanted = new Set(first);
  const priority = all.filter((f) => wanted.has(f.path));
  const rest = all.filter((f) => !wanted.has(f.path));
  const kept = new Set(rest.slice(0, Math.max(0, maxFiles - priority.length)));
  // In the tree's order (by path) as before: which of two equal bindings is named must not depend on the change.
  const take = all.filter((f) => wanted.has(f.path) || kept.has(f));
  if (take.length < all.length) {
    const others = take.length - priority.length;
    notes.push(
      priority.length === 0
        ? `the repository has ${all.length} YAML files; the first ${maxFiles} by path were read for RBAC (rbac.maxFiles), so grants in the rest are not seen`
        : `the repository has ${all.length} YAML files; the ${priority.length === 1 ? 'file' : `${priority.length} files`} the change touched${others > 0 ? ` and the first ${others} others by path were` : priority.length === 1 ? ' was' : ' were'} read for RBAC (rbac.maxFiles), so grants in the rest are not seen`,
    );
  }
  if (oversized > 0) notes.push(`${oversized} YAML file(s) over ${DEFAULT_LIMITS.maxBytes} bytes not read`);
  return { take, notes };
}

/** The paths that differ between two commits, both names of a rename: the files `first` should hold. */
export async function changedPathsBetween(cwd: string, base: string, head: string): Promise<string[]> {
  const out = await git(cwd, ['diff', '--name-only', '-z', '--no-renames', base, head, '--']);
  return out.split('\0').filter((p) => p !== '');
}

async function walk(root: string, rel = ''): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
  } catch (err) {
    throw new MinprivError('READ', `cannot read ${path.join(root, rel)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules') out.push(...(await walk(root, p)));
    else if (e.isFile() && isYamlPath(e.name)) out.push(p);
  }
  return out;
}

/** Contents of blobs by SHA through one `git cat-file --batch` (a blob shared by several paths is read once). */
function catBlobs(cwd: string, shas: readonly string[]): Promise<Map<string, Uint8Array>> {
  return catObjects(cwd, shas);
}
