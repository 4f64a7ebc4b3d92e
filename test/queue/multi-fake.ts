/**
 * Many repositories, each with one pull request, in several installations: one FakeGitHub per repository behind
 * one HTTP server that routes like GitHub (REST under /api/v3, GraphQL by the query's owner/name), plus the app
 * routes (installations, tokens). For the queue tests and bench/queue.ts: workers in other processes reach it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Answer, FAKE_APP_ID, type FakeFile, FakeGitHub, type FakeState } from '../github/fake-github.js';

export interface FakePr {
  installation: number;
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  files: FakeFile[];
  state?: Partial<FakeState>;
}

export class MultiFake {
  readonly fakes = new Map<string, FakeGitHub>();
  private readonly installationOf = new Map<string, number>();
  /** Every request, in order: "METHOD path" (GraphQL: by operation name). */
  readonly log: { line: string; at: number }[] = [];
  latencyMs = 0;
  /** Answer a request before the fakes do (a rate limit, say); undefined lets it through. */
  intercept?: (method: string, path: string, body: string) => Answer | undefined;
  /** Repositories whose file reads at any of these SHAs are served the head's files (two pushes, same files). */
  readonly sameFilesAt = new Map<string, string[]>();

  constructor(prs: readonly FakePr[]) {
    for (const pr of prs) this.add(pr);
  }

  add(pr: FakePr): FakeGitHub {
    const fake = new FakeGitHub({ owner: pr.owner, repo: pr.repo, number: pr.number, headSha: pr.headSha, files: pr.files, ...pr.state });
    this.fakes.set(`${pr.owner}/${pr.repo}`, fake);
    this.installationOf.set(`${pr.owner}/${pr.repo}`, pr.installation);
    return fake;
  }

  fake(owner: string, repo: string): FakeGitHub {
    return this.fakes.get(`${owner}/${repo}`) as FakeGitHub;
  }

  async answer(method: string, uri: string, body: string, auth: string | undefined): Promise<Answer> {
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const url = new URL(uri, 'https://api.github.com');
    const path = url.pathname;
    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)/.exec(path);
    let line = `${method} ${path}`;
    let answer: Answer | undefined;
    const intercepted = this.intercept?.(method, path, body);
    if (intercepted) answer = intercepted;
    else if (repoMatch) {
      const fake = this.fakes.get(`${repoMatch[1]}/${repoMatch[2]}`);
      answer = fake
        ? await fake.answer(method, method === 'GET' ? this.sameFiles(`${repoMatch[1]}/${repoMatch[2]}`, uri) : uri, body)
        : [404, { message: 'Not Found' }];
    } else if (path === '/graphql') {
      const parsed = JSON.parse(body || '{}') as { query?: string; variables?: Record<string, unknown> };
      line = `GRAPHQL ${/(query|mutation) (\w+)/.exec(parsed.query ?? '')?.[2] ?? '?'}`;
      const v = parsed.variables ?? {};
      const fake =
        typeof v.owner === 'string' && typeof v.name === 'string'
          ? this.fakes.get(`${v.owner}/${v.name}`)
          : [...this.fakes.values()].find((f) => (f.state.threads ?? []).some((t) => Object.values(v).includes(t.id)));
      const read = fake && parsed.query?.includes('minprivContents') ? this.sameFiles(`${fake.state.owner}/${fake.state.repo}`, body) : body;
      answer = fake ? await fake.answer(method, uri, read) : [200, { data: {} }];
    } else {
      answer = this.appRoute(method, path, url, auth);
    }
    // A pull request as GitHub shows it has a base too (the single-PR fake may leave it out).
    const body0 = answer[1] as { head?: unknown; base?: unknown } | undefined;
    if (method === 'GET' && /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+$/.test(path) && body0?.head && !body0.base)
      answer = [answer[0], { ...body0, base: { sha: 'base000', ref: 'main' } }];
    this.log.push({ line, at: Date.now() });
    return answer;
  }

  private sameFiles(repo: string, text: string): string {
    const head = this.fakes.get(repo)?.state.headSha;
    let out = text;
    for (const sha of this.sameFilesAt.get(repo) ?? []) if (head) out = out.split(sha).join(head);
    return out;
  }

  private appRoute(method: string, path: string, url: URL, auth: string | undefined): Answer {
    const installations = [...new Set(this.installationOf.values())];
    if (method === 'GET' && path === '/app') return [200, { id: FAKE_APP_ID, slug: 'minpriv', name: 'minpriv' }];
    if (method === 'GET' && path === '/app/installations') {
      return [200, Number(url.searchParams.get('page') ?? 1) > 1 ? [] : installations.map((id) => ({ id, account: { login: `org${id}` } }))];
    }
    const token = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (method === 'POST' && token) {
      return [201, { token: `ghs_inst_${token[1]}`, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: 'all' }];
    }
    if (method === 'GET' && path === '/installation/repositories') {
      const id = Number(/ghs_inst_(\d+)/.exec(auth ?? '')?.[1]);
      const repos = [...this.installationOf.entries()].filter(([, inst]) => inst === id).map(([full]) => full.split('/') as [string, string]);
      const page = Number(url.searchParams.get('page') ?? 1) > 1 ? [] : repos;
      return [200, { total_count: page.length, repositories: page.map(([owner, name]) => ({ name, full_name: `${owner}/${name}`, owner: { login: owner } })) }];
    }
    return [404, { message: `multi fake: no route for ${method} ${path}` }];
  }

  /** Serve it like a GitHub Enterprise Server: REST under /api/v3, GraphQL at /api/graphql. */
  async serve(): Promise<{ host: string; close(): Promise<void> }> {
    const server: Server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const url = (req.url ?? '/').replace(/^\/api\/v3/, '').replace(/^\/api\/graphql/, '/graphql');
      const auth = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;
      const [status, out, headers] = await this.answer(req.method ?? 'GET', url, Buffer.concat(chunks).toString('utf8'), auth);
      const text = typeof out === 'string' ? out : JSON.stringify(out ?? {});
      const type = typeof out === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
      if (!res.destroyed) res.writeHead(status, { 'content-type': type, ...headers }).end(text);
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
      host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    };
  }

  /** Reviews posted to each repository's pull request, by head SHA. */
  reviews(): { repo: string; commit: string }[] {
    return [...this.fakes.entries()].flatMap(([repo, f]) =>
      f.requests
        .filter((r) => r.method === 'POST' && r.path.endsWith('/reviews') && r.status === 200)
        .map((r) => ({ repo, commit: String((r.body as { commit_id: string }).commit_id) })),
    );
  }
}
