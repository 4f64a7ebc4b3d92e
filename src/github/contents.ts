import pLimit from 'p-limit';
import { DEFAULT_LIMITS } from '../yaml/parse.js';
import type { GitHub } from './client.js';

/** Files per GraphQL query: enough to keep the request count low, small enough to stay clear of GitHub's 10 s query timeout. */
export const CONTENT_BATCH = 50;
const MAX_BYTES = DEFAULT_LIMITS.maxBytes;

export type FetchedContent = { path: string; content: string | Uint8Array } | { path: string; skipped: string };

interface Blob {
  text: string | null;
  byteSize: number;
  isBinary: boolean | null;
  isTruncated: boolean;
  oid: string;
}

/**
 * Head contents of `paths`, read from the BASE repository at the head SHA (so fork PRs work:
 * GitHub keeps the fork's commits under the base repository's pull refs). Aliased
 * `object(expression: "SHA:path")` fields, CONTENT_BATCH per query; a text GraphQL cut at
 * 512,000 bytes is read again as a blob when it is under the scan limit.
 */
export async function fetchContents(
  gh: GitHub,
  repo: { owner: string; repo: string },
  sha: string,
  paths: readonly string[],
  batch = CONTENT_BATCH,
): Promise<FetchedContent[]> {
  const batches: string[][] = [];
  for (let i = 0; i < paths.length; i += batch) batches.push(paths.slice(i, i + batch));
  const limit = pLimit(2);
  const results = await Promise.all(batches.map((b) => limit(() => fetchBatch(gh, repo, sha, b))));
  return results.flat();
}

async function fetchBatch(gh: GitHub, repo: { owner: string; repo: string }, sha: string, paths: readonly string[]): Promise<FetchedContent[]> {
  const vars: Record<string, string> = { owner: repo.owner, name: repo.repo };
  const decls = ['$owner: String!', '$name: String!'];
  const fields: string[] = [];
  paths.forEach((p, i) => {
    vars[`e${i}`] = `${sha}:${p}`;
    decls.push(`$e${i}: String!`);
    fields.push(`f${i}: object(expression: $e${i}) { ... on Blob { text byteSize isBinary isTruncated oid } }`);
  });
  const query = `query minprivContents(${decls.join(', ')}) { repository(owner: $owner, name: $name) { ${fields.join(' ')} } }`;
  const data = await gh.graphql<{ repository: Record<string, Blob | null> | null }>(query, vars);
  const out: FetchedContent[] = [];
  for (const [i, path] of paths.entries()) {
    const blob = data.repository?.[`f${i}`];
    if (!blob) out.push({ path, skipped: 'not found at the head commit' });
    else if (blob.byteSize > MAX_BYTES) out.push({ path, skipped: `${blob.byteSize} bytes, over the ${MAX_BYTES}-byte limit` });
    else if (blob.isBinary) out.push({ path, skipped: 'binary file, not YAML' });
    else if (blob.isTruncated || blob.text === null) out.push({ path, content: await fetchBlob(gh, repo, blob.oid) });
    else out.push({ path, content: blob.text });
  }
  return out;
}

async function fetchBlob(gh: GitHub, repo: { owner: string; repo: string }, sha: string): Promise<Uint8Array> {
  const { data } = await gh.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner: repo.owner, repo: repo.repo, file_sha: sha });
  return new Uint8Array(Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8'));
}
