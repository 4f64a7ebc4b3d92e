import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLog } from '../../src/github/client.js';
import { addedPatch, FakeGitHub } from './fake-github.js';
import { OWNER, prPayload, REPO } from './harness.js';
import { probotWithRegistry } from './ops-harness.js';

const web = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');
let fake: FakeGitHub | undefined;

afterEach(() => {
  fake?.release();
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { status?: string; conclusion?: string; output: { title: string; summary: string } };

function install(extra: Partial<ConstructorParameters<typeof FakeGitHub>[0]> = {}) {
  fake = new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 11,
    headSha: 'f00d',
    files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }],
    ...extra,
  }).install();
  return fake;
}

describe('the run’s time limit', () => {
  it('stops a run stuck on GitHub and completes its check saying where it stopped and why', async () => {
    const gh = install({ stall: ['GET /repos/acme/gitops/pulls/11/files'] });
    const { probot, registry } = await probotWithRegistry({ runTimeoutMs: 300, requestTimeoutMs: 5000 });
    const started = Date.now();
    await probot.receive({ id: 't1', name: 'pull_request', payload: prPayload('opened', 11, 'f00d') as never });
    expect(Date.now() - started).toBeLessThan(2000);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'minpriv could not finish: listing the changed files' } });
    expect(done?.output.summary).toContain('minpriv stopped this run: it reached its time limit of 0.3 s');
    expect(registry.unfinished()).toEqual([]);
    expect(registry.active()).toEqual([]);
  });

  it('when the run cannot complete its check after the time limit, the app completes it itself', async () => {
    const gh = install({ stall: ['GET /repos/acme/gitops/pulls/11/files'], failCheckPatches: 2 });
    const { probot, registry } = await probotWithRegistry({ runTimeoutMs: 200 });
    await expect(probot.receive({ id: 't3', name: 'pull_request', payload: prPayload('opened', 11, 'f00d') as never })).rejects.toThrow();
    await vi.waitFor(() => expect(registry.unfinished()).toEqual([]));
    const patches = gh.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.status)).toEqual([500, 500, 200]);
    expect(patches[2]?.body).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'minpriv stopped: the run took too long', summary: expect.stringContaining('after its time limit of 0.2 s; re-run this check.') },
    });
  });

  it('a stalled call is cut at the request timeout, and the run completes with the error', async () => {
    const gh = install({ stall: ['GET /repos/acme/gitops/pulls/11/files'], config: 'onError: neutral\n' });
    const { probot } = await probotWithRegistry({ requestTimeoutMs: 200 });
    await probot.receive({ id: 't2', name: 'pull_request', payload: prPayload('opened', 11, 'f00d') as never });
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done).toMatchObject({ conclusion: 'neutral', output: { title: 'minpriv could not finish: listing the changed files' } });
    expect(done?.output.summary).toContain('GitHub did not answer GET /repos/acme/gitops/pulls/11/files within 0.2 s');
  });
});

describe('runs whose check run could not be completed', () => {
  it('stay in the registry, and the in-memory sweep completes them once old enough', async () => {
    const gh = install({ failCheckPatches: 2 });
    const { probot, registry } = await probotWithRegistry();
    await expect(probot.receive({ id: 'o1', name: 'pull_request', payload: prPayload('opened', 11, 'f00d') as never })).rejects.toThrow();
    const [left] = registry.unfinished();
    expect(left?.record).toMatchObject({ owner: OWNER, repo: REPO, pullNumber: 11, headSha: 'f00d', checkRunId: 101, installationId: 2, completed: false });
    expect(await registry.completeOrphans(60_000, silentLog)).toBe(0);
    expect(await registry.completeOrphans(0, silentLog)).toBe(1);
    const last = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101').at(-1) as Patch;
    expect(last).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'minpriv did not finish: re-run this check' } });
    expect(registry.unfinished()).toEqual([]);
  });
});

/** The check run a delivery refused on shutdown is created with: completed at once, saying why. */
const refused = (headSha: string) => ({
  name: 'minpriv',
  head_sha: headSha,
  external_id: '11',
  status: 'completed',
  conclusion: 'failure',
  output: {
    title: 'minpriv was interrupted: re-run this check',
    summary: expect.stringContaining('minpriv was interrupted (the app was shut down); re-run this check.\n\nIts last step was waiting to start.'),
  },
});

describe('shutting down', () => {
  it('refuses new deliveries with 503 once draining, and creates their check run completed, saying so', async () => {
    const gh = install();
    const { probot, registry } = await probotWithRegistry();
    registry.draining = true;
    const err = await probot.receive({ id: 's1', name: 'pull_request', payload: prPayload('opened', 11, 'f00d') as never }).catch((e: unknown) => e);
    expect((err as AggregateError).errors[0]).toMatchObject({ status: 503 });
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /repos/acme/gitops/check-runs']);
    expect(gh.bodies('POST', '/repos/acme/gitops/check-runs')).toEqual([refused('f00d')]);
    expect(registry.unfinished()).toEqual([]);
    expect(registry.active()).toEqual([]);
  });

  it('a delivery waiting behind a run of its pull request: the drain waits for it, and its check is completed, not left expected', async () => {
    const gh = install({ stall: ['GET /repos/acme/gitops/pulls/11/files'] });
    const { probot, registry } = await probotWithRegistry();
    const first = probot.receive({ id: 's2', name: 'pull_request', payload: prPayload('opened', 11, 'f00d') as never });
    // Same pull request: it waits in this process's queue until the first run is done.
    const second = probot.receive({ id: 's3', name: 'pull_request', payload: prPayload('synchronize', 11, 'beef') as never }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(registry.active().length).toBe(1));
    registry.draining = true;
    let idleAt = -1;
    const idle = registry.whenIdle(10_000).then((v) => {
      idleAt = gh.requests.length;
      return v;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(idleAt).toBe(-1);
    gh.release();
    await first;
    expect(((await second) as AggregateError).errors[0]).toMatchObject({ status: 503 });
    expect(await idle).toBe(true);
    // Idle only once the waiting delivery's check run was written.
    expect(gh.requests.slice(0, idleAt).some((r) => r.method === 'POST' && (r.body as { head_sha?: string }).head_sha === 'beef')).toBe(true);
    expect(gh.bodies('POST', '/repos/acme/gitops/check-runs')).toEqual([expect.objectContaining({ head_sha: 'f00d', status: 'in_progress' }), refused('beef')]);
    expect(registry.unfinished()).toEqual([]);
  });
});
