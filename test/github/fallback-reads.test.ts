import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenClient, type Log } from '../../src/github/client.js';
import { fetchContents } from '../../src/github/contents.js';
import { readPriorThreads } from '../../src/github/review.js';
import { addedPatch, FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

const API = 'https://api.github.com';
const repo = { owner: OWNER, repo: REPO };
const target = { owner: OWNER, repo: REPO, pull_number: 9 };
const text = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
    debug: (m) => lines.push(`debug ${m}`),
  };
}

describe('fetchContents fallbacks', () => {
  it('reads through REST only the aliases a partial answer (errors + some data) lacks', async () => {
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 9,
      headSha: 'abc123',
      graphql: 'partial',
      files: ['a', 'b', 'c'].map((n) => ({ filename: `apps/${n}.yaml`, status: 'added' as const, content: text(n), sha: `5ha${n}` })),
      tree: { 'apps/kustomization.yaml': 'resources: [a.yaml]\n' },
    }).install();
    const log = recordingLog();
    const out = await fetchContents(createTokenClient('t', { plain: true }), repo, 'abc123', ['apps/a.yaml', 'apps/b.yaml', 'apps/c.yaml'], {
      context: ['apps/kustomization.yaml'],
      shas: new Map([['apps/b.yaml', '5hab']]),
      log,
    });
    expect(gh.lines()[0]).toBe('GRAPHQL minprivContents');
    expect(gh.lines().slice(1).sort()).toEqual([
      'GET /repos/acme/gitops/git/blobs/2db6a184d31a93041984e70f20672a0cb31edb1d',
      'GET /repos/acme/gitops/git/blobs/5hab',
      'GET /repos/acme/gitops/git/trees/abc123?recursive=1',
    ]);
    expect(out.files.map((f) => [f.path, 'content' in f ? Buffer.from(f.content).toString() : f.skipped])).toEqual([
      ['apps/a.yaml', text('a')],
      ['apps/b.yaml', text('b')],
      ['apps/c.yaml', text('c')],
    ]);
    expect(out.context.map((f) => [f.path, Buffer.from(f.content).toString()])).toEqual([['apps/kustomization.yaml', 'resources: [a.yaml]\n']]);
    expect(log.lines).toEqual([
      'warn content query for 4 files failed (GraphQL answered error "Resource limits for this query exceeded."): reading what it did not give through REST',
    ]);
  });

  it('skips, with the reason, a truncated text whose blob cannot be read, instead of failing the run', async () => {
    const scope = nock(API)
      .post('/graphql')
      .reply(200, { data: { repository: { f0: { text: 'kind: Pod\n', byteSize: 600_000, isBinary: false, isTruncated: true, oid: '0b1d' } } } })
      .get('/repos/acme/gitops/git/blobs/0b1d')
      .reply(500, { message: 'Server Error' });
    const out = await fetchContents(createTokenClient('t', { plain: true }), repo, 'abc123', ['big.yaml']);
    expect(out.files).toEqual([
      { path: 'big.yaml', skipped: 'content could not be read (GraphQL gave a truncated text; the git blob 0b1d answered HTTP 500)' },
    ]);
    expect(scope.pendingMocks()).toEqual([]);
  });

  it('notes a kustomization that REST cannot read (not a 404), and goes on without it', async () => {
    const scope = nock(API)
      .post('/graphql')
      .reply(502, { message: 'Bad Gateway' })
      .get('/repos/acme/gitops/git/blobs/5ha1')
      .reply(200, { size: 5, encoding: 'base64', content: Buffer.from('a: 1\n').toString('base64') })
      .get('/repos/acme/gitops/contents/k%2Fkustomization.yaml')
      .query({ ref: 'abc123' })
      .reply(503, { message: 'Unavailable' });
    const out = await fetchContents(createTokenClient('t', { plain: true }), repo, 'abc123', ['k/p.yaml'], {
      context: ['k/kustomization.yaml'],
      shas: new Map([['k/p.yaml', '5ha1']]),
    });
    expect(out.files.map((f) => ('content' in f ? Buffer.from(f.content).toString() : f.skipped))).toEqual(['a: 1\n']);
    expect(out.context).toEqual([]);
    expect(out.notes).toEqual(['`k/kustomization.yaml` could not be read (HTTP 503): the files beside it were checked as full manifests, not as patches.']);
    expect(scope.pendingMocks()).toEqual([]);
  });
});

