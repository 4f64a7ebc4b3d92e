/**
 * A fake GitHub for end-to-end tests: nock interceptors (no network) that keep PR state, record
 * every request (method, path, body), and answer like GitHub does, including a 422 for review
 * comments outside the diff. Its hunk check is written here independently of src/diff.
 */
import { createHash } from 'node:crypto';
import nock from 'nock';

export interface FakeFile {
  filename: string;
  status: 'added' | 'modified' | 'removed' | 'renamed';
  patch?: string;
  previous_filename?: string;
  /** Lines added plus removed (GitHub's `changes`); 0 for a pure rename. */
  changes?: number;
  /** Head content; absent for removed files. */
  content?: string;
  /** Head blob SHA in the file list (default: git's blob hash of `content`). */
  sha?: string;
  /** Content at the PR's base commit (`base000`, at `previous_filename` for a rename); absent: GraphQL answers null. */
  base?: string;
}

export interface FakeThread {
  id: string;
  path: string;
  body: string;
  isResolved?: boolean;
  isOutdated?: boolean;
  viewerDidAuthor?: boolean;
  /** Who wrote the first comment (default Bot). */
  author?: 'Bot' | 'User';
}

export interface FakeState {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  files: FakeFile[];
  /** `.github/minpriv.yml` of the repo (raw text); undefined answers 404 (then the org repo is asked, 404 too). */
  config?: string;
  /** `.github/minpriv.yml` of the owner's `.github` repository (raw text); undefined answers 404. */
  orgConfig?: string;
  /** The PR's own version of the config, served for a read at a ref (the head); the default branch's otherwise. */
  headConfig?: string;
  threads?: FakeThread[];
  /** Head SHA that GET /pulls/N answers (default: headSha); lets a test move the head mid-run. */
  currentHead?: string;
  /** Status to answer POST /reviews with (default 200). */
  reviewStatus?: number;
  /** Answer the first N completing PATCHes of a check run with 500. */
  failCheckPatches?: number;
  /** Head contents of files the PR does not change (path -> text), e.g. a kustomization beside a changed patch. */
  tree?: Record<string, string>;
  /**
   * How POST /graphql answers: `ok` (default) like GitHub; `http404` 404 for every query (an API without
   * GraphQL); `errors` 200 with `errors` and no data; `partial` 200 with `errors` and, for content
   * queries, only the even aliases; `resolve-errors` like GitHub except `errors` for thread resolutions;
   * `went-wrong` 200 with GitHub's "Something went wrong while executing your query" error (a timeout).
   */
  graphql?: 'ok' | 'http404' | 'errors' | 'partial' | 'resolve-errors' | 'went-wrong';
  /** GET /git/trees/{headSha}?recursive=1: `ok` (default) lists every file, `truncated` cuts the list, a number is an error status. */
  gitTree?: 'ok' | 'truncated' | number;
  /** Status to answer GET /git/blobs/{sha} with, by file path (default 200). */
  blobStatus?: Record<string, number>;
  /** Milliseconds every answer waits (GitHub's latency). */
  latencyMs?: number;
  /** Requests never answered while they match (`"GET /repos/acme/gitops/pulls/11/files"`, a prefix of "METHOD path?query"), until `release()`. */
  stall?: string[];
  /** Answer the first `count` completing PATCHes of a check run with a secondary rate limit: 403 and `retry-after`. */
  rateLimitCheckPatches?: { count: number; retryAfter: number };
  /** Check runs that exist before the test (e.g. left in progress by an earlier process). */
  checkRuns?: FakeCheckRun[];
}

/** A check run as the fake keeps it (and lists it on GET /commits/{sha}/check-runs). */
export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?: string | null;
  started_at: string;
  app: { id: number };
  output?: unknown;
}

/** The app id the fake answers GET /app with, and the installation it lists. */
export const FAKE_APP_ID = 1;
export const FAKE_INSTALLATION_ID = 2;

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
  status: number;
}

