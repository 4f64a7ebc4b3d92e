import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { addedPatch, type FakeFile, FakeGitHub, type FakeState } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';
import { applySuggestions } from './suggest.js';

// GitHub-compatible APIs without GraphQL (or answering it with errors): contents through git blobs, earlier comments through REST.
const fixture = (name: string) => readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), 'utf8');
const web = fixture('new-deployment.yaml');
const SHA = 'b10b000000000000000000000000000000000001';

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { status?: string; conclusion?: string; output: { title: string; summary: string; annotations?: unknown[] } };
type Review = { commit_id: string; comments: { path: string; line: number; start_line?: number; body: string }[] };

function fake(state: Partial<FakeState>, files: FakeFile[] = [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web, sha: SHA }]) {
  return new FakeGitHub({ owner: OWNER, repo: REPO, number: 7, headSha: 'abc123', files, ...state }).install();
}

/** The request lines, with the concurrent REST reads (positions from..to) sorted: their order is not fixed. */
function lines(gh: FakeGitHub, from: number, to: number): string[] {
  const all = gh.lines();
  return [...all.slice(0, from), ...all.slice(from, to).sort(), ...all.slice(to)];
}

describe('GraphQL answering 404 to every query', () => {
  it('reads the blob and the REST comments, posts the check and review as usual, and nothing twice on redelivery', async () => {
    const gh = fake({ graphql: 'http404' });
    const probot = await makeProbot();
    await probot.receive({ id: 'g1', name: 'pull_request', payload: prPayload('opened', 7, 'abc123') as never });

    // Found absent once: the threads are not asked through GraphQL again in this run.
    expect(lines(gh, 5, 7)).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'GET /repos/acme/gitops/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/.github/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/gitops/pulls/7/files?per_page=100&page=1',
      'GRAPHQL minprivContents',
      'GET /repos/acme/gitops/git/blobs/b10b000000000000000000000000000000000001',
      'GET /repos/acme/gitops/git/trees/abc123?recursive=1',
      'GET /repos/acme/gitops/pulls/7/comments?per_page=100&page=1',
      'GET /repos/acme/gitops/pulls/7',
      'POST /repos/acme/gitops/pulls/7/reviews',
      'PATCH /repos/acme/gitops/check-runs/101',
    ]);
    expect(
      gh.requests
        .filter((r) => r.status >= 400)
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/graphql', '/repos/acme/.github/contents/.github%2Fminpriv.yml', '/repos/acme/gitops/contents/.github%2Fminpriv.yml']);
    const [review] = gh.bodies('POST', '/repos/acme/gitops/pulls/7/reviews') as Review[];
    expect(review?.comments.map((c) => [c.path, c.line])).toEqual([['k8s/web.yaml', 12]]);
    expect(applySuggestions(web, review?.comments ?? [])).toBe(fixture('new-deployment.fixed.yaml'));
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    expect(done?.output.annotations).toHaveLength(5);

    gh.requests.length = 0;
    await probot.receive({ id: 'g1', name: 'pull_request', payload: prPayload('opened', 7, 'abc123') as never });
    expect(lines(gh, 5, 7)).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'GET /repos/acme/gitops/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/.github/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/gitops/pulls/7/files?per_page=100&page=1',
      'GRAPHQL minprivContents',
      'GET /repos/acme/gitops/git/blobs/b10b000000000000000000000000000000000001',
      'GET /repos/acme/gitops/git/trees/abc123?recursive=1',
      'GET /repos/acme/gitops/pulls/7/comments?per_page=100&page=1',
      'PATCH /repos/acme/gitops/check-runs/102',
    ]);
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/7/reviews')).toEqual([]);
    const [again] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/102') as Patch[];
    expect(again?.conclusion).toBe('failure');
    expect(again?.output.summary).toContain('suggested earlier (open thread)');
  });

  it('reads a kustomization beside a changed patch as the blob the head tree names, so the patch stays partial', async () => {
    const patch =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web:2\n';
    const gh = fake({ graphql: 'http404', tree: { 'k8s/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: web.yaml\n' } }, [
      { filename: 'k8s/web.yaml', status: 'modified', patch: '@@ -10 +10 @@\n-          image: web:1\n+          image: web:2', content: patch, sha: SHA },
    ]);
    const probot = await makeProbot();
    await probot.receive({ id: 'g2', name: 'pull_request', payload: prPayload('synchronize', 7, 'abc123') as never });
    expect(
      gh.requests
        .filter((r) => r.path.includes('/contents/k8s') || r.path.includes('/git/'))
        .map((r) => [r.path, r.status])
        .sort(),
    ).toEqual([
      ['/repos/acme/gitops/git/blobs/b10b000000000000000000000000000000000001', 200],
      ['/repos/acme/gitops/git/blobs/ff1782d07be138342134a6d2ba735c5011133917', 200],
      ['/repos/acme/gitops/git/trees/abc123?recursive=1', 200],
    ]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('success');
    expect(done?.output.title).toBe('No findings in 1 changed manifest');
    expect(done?.output.summary).toContain('partial manifest (patch): only the fields it sets are checked');
  });
});

