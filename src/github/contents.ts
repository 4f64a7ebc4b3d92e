import { posix } from 'node:path';
import pLimit from 'p-limit';
import type { SourceFile } from '../core/types.js';
import { DEFAULT_LIMITS } from '../yaml/parse.js';
import { failureOf, type GitHub, type GraphqlState, type Log, noteGraphqlFailure, partialData, silentLog } from './client.js';
import { readAtRef, readChangedFile, readTree, tooLarge } from './rest-contents.js';

/** Files per GraphQL query: enough to keep the request count low, small enough to stay clear of GitHub's 10 s query timeout. */
export const CONTENT_BATCH = 50;
/** REST reads in flight at once when GraphQL gave no content (GitHub allows 100 concurrent requests in all). */
export const REST_CONCURRENCY = 8;
const MAX_BYTES = DEFAULT_LIMITS.maxBytes;

/** A changed file's head content (and, when asked for and found, its base content), or why it was skipped. */
export type FetchedContent = { path: string; content: string | Uint8Array; base?: string } | { path: string; skipped: string };

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
  /** Head blob SHA of each changed file (the PR file list's `sha`): the REST fallback reads blobs by it. */
  shas?: ReadonlyMap<string, string>;
  /** Per-file byte cap (config `maxFileBytes`). */
  maxBytes?: number;
  /**
   * Byte cap over all the changed files, head and base versions together (config `maxPullRequestBytes`), in the
   * order of `paths`: the files past it are skipped, and no query is made for a batch that lies wholly past it.
   */
  maxTotalBytes?: number;
  /** Shared with the rest of the run: once GraphQL proved absent, no more queries. */
  graphql?: GraphqlState;
  log?: Log;
  /**
   * The base commit and, per changed path, its path there (a rename's previous path): the base versions ride
   * in the same queries as extra aliases. Best effort: a base version GraphQL does not give is left unknown
   * (its findings count as new), never fetched again.
   */
  base?: { sha: string; paths: ReadonlyMap<string, string> };
}

export interface FetchResult {
  files: FetchedContent[];
  context: SourceFile[];
  /** Remarks for the check summary (a context file that could not be read). */
  notes: string[];
}

interface Ctx {
  gh: GitHub;
  repo: { owner: string; repo: string };
  sha: string;
  shas: ReadonlyMap<string, string>;
  graphql: GraphqlState;
  log: Log;
  rest: ReturnType<typeof pLimit>;
  maxBytes: number;
  /** The head tree, read once when a context file first needs REST; undefined when unusable (cut or failed). */
  tree?: Promise<Map<string, string> | undefined>;
  base?: { sha: string; paths: ReadonlyMap<string, string> };
}