/** Status, body, and headers when there are any. */
export type Answer = [number, unknown, Record<string, string>?];

const API = 'https://api.github.com';

export class FakeGitHub {
  readonly requests: Recorded[] = [];
  readonly state: FakeState;
  private checkRunId = 100;
  private patchFailures = 0;
  private rateLimited = 0;
  /** Every check run, by id: created by the app, or given in the state. */
  readonly checkRuns = new Map<number, FakeCheckRun>();
  /** When each of `requests` was answered (Date.now()), same order. */
  readonly answeredAt: number[] = [];
  private stalled: (() => void)[] = [];
  private released = false;

  constructor(state: FakeState) {
    this.state = { ...state, threads: [...(state.threads ?? [])] };
    for (const run of state.checkRuns ?? []) this.checkRuns.set(run.id, { ...run });
  }

  /**
   * Answer one request as GitHub would (after the latency, or never while it stalls) and record it: what
   * the nock interceptors do, for a plain HTTP server in front of a spawned app process.
   */
  async answer(method: string, uri: string, body: string): Promise<Answer> {
    const verb = method.toUpperCase();
    if (!this.released && (this.state.stall ?? []).some((p) => `${verb} ${uri}`.startsWith(p))) {
      await new Promise<void>((resolve) => this.stalled.push(resolve));
    }
    if (this.state.latencyMs) await new Promise((r) => setTimeout(r, this.state.latencyMs));
    const [status, out, headers] = this.routeWithLimits(verb, uri, body);
    this.requests.push({ method: verb, path: uri, body: parse(body), status });
    this.answeredAt.push(Date.now());
    if (process.env.FAKE_DEBUG) console.error(verb, uri, status);
    return headers ? [status, out, headers] : [status, out];
  }

  /** Answer the stalled requests, and stall no more. */
  release(): void {
    this.released = true;
    for (const go of this.stalled.splice(0)) go();
  }

  private routeWithLimits(method: string, uri: string, raw: string): Answer {
    const limit = this.state.rateLimitCheckPatches;
    const body = parse(raw) as Record<string, unknown> | undefined;
    if (limit && method === 'PATCH' && uri.includes('/check-runs/') && body?.status === 'completed' && this.rateLimited < limit.count) {
      this.rateLimited++;
      const message = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
      return [403, { message, documentation_url: 'https://docs.github.com/rest' }, { 'retry-after': String(limit.retryAfter) }];
    }
    const answer = this.route(method, uri, body) as Answer;
    const path = new URL(uri, API).pathname;
    const s = this.state;
    if (method === 'POST' && path === `/repos/${s.owner}/${s.repo}/check-runs` && answer[0] === 201) {
      const id = (answer[1] as { id: number }).id;
      this.checkRuns.set(id, {
        id,
        name: String(body?.name),
        head_sha: String(body?.head_sha),
        status: 'in_progress',
        started_at: new Date().toISOString(),
        app: { id: FAKE_APP_ID },
      });
    }
    if (method === 'PATCH' && answer[0] === 200 && path.includes('/check-runs/')) {
      const run = this.checkRuns.get(Number(path.split('/').pop()));
      if (run && body?.status === 'completed') Object.assign(run, { status: 'completed', conclusion: body.conclusion, output: body.output });
    }
    return answer;
  }

