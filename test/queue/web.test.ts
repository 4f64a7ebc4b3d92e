import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addedPatch } from '../github/fake-github.js';
import { MultiFake } from './multi-fake.js';
import { deliver, get, prEvent, startRole, until } from './processes.js';
import { REDIS, type RedisServer, startRedis } from './redis.js';

const web = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');
const PR = { installation: 2, owner: 'acme', repo: 'gitops', number: 11, headSha: 'f00d' };

describe.skipIf(!REDIS)('the web role with a Redis queue (real processes, real redis-server)', { timeout: 240_000 }, () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);
  afterAll(async () => {
    await redis?.stop();
  }, 30_000);

  it('answers at once with the check run queued; the same delivery at two web replicas makes one job; a worker reviews it', async ({ onTestFinished }) => {
    const multi = new MultiFake([{ ...PR, files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }] }]);
    const served = await multi.serve();
    const [a, b, worker] = await Promise.all([
      startRole('web', served.host, redis.url),
      startRole('web', served.host, redis.url),
      startRole('worker', served.host, redis.url),
    ]);
    onTestFinished(async () => {
      for (const p of [a, b, worker]) p.kill();
      await served.close();
    });
    const fake = multi.fake('acme', 'gitops');
    // GitHub is slow from now on: a review takes a dozen calls, so several seconds; the answer must not wait for it.
    multi.latencyMs = 150;
    const payload = prEvent('opened', PR);
    const answers = await Promise.all([deliver(a.port, 'pull_request', payload, 'delivery-1'), deliver(b.port, 'pull_request', payload, 'delivery-1')]);
    expect(answers.map((x) => x.status)).toEqual([200, 200]);
    // Answered before any of the work: not even the queued check run (one GitHub call, 150 ms) exists yet.
    expect(fake.checkRuns.size).toBe(0);
    for (const x of answers) expect(x.ms).toBeLessThan(1000);
    console.info(`web answers: ${answers.map((x) => `${x.ms.toFixed(0)} ms`).join(', ')} (GitHub latency 150 ms)`);

    await until(() => fake.checkRuns.size > 0, 90_000, 'the queued check run');
    expect(fake.bodies('POST', '/repos/acme/gitops/check-runs')).toEqual([{ name: 'minpriv', head_sha: 'f00d', status: 'queued', external_id: '11' }]);
    const duplicate = [...a.logs, ...b.logs].filter((l) => String(l.msg).includes('was received before'));
    expect(duplicate).toHaveLength(1);

    await until(() => fake.checkRuns.get(101)?.status === 'completed', 90_000, 'the check run completed');
    expect(fake.checkRuns.size).toBe(1);
    expect(fake.checkRuns.get(101)).toMatchObject({ conclusion: 'failure' });
    expect((fake.checkRuns.get(101)?.output as { title: string } | undefined)?.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    expect(multi.reviews()).toEqual([{ repo: 'acme/gitops', commit: 'f00d' }]);
    // The queued run was taken over (set in progress), not created twice.
    expect(fake.lines().filter((l) => l.startsWith('POST /repos/acme/gitops/check-runs') || l.startsWith('PATCH'))).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'PATCH /repos/acme/gitops/check-runs/101',
      'PATCH /repos/acme/gitops/check-runs/101',
    ]);

    const audit = await worker.waitForLog((l) => l.audit === 'minpriv.decision');
    expect(audit).toMatchObject({ delivery: 'delivery-1', repository: 'acme/gitops', pr: 11, headSha: 'f00d', outcome: 'reviewed', conclusion: 'failure' });
    expect(JSON.stringify(audit)).not.toMatch(/ghs_|PRIVATE|image:/);
    const metrics = await get(worker.port, '/metrics');
    expect(metrics.body).toMatch(/minpriv_decisions_total\{outcome="reviewed",conclusion="failure"\} 1/);
    expect(metrics.body).toMatch(/minpriv_github_requests_total\{route="POST \/repos\/\{owner\}\/\{repo\}\/pulls\/\{pull_number\}\/reviews",status="200"\} 1/);
    expect(metrics.body).toMatch(/minpriv_review_comments_posted_total \d+/);
    expect((await get(a.port, '/metrics')).body).toMatch(/minpriv_webhooks_received_total\{event="pull_request",action="opened"\} 1/);
    expect(await get(a.port, '/ready')).toEqual({ status: 200, body: 'ready: redis answers\n' });
    expect((await get(worker.port, '/ready')).status).toBe(200);
    expect((await get(worker.port, '/ping')).body).toBe('PONG');
  });
});