describe('readPriorThreads through REST', () => {
  it('keeps bot thread starters with a marker, across pages; replies and people’s comments do not count', async () => {
    const filler = Array.from({ length: 97 }, (_, i) => ({ id: 100 + i, path: 'x.yaml', body: 'looks good', line: 3, user: { type: 'User' } }));
    const page1 = [
      { id: 1, path: 'a.yaml', body: 'fix\n<!-- minpriv:fp=aaaa1111,bbbb2222 -->', line: 7, user: { login: 'minpriv[bot]', type: 'Bot' } },
      { id: 2, path: 'a.yaml', body: 'quoted <!-- minpriv:fp=cccc3333 -->', line: 7, in_reply_to_id: 1, user: { type: 'Bot' } },
      { id: 3, path: 'b.yaml', body: 'pasted <!-- minpriv:fp=dddd4444 -->', line: 2, user: { login: 'dev', type: 'User' } },
      ...filler,
    ];
    const page2 = [
      { id: 201, path: 'c.yaml', body: '<!-- minpriv:fp=eeee5555 -->', line: null, user: { type: 'Bot' } },
      { id: 202, path: 'c.yaml', body: 'no marker', line: 4, user: { type: 'Bot' } },
    ];
    const scope = nock(API)
      .post('/graphql')
      .reply(404, { message: 'Not Found' })
      .get('/repos/acme/gitops/pulls/9/comments')
      .query({ per_page: 100, page: 1 })
      .reply(200, page1)
      .get('/repos/acme/gitops/pulls/9/comments')
      .query({ per_page: 100, page: 2 })
      .reply(200, page2);
    const log = recordingLog();
    const graphql = { usable: true };
    const prior = await readPriorThreads(createTokenClient('t', { plain: true }), target, { graphql, log });
    expect(prior).toEqual({
      resolvable: false,
      threads: [
        { id: 'comment:1', path: 'a.yaml', fingerprints: ['aaaa1111', 'bbbb2222'], outdated: false },
        { id: 'comment:201', path: 'c.yaml', fingerprints: ['eeee5555'], outdated: true },
      ],
    });
    expect(graphql.usable).toBe(false);
    expect(log.lines).toEqual([
      'warn reading review threads of #9 failed (GraphQL answered HTTP 404): reading review comments through REST',
      'debug earlier comments of #9 read through REST (GraphQL answered HTTP 404): thread resolution skipped, it needs GraphQL',
    ]);
    expect(scope.pendingMocks()).toEqual([]);
  });
});

describe('thread resolution failing', () => {
  it('never fails the run: the check completes and says the threads stay open', async () => {
    const clean = text('settings');
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 9,
      headSha: 'abc123',
      graphql: 'resolve-errors',
      files: [{ filename: 'k8s/settings.yaml', status: 'added', patch: addedPatch(clean), content: clean }],
      threads: [{ id: 'PRRT_9', path: 'k8s/settings.yaml', body: 'old fix <!-- minpriv:fp=0123456789abcdef -->' }],
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 'x1', name: 'pull_request', payload: prPayload('synchronize', 9, 'abc123') as never });
    expect(gh.lines().slice(-3)).toEqual(['GET /repos/acme/gitops/pulls/9', 'GRAPHQL minprivResolve', 'PATCH /repos/acme/gitops/check-runs/101']);
    const done = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101')[0] as { conclusion: string; output: { summary: string } };
    expect(done.conclusion).toBe('success');
    expect(done.output.summary).toContain('Earlier review threads whose finding is gone could not be resolved.');
    expect(gh.state.threads?.[0]?.isResolved).toBeUndefined();
  });
});
