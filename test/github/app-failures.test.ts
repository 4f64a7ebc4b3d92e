import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { addedPatch, FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

const web = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { status?: string; conclusion?: string; output: { title: string; summary: string; text?: string; annotations?: unknown[] } };

function fake(extra: Partial<ConstructorParameters<typeof FakeGitHub>[0]> = {}) {
  return new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 11,
    headSha: 'f00d',
    files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }],
    ...extra,
  }).install();
}

describe('failures', () => {
  it('a 403 on the review falls back to check-only output and says so', async () => {
    const gh = fake({ reviewStatus: 403 });
    const probot = await makeProbot();
    await probot.receive({ id: 'f1', name: 'pull_request', payload: prPayload('opened', 11, 'f00d') as never });
    expect(gh.requests.find((r) => r.path.endsWith('/reviews'))?.status).toBe(403);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.annotations).toHaveLength(5);
    expect(done?.output.summary).toContain('> **Review not posted:** GitHub answered 403 to the review (no permission, or a secondary rate limit).');
    expect(done?.output.summary).toContain('| diff in details below |');
    expect(done?.output.text).toContain('(not inline: the review could not be posted)');
    expect(done?.output.text).toContain(
      '```diff\n@@ -9,4 +9,11 @@\n         - name: app\n           image: nginx:1.27\n           securityContext:\n-            privileged: true\n',
    );
    expect(done?.output.summary).not.toContain('test-token');
    expect(done?.output.text).not.toContain('test-token');
  });

  it('a GitHub 500 while completing is retried by the retry plugin and the run completes', async () => {
    const gh = fake({ failCheckPatches: 1 });
    const probot = await makeProbot({ retries: 3, retryAfterBaseValue: 1 });
    await probot.receive({ id: 'f2', name: 'pull_request', payload: prPayload('opened', 11, 'f00d') as never });
    const patches = gh.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.status)).toEqual([500, 200]);
    const second = patches[1]?.body as Patch;
    expect(second.conclusion).toBe('failure');
    expect(second.output.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
  });

  it('without retries, a failed completion is followed by a minimal completing update', async () => {
    const gh = fake({ failCheckPatches: 1 });
    const probot = await makeProbot();
    await probot.receive({ id: 'f3', name: 'pull_request', payload: prPayload('opened', 11, 'f00d') as never });
    const patches = gh.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.status)).toEqual([500, 200]);
    expect(patches[1]?.body).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'minpriv could not finish: completing the check run' },
    });
  });

  it('an error while reading the PR still completes the check (onError: neutral picks the conclusion)', async () => {
    const gh = fake({ config: 'onError: neutral\n' });
    // The file list answers 502 (a GitHub outage): nothing to scan.
    nock.cleanAll();
    nock('https://api.github.com').get('/repos/acme/gitops/pulls/11/files').query(true).reply(502, { message: 'Bad Gateway' });
    gh.install();
    const probot = await makeProbot();
    await probot.receive({ id: 'f4', name: 'pull_request', payload: prPayload('opened', 11, 'f00d') as never });
    const done = gh.requests.find((r) => r.method === 'PATCH')?.body as Patch;
    expect(done.conclusion).toBe('neutral');
    expect(done.output.title).toBe('minpriv could not finish: listing the changed files');
    expect(done.output.summary).toContain('minpriv failed while listing the changed files (HTTP 502)');
  });
});

describe('re-runs', () => {
  it('check_run.rerequested re-runs on the PR’s current head, found through external_id for fork runs', async () => {
    const gh = fake({ currentHead: 'f00d' });
    const probot = await makeProbot();
    const payload = {
      action: 'rerequested',
      check_run: { id: 55, name: 'minpriv', head_sha: 'stale', external_id: '11', pull_requests: [] },
      repository: { name: REPO, owner: { login: OWNER } },
      installation: { id: 2 },
    };
    await probot.receive({ id: 'r1', name: 'check_run', payload: payload as never });
    expect(gh.lines().slice(0, 2)).toEqual(['GET /repos/acme/gitops/pulls/11', 'POST /repos/acme/gitops/check-runs']);
    expect(gh.bodies('POST', '/repos/acme/gitops/check-runs')).toEqual([{ name: 'minpriv', head_sha: 'f00d', status: 'in_progress', external_id: '11' }]);
    expect(gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101')).toHaveLength(1);
  });

  it('check_suite.rerequested without pull_requests finds the PR from its minpriv run', async () => {
    const gh = fake();
    const probot = await makeProbot();
    const payload = {
      action: 'rerequested',
      check_suite: { id: 77, head_sha: 'f00d', pull_requests: [] },
      repository: { name: REPO, owner: { login: OWNER } },
      installation: { id: 2 },
    };
    await probot.receive({ id: 'r2', name: 'check_suite', payload: payload as never });
    expect(gh.lines().slice(0, 3)).toEqual([
      'GET /repos/acme/gitops/check-suites/77/check-runs?check_name=minpriv',
      'GET /repos/acme/gitops/pulls/11',
      'POST /repos/acme/gitops/check-runs',
    ]);
  });

  it('a re-run of another app’s check is ignored', async () => {
    const gh = fake();
    const probot = await makeProbot();
    const payload = {
      action: 'rerequested',
      check_run: { id: 56, name: 'other-check', head_sha: 'x', external_id: '11', pull_requests: [{ number: 11 }] },
      repository: { name: REPO, owner: { login: OWNER } },
      installation: { id: 2 },
    };
    await probot.receive({ id: 'r3', name: 'check_run', payload: payload as never });
    expect(gh.requests).toEqual([]);
  });
});
