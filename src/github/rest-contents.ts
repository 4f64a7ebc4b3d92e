import { tooLarge } from '../review/collect.js';
import { DEFAULT_LIMITS } from '../yaml/parse.js';
import { failureOf, type GitHub, statusOf } from './client.js';

export { tooLarge };

const MAX_BYTES = DEFAULT_LIMITS.maxBytes;

type Repo = { owner: string; repo: string };

/** A changed file read through REST: its bytes, or why it could not be read. */
export type RestRead = { content: Uint8Array } | { skipped: string };

function decode(content: string, encoding: string): Uint8Array {
  return new Uint8Array(Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'));
}

/**
 * One changed file through REST: the git blob of its `sha` from the PR file list (base64, up to 100 MB,
 * reachable from the base repository for fork PRs too); without a sha, the contents API at the head
 * commit. `why` says why GraphQL did not give it, for the skip reason.
 */
export async function readChangedFile(
  gh: GitHub,
  repo: Repo,
  headSha: string,
  path: string,
  sha: string | undefined,
  why: string,
  maxBytes = MAX_BYTES,
): Promise<RestRead> {
  try {
    if (sha) {
      const { data } = await gh.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner: repo.owner, repo: repo.repo, file_sha: sha });
      if (data.size !== null && data.size !== undefined && data.size > maxBytes) return { skipped: tooLarge(data.size, maxBytes) };
      return { content: decode(data.content, data.encoding) };
    }
    const found = await readAtRef(gh, repo, headSha, path, maxBytes);
    if (found === undefined) return { skipped: 'not found at the head commit' };
    return 'skipped' in found ? found : { content: found.content };
  } catch (err) {
    const what = sha ? `the git blob ${sha.slice(0, 7)}` : 'the contents API';
    return { skipped: `content could not be read (${why}; ${what} answered ${failureOf(err)})` };
  }
}

/**
 * A file at `ref` through the contents API: undefined when absent (404, or a folder). Over 1 MB the API
 * gives no content (encoding `none`): that is reported, not read as empty.
 */
export async function readAtRef(
  gh: GitHub,
  repo: Repo,
  ref: string,
  path: string,
  maxBytes = MAX_BYTES,
): Promise<{ content: Uint8Array } | { skipped: string } | undefined> {
  let data: unknown;
  try {
    ({ data } = await gh.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: repo.owner, repo: repo.repo, path, ref }));
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
  if (Array.isArray(data) || typeof data !== 'object' || data === null) return undefined;
  const file = data as { type?: string; content?: string; encoding?: string; size?: number };
  if (file.type !== undefined && file.type !== 'file') return undefined;
  if (typeof file.size === 'number' && file.size > maxBytes) return { skipped: tooLarge(file.size, maxBytes) };
  if (typeof file.content !== 'string' || file.encoding === 'none') return { skipped: 'the contents API gave no content (file over 1 MB)' };
  return { content: decode(file.content, file.encoding ?? 'base64') };
}

/** Blob SHA of every file at `ref`, from one recursive tree read; undefined when GitHub cut the list (`truncated`). */
export async function readTree(gh: GitHub, repo: Repo, ref: string): Promise<Map<string, string> | undefined> {
  const { data } = await gh.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
    owner: repo.owner,
    repo: repo.repo,
    tree_sha: ref,
    recursive: '1',
  });
  if (data.truncated) return undefined;
  const blobs = new Map<string, string>();
  for (const e of data.tree) if (e.type === 'blob' && e.path && e.sha) blobs.set(e.path, e.sha);
  return blobs;
}