/**
 * Head contents of `paths`, read from the BASE repository at the head SHA (so fork PRs work:
 * GitHub keeps the fork's commits under the base repository's pull refs). Fast path: aliased
 * `object(expression: "SHA:path")` fields, CONTENT_BATCH files per query. Whatever a query does not
 * give (HTTP error, `errors` without data, missing aliases, a text cut at 512,000 bytes) is read
 * through REST, REST_CONCURRENCY at a time: changed files as git blobs, context files through the
 * contents API. A file still unread comes back skipped, with the reason.
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
  const ctx: Ctx = {
    gh,
    repo,
    sha,
    shas: options.shas ?? new Map(),
    graphql: options.graphql ?? { usable: true },
    log: options.log ?? silentLog,
    rest: pLimit(REST_CONCURRENCY),
    maxBytes: options.maxBytes ?? MAX_BYTES,
  };
  if (options.base) ctx.base = options.base;
  const limit = pLimit(2);
  const cap = options.maxTotalBytes ?? Number.POSITIVE_INFINITY;
  // Batches start in order, so once the finished ones hold more than the cap, every later batch lies past it.
  let held = 0;
  const results = await Promise.all(
    batches.map((b) =>
      limit(async () => {
        if (held > cap) return { files: b.paths.map((path) => ({ path, skipped: overCap(cap) })), context: [], notes: [] };
        const r = await fetchBatch(ctx, b.paths, b.context);
        held += r.files.reduce((n, f) => n + bytesOf(f), 0);
        return r;
      }),
    ),
  );
  const files = results.flatMap((r) => r.files);
  let total = 0;
  const capped = files.map((f): FetchedContent => {
    if (!('content' in f)) return f;
    total += bytesOf(f);
    return total > cap ? { path: f.path, skipped: overCap(cap) } : f;
  });
  return { files: capped, context: results.flatMap((r) => r.context), notes: results.flatMap((r) => r.notes) };
}

function bytesOf(f: FetchedContent): number {
  if (!('content' in f)) return 0;
  const head = typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.byteLength;
  return head + (f.base === undefined ? 0 : Buffer.byteLength(f.base));
}

function overCap(cap: number): string {
  const mib = cap / 1024 / 1024;
  const size = mib >= 1 ? `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB` : `${cap} bytes`;
  return `past the pull request's byte cap: with it the changed files would hold more than ${size} (\`maxPullRequestBytes\`); split the pull request or raise the cap`;
}

/** What one content query gave: the aliases, whether they can be trusted to be complete, and why not. */
interface Answer {
  repository: Record<string, unknown> | undefined;
  /** False when the answer came with errors: a null alias may then be the error, not an absent file. */
  clean: boolean;
  why: string;
}

async function query(ctx: Ctx, paths: readonly string[], context: readonly string[]): Promise<Answer> {
  if (!ctx.graphql.usable) return { repository: undefined, clean: false, why: 'GraphQL unavailable' };
  const vars: Record<string, string> = { owner: ctx.repo.owner, name: ctx.repo.repo };
  const decls = ['$owner: String!', '$name: String!'];
  const fields: string[] = [];
  [...paths, ...context].forEach((p, i) => {
    vars[`e${i}`] = `${ctx.sha}:${p}`;
    decls.push(`$e${i}: String!`);
    fields.push(`f${i}: object(expression: $e${i}) { ... on Blob { text byteSize isBinary isTruncated oid } }`);
  });
  if (ctx.base) {
    const base = ctx.base;
    paths.forEach((p, i) => {
      const at = base.paths.get(p);
      if (at === undefined) return;
      vars[`b${i}`] = `${base.sha}:${at}`;
      decls.push(`$b${i}: String!`);
      fields.push(`b${i}: object(expression: $b${i}) { ... on Blob { text byteSize isBinary isTruncated } }`);
    });
  }
  const text = `query minprivContents(${decls.join(', ')}) { repository(owner: $owner, name: $name) { ${fields.join(' ')} } }`;
  try {
    const data = await ctx.gh.graphql<{ repository?: Record<string, unknown> | null } | undefined>(text, vars);
    const repository = data?.repository ?? undefined;
    if (repository === undefined) return { repository, clean: false, why: 'GraphQL gave no repository' };
    return { repository, clean: true, why: 'GraphQL left it out of its answer' };
  } catch (err) {
    noteGraphqlFailure(ctx.graphql, err);
    const why = `GraphQL answered ${failureOf(err)}`;
    const n = paths.length + context.length;
    ctx.log.warn(`content query for ${n} file${n === 1 ? '' : 's'} failed (${why}): reading what it did not give through REST`);
    const partial = partialData(err) as { repository?: Record<string, unknown> | null } | undefined;
    return { repository: partial?.repository ?? undefined, clean: false, why };
  }
}

function isBlob(v: unknown): v is Blob {
  return typeof v === 'object' && v !== null && typeof (v as Blob).byteSize === 'number';
}

