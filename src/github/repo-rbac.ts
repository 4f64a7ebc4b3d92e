import type { SourceFile } from '../core/types.js';
import { capped, isYamlPath, mayHoldRbac } from '../sources/repo-files.js';
import { failureOf, type GitHub, type GraphqlState, type Log, noteGraphqlFailure } from './client.js';

/** Blob SHA → its text when it may hold RBAC objects or workloads, null when not: blobs never change, so a push reads only new ones. */
const blobCache = new Map<string, string | null>();
const CACHE_MAX = 50_000;
const BATCH = 100;

export interface RepoRbacFiles {
  files: SourceFile[];
  notes: string[];
  /** False when the repository could not be read whole (tree cut, GraphQL unavailable, failures). */
  complete: boolean;
}

/**
 * The files of the repository at `sha` that may define roles, bindings, ServiceAccounts or workloads, for the
 * RBAC permission diff: one tree request (`git/trees?recursive=1`), then the YAML blobs not yet cached, 100 per
 * GraphQL query by object id, filtered by content. The `first` paths (the files the PR touched, both names of a
 * rename) are always read; the rest by path while the total is under `maxFiles`.
 */
export async function readRepoRbacFiles(
  gh: GitHub,
  repo: { owner: string; repo: string },
  sha: string,
  opts: { maxFiles: number; maxBytes: number; first?: readonly string[]; graphql: GraphqlState; log: Log },
): Promise<RepoRbacFiles> {
  const notes: string[] = [];
  const { data } = await gh.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner: repo.owner, repo: repo.repo, tree_sha: sha, recursive: '1' });
  let complete = !data.truncated;
  if (data.truncated) notes.push(`GitHub cut the file list of ${sha.slice(0, 7)}: the permission diff saw only part of the repository.`);
  const yaml = data.tree
    .filter((e) => e.type === 'blob' && typeof e.path === 'string' && typeof e.sha === 'string' && isYamlPath(e.path))
    .map((e) => ({ path: e.path as string, sha: e.sha as string, size: typeof e.size === 'number' ? e.size : 0 }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const small = yaml.filter((e) => e.size <= opts.maxBytes);
  if (small.length < yaml.length) notes.push(`${yaml.length - small.length} YAML files over ${opts.maxBytes} bytes were left out of the permission diff.`);
  // A binding the PR adds past the cap must still count: its files first, then the cap on the rest (same as the CLI).
  const first = new Set(opts.first ?? []);
  const touched = small.filter((e) => first.has(e.path)).length;
  const wanted = capped(small, opts.maxFiles, 0, opts.first).take;
  if (wanted.length < small.length) {
    complete = false;
    notes.push(
      touched === 0
        ? `The permission diff read the first ${opts.maxFiles} of ${small.length} YAML files (\`rbac.maxFiles\`).`
        : `The permission diff read the ${touched === 1 ? 'YAML file' : `${touched} YAML files`} the pull request touched${wanted.length > touched ? ` and the first ${wanted.length - touched} others` : ''} of ${small.length} (\`rbac.maxFiles\`).`,
    );
  }
  const missing = [...new Set(wanted.filter((e) => !blobCache.has(e.sha)).map((e) => e.sha))];
  for (let i = 0; i < missing.length && opts.graphql.usable; i += BATCH) {
    const batch = missing.slice(i, i + BATCH);
    const vars: Record<string, string> = { owner: repo.owner, name: repo.repo };
    const decls = ['$owner: String!', '$name: String!'];
    const fields = batch.map((oid, k) => {
      vars[`o${k}`] = oid;
      decls.push(`$o${k}: GitObjectID!`);
      return `o${k}: object(oid: $o${k}) { ... on Blob { text isBinary isTruncated } }`;
    });
    try {
      const got = await gh.graphql<{ repository?: Record<string, { text?: string | null; isBinary?: boolean; isTruncated?: boolean } | null> | null }>(
        `query minprivRbacBlobs(${decls.join(', ')}) { repository(owner: $owner, name: $name) { ${fields.join(' ')} } }`,
        vars,
      );
      batch.forEach((oid, k) => {
        const blob = got?.repository?.[`o${k}`];
        if (!blob || blob.isBinary || blob.isTruncated || typeof blob.text !== 'string') return;
        if (blobCache.size >= CACHE_MAX) blobCache.delete(blobCache.keys().next().value as string);
        blobCache.set(oid, mayHoldRbac(blob.text) ? blob.text : null);
      });
    } catch (err) {
      noteGraphqlFailure(opts.graphql, err);
      opts.log.warn(`could not read repository files for the permission diff (${failureOf(err)})`);
    }
  }
  const files: SourceFile[] = [];
  let unread = 0;
  for (const e of wanted) {
    const text = blobCache.get(e.sha);
    if (text === undefined) unread++;
    else if (text !== null) files.push({ path: e.path, content: text });
  }
  if (unread > 0) {
    complete = false;
    notes.push(`${unread} repository files could not be read for the permission diff.`);
  }
  return { files, notes, complete };
}

/** Tests: forget the cached blobs. */
export function clearRepoRbacCache(): void {
  blobCache.clear();
}
