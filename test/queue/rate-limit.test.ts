import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addedPatch } from '../github/fake-github.js';
import { MultiFake } from './multi-fake.js';
import { deliver, prEvent, type RoleProcess, startRole, until } from './processes.js';
import { REDIS, type RedisServer, startRedis } from './redis.js';

const web = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');
const PR = { installation: 3, owner: 'acme', repo: 'limited', number: 5, headSha: 'beef' };

describe.skipIf(!REDIS)('a secondary rate limit (real processes, real redis-server)', { timeout: 240_000 }, () => {
  let redis: RedisServer;
  const procs: RoleProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);
  afterAll(async () => {
    for (const p of procs) p.kill();
    await redis?.stop();
  }, 30_000);

  it('403 with retry-after when the job starts: the job is tried again after retry-after, and completes the check run', async ({ onTestFinished }) => {
    const multi = new MultiFake([{ ...PR, files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }] }]);
    const starts: number[] = [];
    multi.intercept = (method, path, body) => {
      if (method !== 'PATCH' || path !== '/repos/acme/limited/check-runs/101' || !body.includes('"in_progress"')) return undefined;
      starts.push(Date.now());
      if (starts.length > 1) return undefined;
      const message = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
      return [403, { message, documentation_url: 'https://docs.github.com/rest' }, { 'retry-after': '1' }];
    };
    const served = await multi.serve();
    onTestFinished(() => served.close());
    // The job's own calls do not wait for retry-after here: the queue does (the job is tried again later).
    const env = { MINPRIV_RATE_LIMIT_RETRIES: '0', MINPRIV_JOB_BACKOFF_SECONDS: '30' };
    const [webRole, worker] = await Promise.all([startRole('web', served.host, redis.url), startRole('worker', served.host, redis.url, env)]);
    procs.push(webRole, worker);
    expect((await deliver(webRole.port, 'pull_request', prEvent('opened', PR), 'limited-1')).status).toBe(200);

    const fake = multi.fake('acme', 'limited');
    await until(() => fake.checkRuns.get(101)?.status === 'completed', 90_000, 'the check run completed');
    expect(starts).toHaveLength(2);
    const waited = (starts[1] as number) - (starts[0] as number);
    // retry-after (1 s), not the 30 s backoff.
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(5000);
    console.info(`secondary limit, retry-after 1 s → job tried again after ${waited} ms`);
    expect(fake.checkRuns.get(101)).toMatchObject({ conclusion: 'failure' });
    expect((fake.checkRuns.get(101)?.output as { title: string } | undefined)?.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    expect(multi.reviews()).toEqual([{ repo: 'acme/limited', commit: 'beef' }]);
    expect(worker.logs.some((l) => /job limited-1 \(acme\/limited#5\) failed, tried again later \(1\/3\)/.test(String(l.msg)))).toBe(true);
  });
});