describe('GraphQL answering 200 with errors and no data', () => {
  it('falls back the same way, dedupes on redelivery, and never tries to resolve a thread read through REST', async () => {
    const gh = fake({ graphql: 'errors' });
    const probot = await makeProbot();
    await probot.receive({ id: 'e1', name: 'pull_request', payload: prPayload('opened', 7, 'abc123') as never });
    // An answer with errors is no proof that GraphQL is absent: the threads query is still tried.
    expect(lines(gh, 5, 7)).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'GET /repos/acme/gitops/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/.github/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/gitops/pulls/7/files?per_page=100&page=1',
      'GRAPHQL minprivContents',
      'GET /repos/acme/gitops/git/blobs/b10b000000000000000000000000000000000001',
      'GET /repos/acme/gitops/git/trees/abc123?recursive=1',
      'GRAPHQL minprivThreads',
      'GET /repos/acme/gitops/pulls/7/comments?per_page=100&page=1',
      'GET /repos/acme/gitops/pulls/7',
      'POST /repos/acme/gitops/pulls/7/reviews',
      'PATCH /repos/acme/gitops/check-runs/101',
    ]);
    const [review] = gh.bodies('POST', '/repos/acme/gitops/pulls/7/reviews') as Review[];
    expect(review?.comments.map((c) => [c.path, c.line])).toEqual([['k8s/web.yaml', 12]]);
    expect((gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101')[0] as Patch).output.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');

    await probot.receive({ id: 'e1', name: 'pull_request', payload: prPayload('opened', 7, 'abc123') as never });
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/7/reviews')).toHaveLength(1);
    expect((gh.bodies('PATCH', '/repos/acme/gitops/check-runs/102')[0] as Patch).output.summary).toContain('suggested earlier (open thread)');

    // The author applies the suggestion and pushes: the finding is gone, but a REST-read thread has no id to resolve.
    const fixed = applySuggestions(web, review?.comments ?? []);
    gh.state.headSha = 'fff999';
    gh.state.files[0] = {
      filename: 'k8s/web.yaml',
      status: 'added',
      patch: addedPatch(fixed),
      content: fixed,
      sha: 'b10b000000000000000000000000000000000002',
    };
    gh.requests.length = 0;
    await probot.receive({ id: 'e2', name: 'pull_request', payload: prPayload('synchronize', 7, 'fff999') as never });
    expect(gh.lines().filter((l) => l.startsWith('GRAPHQL') || l.includes('/pulls/7/') || l.startsWith('PATCH'))).toEqual([
      'GET /repos/acme/gitops/pulls/7/files?per_page=100&page=1',
      'GRAPHQL minprivContents',
      'GRAPHQL minprivThreads',
      'GET /repos/acme/gitops/pulls/7/comments?per_page=100&page=1',
      'PATCH /repos/acme/gitops/check-runs/103',
    ]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/103') as Patch[];
    expect(done?.conclusion).toBe('success');
    expect(done?.output.title).toBe('No findings in 1 changed manifest');
    expect(done?.output.summary).not.toContain('Resolved');
    expect(gh.state.threads?.map((t) => [t.id, t.isResolved ?? false])).toEqual([['PRRT_1', false]]);
  });
});

describe('a file whose content cannot be read at all', () => {
  const clean = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: info\n';
  const files = (): FakeFile[] => [
    { filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web, sha: SHA },
    { filename: 'k8s/settings.yaml', status: 'added', patch: addedPatch(clean), content: clean, sha: 'b10b000000000000000000000000000000000003' },
  ];

  it('is listed as skipped with the reason and fails the check under onError: fail (the default)', async () => {
    const gh = fake({ graphql: 'http404', blobStatus: { 'k8s/web.yaml': 404 } }, files());
    const probot = await makeProbot();
    await probot.receive({ id: 'b1', name: 'pull_request', payload: prPayload('opened', 7, 'abc123', { changedFiles: 2 }) as never });
    expect(gh.requests.filter((r) => r.path.includes('/git/blobs/')).map((r) => [r.path, r.status])).toEqual([
      ['/repos/acme/gitops/git/blobs/b10b000000000000000000000000000000000001', 404],
      ['/repos/acme/gitops/git/blobs/b10b000000000000000000000000000000000003', 200],
    ]);
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/7/reviews')).toEqual([]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('No findings in 1 changed manifest · 1 error');
    expect(done?.output.summary).toContain('- `k8s/web.yaml`: content could not be read (GraphQL answered HTTP 404; the git blob b10b000 answered HTTP 404)');
  });

  it('gives a neutral check under onError: neutral', async () => {
    const gh = fake({ graphql: 'http404', blobStatus: { 'k8s/web.yaml': 404 }, config: 'onError: neutral\n' }, files());
    const probot = await makeProbot();
    await probot.receive({ id: 'b2', name: 'pull_request', payload: prPayload('opened', 7, 'abc123', { changedFiles: 2 }) as never });
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('neutral');
    expect(done?.output.title).toBe('No findings in 1 changed manifest · 1 error');
    expect(done?.output.summary).toContain('- `k8s/web.yaml`: content could not be read');
  });
});
