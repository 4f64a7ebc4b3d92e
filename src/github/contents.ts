import { posix } from 'node:path';
import pLimit from 'p-limit';
import type { SourceFile } from '../core/types.js';
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

export interface FetchOptions {
  batch?: number;
  /**
   * Files read for context only (the kustomizations beside the changed files), in the same queries as
   * the files of their folder: extra aliases, no extra request. A missing one is simply absent.
   */
  context?: readonly string[];
}

export interface FetchResult {
  files: FetchedContent[];
  context: SourceFile[];
}

/**
 * Head contents of `paths`, read from the BASE repository at the head SHA (so fork PRs work:
 * GitHub keeps the fork's commits under the base repository's pull refs). Aliased
 * `object(expression: "SHA:path")` fields, CONTENT_BATCH files per query; a text GraphQL cut at
 * 512,000 bytes is read again as a blob when it is under the scan limit.
 */
export async function fetchContents(
  gh: GitHub,
  repo: { owner: string; repo: string },
  sha: string,
  paths: readonly string[],
  options: FetchOptions = {},
): Promise<FetchResult> {
  const size = options.batch ?? CONTENT_BATCH;
  const batches: { paths: string[]; context: string[] }[] = [];
  for (let i = 0; i < paths.length; i += size) batches.push({ paths: paths.slice(i, i + size), context: [] });
  // Each context file rides with the first batch that holds a file of its folder.
  for (const c of options.context ?? []) {
    const dir = posix.dirname(c);
    const home = batches.find((b) => b.paths.some((p) => posix.dirname(p) === dir)) ?? batches.at(-1);
    if (home) home.context.push(c);
    else batches.push({ paths: [], context: [c] });
  }
  const limit = pLimit(2);
  const results = await Promise.all(batches.map((b) => limit(() => fetchBatch(gh, repo, sha, b.paths, b.context))));
  return { files: results.flatMap((r) => r.files), context: results.flatMap((r) => r.context) };
}

async function fetchBatch(
  gh: GitHub,
  repo: { owner: string; repo: string },
  sha: string,
  paths: readonly string[],
  context: readonly string[],
): Promise<FetchResult> {
  const vars: Record<string, string> = { owner: repo.owner, name: repo.repo };
  const decls = ['$owner: String!', '$name: String!'];
  const fields: string[] = [];
  [...paths, ...context].forEach((p, i) => {
    vars[`e${i}`] = `${sha}:${p}`;
    decls.push(`$e${i}: String!`);
    fields.push(`f${i}: object(expression: $e${i}) { ... on Blob { text byteSize isBinary isTruncated oid } }`);
  });
  const query = `query minprivContents(${decls.join(', ')}) { repository(owner: $owner, name: $name) { ${fields.join(' ')} } }`;
  const data = await gh.graphql<{ repository: Record<string, Blob | null> | null }>(query, vars);
  const files: FetchedContent[] = [];
  for (const [i, path] of paths.entries()) {
    const blob = data.repository?.[`f${i}`];
    if (!blob) files.push({ path, skipped: 'not found at the head commit' });
    else if (blob.byteSize > MAX_BYTES) files.push({ path, skipped: `${blob.byteSize} bytes, over the ${MAX_BYTES}-byte limit` });
    else if (blob.isBinary) files.push({ path, skipped: 'binary file, not YAML' });
    else if (blob.isTruncated || blob.text === null) files.push({ path, content: await fetchBlob(gh, repo, blob.oid) });
    else files.push({ path, content: blob.text });
  }
  const found: SourceFile[] = [];
  for (const [i, path] of context.entries()) {
    // Context is a small kustomization or nothing: anything odd is skipped rather than fetched again.
    const blob = data.repository?.[`f${paths.length + i}`];
    if (blob && !blob.isBinary && !blob.isTruncated && blob.text !== null && blob.byteSize <= MAX_BYTES) found.push({ path, content: blob.text });
  }
  return { files, context: found };
}

async function fetchBlob(gh: GitHub, repo: { owner: string; repo: string }, sha: string): Promise<Uint8Array> {
  const { data } = await gh.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner: repo.owner, repo: repo.repo, file_sha: sha });
  return new Uint8Array(Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8'));
}