  /** Install the interceptors (call nock.cleanAll() after the test). */
  install(): this {
    for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
      nock(API)
        .persist()
        [method](/.*/)
        .reply(async (req: Request) => {
          const u = new URL(req.url);
          const [status, out, headers] = await this.answer(req.method, u.pathname + u.search, await req.text());
          return headers ? [status, out as nock.Body, headers] : [status, out as nock.Body];
        });
    }
    return this;
  }

  /** "METHOD path" of every request, in order (GraphQL shown by operation name). */
  lines(): string[] {
    return this.requests.map((r) => {
      if (r.path === '/graphql') return `GRAPHQL ${/(query|mutation) (\w+)/.exec((r.body as { query: string }).query)?.[2] ?? '?'}`;
      return `${r.method} ${r.path}`;
    });
  }

  bodies(method: string, pathPrefix: string): unknown[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix)).map((r) => r.body);
  }

  /** `parsed`: the request body as `parse` reads it (parsed once per request: a check run update is ~130 KB). */
  private route(method: string, uri: string, parsed: unknown): [number, unknown] {
    const s = this.state;
    const base = `/repos/${s.owner}/${s.repo}`;
    const body = parsed as Record<string, unknown>;
    const url = new URL(uri, API);
    const path = url.pathname;
    if (method === 'GET' && path === `${base}/contents/.github%2Fminpriv.yml`) {
      if (url.searchParams.has('ref') && s.headConfig !== undefined) return [200, s.headConfig];
      return s.config === undefined ? [404, { message: 'Not Found' }] : [200, s.config];
    }
    if (method === 'GET' && path === `/repos/${s.owner}/.github/contents/.github%2Fminpriv.yml`) {
      return s.orgConfig === undefined ? [404, { message: 'Not Found' }] : [200, s.orgConfig];
    }
    if (method === 'POST' && path === `${base}/check-runs`) return [201, { id: ++this.checkRunId }];
    if (method === 'PATCH' && path.startsWith(`${base}/check-runs/`)) {
      if (body.status === 'completed' && this.patchFailures < (s.failCheckPatches ?? 0)) {
        this.patchFailures++;
        return [500, { message: 'Server Error' }];
      }
      const annotations = (body.output as { annotations?: unknown[] } | undefined)?.annotations ?? [];
      if (annotations.length > 50) return [422, { message: `No more than 50 items are allowed; ${annotations.length} were supplied.` }];
      return [200, { id: Number(path.split('/').pop()) }];
    }
    if (method === 'GET' && path === `${base}/pulls/${s.number}`) {
      return [200, { number: s.number, head: { sha: s.currentHead ?? s.headSha }, changed_files: s.files.length }];
    }
    if (method === 'GET' && path === `${base}/pulls/${s.number}/files`) {
      const per = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const list = s.files.slice((page - 1) * per, page * per).map((f) => ({
        filename: f.filename,
        status: f.status,
        ...(f.patch === undefined ? {} : { patch: f.patch }),
        ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
        ...(f.changes === undefined ? {} : { changes: f.changes }),
        sha: shaOf(f),
      }));
      return [200, list];
    }
    if (method === 'POST' && path === `${base}/pulls/${s.number}/reviews`) return this.review(body);
    if (method === 'GET' && path === `${base}/pulls/${s.number}/comments`) return this.comments(url);
    if (method === 'GET' && path === `${base}/git/trees/${s.headSha}` && url.searchParams.get('recursive') === '1') return this.gitTree();
    if (method === 'GET' && path === `${base}/git/trees/base000` && url.searchParams.get('recursive') === '1') {
      const tree = this.baseFiles().map((f) => ({ path: f.filename, mode: '100644', type: 'blob', sha: shaOf(f), size: Buffer.byteLength(f.content ?? '') }));
      return [200, { sha: 'base000', tree, truncated: false }];
    }
    if (method === 'GET' && path.startsWith(`${base}/git/blobs/`)) return this.blob(path.slice(`${base}/git/blobs/`.length));
    if (method === 'GET' && path.startsWith(`${base}/contents/`)) {
      const file = decodeURIComponent(path.slice(`${base}/contents/`.length));
      const text = url.searchParams.get('ref') === s.headSha ? (s.files.find((f) => f.filename === file)?.content ?? s.tree?.[file]) : undefined;
      if (text === undefined) return [404, { message: 'Not Found' }];
      return [200, { type: 'file', path: file, size: Buffer.byteLength(text), encoding: 'base64', content: base64Lines(text) }];
    }
    if (method === 'POST' && path === '/graphql') return this.graphql(body as { query: string; variables: Record<string, unknown> });
    if (method === 'GET' && path.startsWith(`${base}/check-suites/`)) {
      return [200, { total_count: 1, check_runs: [{ id: 7, name: 'minpriv', external_id: String(s.number) }] }];
    }
    const app = this.appRoute(method, path, url);
    if (app) return app;
    return [404, { message: `fake GitHub: no route for ${method} ${uri}` }];
  }

  /** What an app (JWT) and an installation see: one installation, this repository, this PR open, its check runs. */
  private appRoute(method: string, path: string, url: URL): [number, unknown] | undefined {
    const s = this.state;
    const base = `/repos/${s.owner}/${s.repo}`;
    if (method === 'GET' && path === '/app') return [200, { id: FAKE_APP_ID, slug: 'minpriv', name: 'minpriv' }];
    if (method === 'GET' && path === '/app/installations') {
      return [200, Number(url.searchParams.get('page') ?? 1) > 1 ? [] : [{ id: FAKE_INSTALLATION_ID, account: { login: s.owner } }]];
    }
    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return [201, { token: 'ghs_fake', expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: 'all' }];
    }
    if (method === 'GET' && path === '/installation/repositories') {
      const repositories =
        Number(url.searchParams.get('page') ?? 1) > 1 ? [] : [{ id: 1, name: s.repo, full_name: `${s.owner}/${s.repo}`, owner: { login: s.owner } }];
      return [200, { total_count: repositories.length, repositories }];
    }
    if (method === 'GET' && path === `${base}/pulls` && url.searchParams.get('state') === 'open') {
      return [200, [{ number: s.number, state: 'open', head: { sha: s.currentHead ?? s.headSha } }]];
    }
    const refRuns = new RegExp(`^${base}/commits/([^/]+)/check-runs$`).exec(path);
    if (method === 'GET' && refRuns) {
      const name = url.searchParams.get('check_name');
      const status = url.searchParams.get('status');
      const appId = url.searchParams.get('app_id');
      const runs = [...this.checkRuns.values()].filter(
        (r) => r.head_sha === refRuns[1] && (!name || r.name === name) && (!status || r.status === status) && (!appId || String(r.app.id) === appId),
      );
      return [200, { total_count: runs.length, check_runs: runs }];
    }
    return undefined;
  }

  private review(body: Record<string, unknown>): [number, unknown] {
    if (this.state.reviewStatus && this.state.reviewStatus !== 200) return [this.state.reviewStatus, { message: 'Resource not accessible by integration' }];
    if (body.commit_id !== this.state.headSha) return [422, { message: 'commit_id is not part of the pull request' }];
    for (const c of (body.comments ?? []) as { path: string; line: number; start_line?: number; side?: string }[]) {
      const file = this.state.files.find((f) => f.filename === c.path);
      const hunks = file?.patch ? rightRanges(file.patch) : [];
      const start = c.start_line ?? c.line;
      const inOne = hunks.some(([a, b]) => a <= start && c.line <= b);
      if (!inOne || (c.start_line !== undefined && c.start_line >= c.line) || c.side !== 'RIGHT') {
        return [422, { message: 'Unprocessable Entity', errors: ['Pull request review thread line must be part of the diff'] }];
      }
    }
    // Like GitHub, every posted comment opens a thread that later reads see.
    for (const c of (body.comments ?? []) as { path: string; body: string }[]) {
      const threads = this.state.threads as FakeThread[];
      threads.push({ id: `PRRT_${threads.length + 1}`, path: c.path, body: c.body });
    }
    return [200, { id: 900 + this.requests.length }];
  }

  /** REST review comments: the first comment of each thread, as GitHub lists them (an outdated one has `line: null`). */
  private comments(url: URL): [number, unknown] {
    const per = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    const all = (this.state.threads ?? []).map((t, i) => ({
      id: 5000 + i,
      node_id: `PRRC_${i + 1}`,
      path: t.path,
      body: t.body,
      line: t.isOutdated ? null : 1,
      user: { login: t.author === 'User' ? 'dev' : 'minpriv[bot]', type: t.author ?? 'Bot' },
    }));
    return [200, all.slice((page - 1) * per, page * per)];
  }

  /** Every head file: the PR's (but removed ones) and the unchanged `tree` ones, blobs only (GitHub adds folders too). */
  private headFiles(): FakeFile[] {
    const unchanged = Object.entries(this.state.tree ?? {}).map(([filename, content]): FakeFile => ({ filename, status: 'modified', content }));
    return [...this.state.files.filter((f) => f.content !== undefined), ...unchanged];
  }

  /** The files at the base commit: the unchanged ones (`tree`) and the changed ones' `base` versions. */
  private baseFiles(): FakeFile[] {
    const unchanged = Object.entries(this.state.tree ?? {}).map(([filename, content]): FakeFile => ({ filename, status: 'modified', content }));
    const changed = this.state.files
      .filter((f) => f.base !== undefined)
      .map((f): FakeFile => ({ filename: f.previous_filename ?? f.filename, status: 'modified', content: f.base }));
    return [...changed, ...unchanged.filter((u) => !changed.some((c) => c.filename === u.filename))];
  }

  private gitTree(): [number, unknown] {
    const mode = this.state.gitTree ?? 'ok';
    if (typeof mode === 'number') return [mode, { message: 'Server Error' }];
    const all = this.headFiles().map((f) => ({ path: f.filename, mode: '100644', type: 'blob', sha: shaOf(f), size: Buffer.byteLength(f.content ?? '') }));
    // A cut list keeps only what fit: here the first entry, like the first 100,000 of a huge repository.
    const tree = mode === 'truncated' ? all.slice(0, 1) : all;
    return [200, { sha: this.state.headSha, tree, truncated: mode === 'truncated' }];
  }

  private blob(sha: string): [number, unknown] {
    const file = this.headFiles().find((f) => shaOf(f) === sha);
    const status = file ? (this.state.blobStatus?.[file.filename] ?? 200) : 404;
    if (!file || status !== 200) return [status, { message: 'Not Found' }];
    const text = file.content as string;
    return [200, { sha, node_id: `B_${sha}`, size: Buffer.byteLength(text), encoding: 'base64', content: base64Lines(text) }];
  }

  /**
   * The PR's files by name and by base path, the first file of each kept (what a search of the list would find).
   * A content query asks for up to 50 files of a PR of thousands: searching the list for each made the fake a
   * third of a big PR's handler time. Kept while the list holds the same files with the same names (a test may
   * replace one between requests).
   */
  private fileIndex(): { byName: Map<string, FakeFile>; byBasePath: Map<string, FakeFile> } {
    const files = this.state.files;
    const held = this.indexed;
    const same = (f: FakeFile, i: number) => f === held?.files[i] && f.filename === held.names[i] && f.previous_filename === held.previous[i];
    if (held && held.files.length === files.length && files.every(same)) return held;
    const index = {
      files: [...files],
      names: files.map((f) => f.filename),
      previous: files.map((f) => f.previous_filename),
      byName: firstBy(files, (f) => f.filename),
      byBasePath: firstBy(files, (f) => f.previous_filename ?? f.filename),
    };
    this.indexed = index;
    return index;
  }

  private indexed?: { files: FakeFile[]; names: string[]; previous: (string | undefined)[]; byName: Map<string, FakeFile>; byBasePath: Map<string, FakeFile> };

  private graphql(body: { query: string; variables: Record<string, unknown> }): [number, unknown] {
    const v = body.variables;
    const s = this.state;
    if (s.graphql === 'http404') return [404, { message: 'Not Found' }];
    const failing =
      s.graphql === 'errors' ||
      (s.graphql === 'partial' && !body.query.includes('minprivContents')) ||
      (s.graphql === 'resolve-errors' && body.query.includes('minprivResolve'));
    if (s.graphql === 'went-wrong') {
      const message = 'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug.';
      return [200, { data: null, errors: [{ message }] }];
    }
    if (failing) {
      return [200, { data: null, errors: [{ message: "Field 'object' doesn't exist on type 'Repository'" }] }];
    }
    if (body.query.includes('minprivContents')) {
      const repository: Record<string, unknown> = {};
      const { byName, byBasePath } = this.fileIndex();
      for (const [k, expr] of Object.entries(v)) {
        if (/^b\d+$/.test(k)) {
          const [sha, ...rest] = String(expr).split(':');
          const at = rest.join(':');
          const base = byBasePath.get(at)?.base;
          repository[k] =
            sha === 'base000' && base !== undefined ? { text: base, byteSize: Buffer.byteLength(base), isBinary: false, isTruncated: false } : null;
          continue;
        }
        if (!/^e\d+$/.test(k)) continue;
        const [sha, ...rest] = String(expr).split(':');
        const path = rest.join(':');
        const text = byName.get(path)?.content ?? s.tree?.[path];
        const ok = sha === s.headSha && text !== undefined;
        if (s.graphql === 'partial' && Number(k.slice(1)) % 2 === 1) continue;
        repository[`f${k.slice(1)}`] = ok ? { text, byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false, oid: `oid-${path}` } : null;
      }
      if (s.graphql === 'partial') return [200, { data: { repository }, errors: [{ message: 'Resource limits for this query exceeded.' }] }];
      return [200, { data: { repository } }];
    }
    if (body.query.includes('minprivRbacBlobs')) {
      const repository: Record<string, unknown> = {};
      const all = [...this.headFiles(), ...this.baseFiles()];
      for (const [k, oid] of Object.entries(v)) {
        if (!/^o\d+$/.test(k)) continue;
        const f = all.find((x) => shaOf(x) === oid);
        repository[k] = f ? { text: f.content, isBinary: false, isTruncated: false } : null;
      }
      return [200, { data: { repository } }];
    }
    if (body.query.includes('minprivThreads')) {
      const nodes = (s.threads ?? []).map((t) => ({
        id: t.id,
        isResolved: t.isResolved ?? false,
        isOutdated: t.isOutdated ?? false,
        path: t.path,
        comments: { nodes: [{ body: t.body, viewerDidAuthor: t.viewerDidAuthor ?? true, author: { __typename: t.author ?? 'Bot' } }] },
      }));
      return [200, { data: { repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes } } } } }];
    }
    if (body.query.includes('minprivResolve')) {
      const data: Record<string, unknown> = {};
      for (const [k, id] of Object.entries(v)) {
        const t = s.threads?.find((x) => x.id === id);
        if (t) t.isResolved = true;
        data[`r${k.slice(1)}`] = { thread: { id, isResolved: true } };
      }
      return [200, { data }];
    }
    return [200, { errors: [{ message: 'fake GitHub: unknown query' }] }];
  }
}

/** `items` by `key`, the first item of each key kept (what `items.find` would return). */
function firstBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (!out.has(k)) out.set(k, item);
  }
  return out;
}

/** Right-side ranges of a patch's hunks, from the `@@ -a,b +c,d @@` headers. */
function rightRanges(patch: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of patch.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
    const start = Number(m[1]);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    if (count > 0) out.push([start, start + count - 1]);
  }
  return out;
}

function parse(body: unknown): unknown {
  if (typeof body !== 'string' || body === '') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** The file list's `sha`: the one given, else git's blob hash of the content. */
export function shaOf(f: FakeFile): string {
  if (f.sha) return f.sha;
  const text = f.content ?? '';
  return createHash('sha1')
    .update(`blob ${Buffer.byteLength(text)}\0`)
    .update(text)
    .digest('hex');
}

/** Base64 in 60-character lines, as GitHub sends blob and file contents. */
function base64Lines(text: string): string {
  return `${(
    Buffer.from(text)
      .toString('base64')
      .match(/.{1,60}/g) ?? []
  ).join('\n')}\n`;
}

/** A patch that adds a whole new file (every line `+`). */
export function addedPatch(content: string): string {
  const lines = content.replace(/\n$/, '').split('\n');
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
}
