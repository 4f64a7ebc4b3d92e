import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { addedPatch, FakeGitHub } from '../github/fake-github.js';
import { OWNER, prPayload, REPO } from '../github/harness.js';
import { serveFake, startApp } from './app-process.js';

const web = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');

describe('a secondary rate limit on the completing PATCH (a real app process)', () => {
  it('waits for retry-after, then completes the check run with its result', async ({ onTestFinished }) => {
    const fake = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 11,
      headSha: 'f00d',
      files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }],
      rateLimitCheckPatches: { count: 1, retryAfter: 1 },
    });
    const served = await serveFake(fake);
    const app = await startApp(served.host, { MINPRIV_SWEEP_INTERVAL_SECONDS: '0' });
    onTestFinished(async () => {
      app.kill();
      await served.close();
    });
    // 200 once the run is done (202 if it takes more than 9 s): then wait for the check itself.
    expect([200, 202]).toContain(await app.deliver('pull_request', prPayload('opened', 11, 'f00d')));
    await vi.waitFor(() => expect(fake.checkRuns.get(101)?.status).toBe('completed'), { timeout: 15_000, interval: 100 });

    const patches = fake.requests.map((r, i) => ({ ...r, at: fake.answeredAt[i] as number })).filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.status)).toEqual([403, 200]);
    const waited = (patches[1]?.at ?? 0) - (patches[0]?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(3000);
    console.info(`retry-after: 1 → completing PATCH retried after ${waited} ms`);
    const run = fake.checkRuns.get(101);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect((run?.output as { title: string } | undefined)?.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    expect(patches[1]?.body).toEqual(patches[0]?.body);
    expect(app.logs.some((l) => String(l.msg).includes('with retry-after 1 s to PATCH /repos/acme/gitops/check-runs/101: trying again in 1 s (1/3)'))).toBe(
      true,
    );
  });
});