async function fetchBatch(ctx: Ctx, paths: readonly string[], context: readonly string[]): Promise<FetchResult> {
  const answer = await query(ctx, paths, context);
  const files = await Promise.all(
    paths.map(async (path, i) => {
      const got = await changedFile(ctx, path, answer.repository?.[`f${i}`], answer);
      const base = answer.repository?.[`b${i}`];
      if ('content' in got && isBlob(base) && !base.isBinary && !base.isTruncated && typeof base.text === 'string' && base.byteSize <= ctx.maxBytes) {
        return { ...got, base: base.text };
      }
      return got;
    }),
  );
  const notes: string[] = [];
  const read = await Promise.all(
    context.map(async (path, i): Promise<SourceFile | undefined> => {
      const blob = answer.repository?.[`f${paths.length + i}`];
      // A clean null is the usual answer (no kustomization here); only an alias the answer lacks is read again.
      if (blob === null && answer.clean) return undefined;
      // Context is a small kustomization or nothing: anything odd is skipped rather than fetched again.
      if (isBlob(blob)) {
        const ok = !blob.isBinary && !blob.isTruncated && blob.text !== null && blob.byteSize <= ctx.maxBytes;
        return ok ? { path, content: blob.text as string } : undefined;
      }
      try {
        const got = await ctx.rest(() => readContext(ctx, path));
        return got && 'content' in got ? { path, content: got.content } : undefined;
      } catch (err) {
        ctx.log.warn(`could not read ${path} (${answer.why}; the contents API answered ${failureOf(err)})`);
        notes.push(`\`${path}\` could not be read (${failureOf(err)}): the files beside it were checked as full manifests, not as patches.`);
        return undefined;
      }
    }),
  );
  const found = read.filter((f): f is SourceFile => f !== undefined);
  return { files, context: found, notes };
}

async function changedFile(ctx: Ctx, path: string, blob: unknown, answer: Answer): Promise<FetchedContent> {
  let why = answer.why;
  if (isBlob(blob)) {
    if (blob.byteSize > ctx.maxBytes) return { path, skipped: tooLarge(blob.byteSize, ctx.maxBytes) };
    if (blob.isBinary) return { path, skipped: 'binary file, not YAML' };
    if (!blob.isTruncated && typeof blob.text === 'string') return { path, content: blob.text };
    // Cut at 512,000 bytes: the blob API gives it whole.
    why = 'GraphQL gave a truncated text';
  } else if (blob === null && answer.clean) why = 'GraphQL found no blob';
  const sha = (isBlob(blob) ? blob.oid : undefined) ?? ctx.shas.get(path);
  const got = await ctx.rest(() => readChangedFile(ctx.gh, ctx.repo, ctx.sha, path, sha, why, ctx.maxBytes));
  return 'content' in got ? { path, content: got.content } : { path, skipped: got.skipped };
}

/**
 * A context file through REST. Most folders hold no kustomization, so probing each candidate name costs
 * a 404 apiece: the head tree (one request for the whole run) says which exist, and only those are read,
 * as blobs. A cut or failed tree read falls back to probing the contents API.
 */
async function readContext(ctx: Ctx, path: string): Promise<{ content: Uint8Array } | { skipped: string } | undefined> {
  ctx.tree ??= readTree(ctx.gh, ctx.repo, ctx.sha).catch((err: unknown) => {
    ctx.log.warn(`could not read the head tree (${failureOf(err)}): probing each kustomization name instead`);
    return undefined;
  });
  const tree = await ctx.tree;
  if (tree === undefined) return readAtRef(ctx.gh, ctx.repo, ctx.sha, path);
  const sha = tree.get(path);
  if (sha === undefined) return undefined;
  const { data } = await ctx.gh.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner: ctx.repo.owner, repo: ctx.repo.repo, file_sha: sha });
  if (typeof data.size === 'number' && data.size > ctx.maxBytes) return { skipped: tooLarge(data.size, ctx.maxBytes) };
  return { content: new Uint8Array(Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8')) };
}
