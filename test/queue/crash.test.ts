import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addedPatch, type FakeFile } from '../github/fake-github.js';
import { MultiFake } from './multi-fake.js';
import { deliver, prEvent, type RoleProcess, startRole, until } from './processes.js';
import { REDIS, type RedisServer, startRedis } from './redis.js';

const web = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');
const files: FakeFile[] = [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }];
type Output = { title: string; summary: string };
/** Short locks, so a dead worker's job is found in about a second. */
const FAST = { MINPRIV_QUEUE_LOCK_SECONDS: '1', MINPRIV_QUEUE_STALLED_INTERVAL_SECONDS: '0.5' };

describe.skipIf(!REDIS)('a worker killed in the middle of a job (real processes, real redis-server)', { timeout: 240_000 }, () => {
  let redis: RedisServer;
  let multi: MultiFake;
  let served: { host: string; close(): Promise<void> };
  let webRole: RoleProcess;
  const started: RoleProcess[] = [];
  const pr = (repo: string) => ({ installation: 2, owner: 'acme', repo, number: 7, headSha: 'c0ffee' });

  beforeAll(async () => {
    redis = await startRedis();
    multi = new MultiFake([
      { ...pr('retried'), files, state: { stall: ['GET /repos/acme/retried/pulls/7/files'] } },
      { ...pr('crashing'), files, state: { stall: ['GET /repos/acme/crashing/pulls/7/files'] } },
    ]);
    served = await multi.serve();
    webRole = await startRole('web', served.host, redis.url);
  }, 60_000);
  afterAll(async () => {
    webRole?.kill();
    for (const p of started) p.kill();
    await served?.close();
    await redis?.stop();
  }, 30_000);

  /** Deliver, let `running` take the job, kill it mid-job, start another worker with `env`: resolves once the check run is completed. */
  async function killMidJob(repo: string, running: RoleProcess, env: Record<string, string>): Promise<RoleProcess> {
    const fake = multi.fake('acme', repo);
    expect((await deliver(webRole.port, 'pull_request', prEvent('opened', pr(repo)), `kill-${repo}`)).status).toBe(200);
    // The job is running: its check run taken over (in progress), stuck on the file list.
    await until(() => fake.requests.some((r) => r.method === 'PATCH'), 90_000, 'the job running');
    expect(fake.checkRuns.get(101)?.status).toBe('in_progress');
    running.kill('SIGKILL');
    await running.exited;
    fake.release();
    const next = await startRole('worker', served.host, redis.url, { ...FAST, ...env });
    started.push(next);
    await until(() => fake.checkRuns.get(101)?.status === 'completed', 90_000, 'the check run completed');
    return next;
  }

  let survivor: RoleProcess;

  it('the job is found by the stalled-job check of the next worker and run again: the check run gets the real result, one review', async () => {
    const first = await startRole('worker', served.host, redis.url, FAST);
    started.push(first);
    survivor = await killMidJob('retried', first, {});
    const fake = multi.fake('acme', 'retried');
    expect(fake.checkRuns.get(101)).toMatchObject({ conclusion: 'failure' });
    expect((fake.checkRuns.get(101)?.output as Output | undefined)?.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    expect(fake.checkRuns.size).toBe(1);
    expect(multi.reviews().filter((r) => r.repo === 'acme/retried')).toHaveLength(1);
  });

  it('a job that keeps killing its worker is failed and its check run completed with the onError conclusion, saying why', async () => {
    // The survivor of the first case takes this job and is killed in turn; the next worker allows no stall.
    const second = await killMidJob('crashing', survivor, { MINPRIV_QUEUE_MAX_STALLED: '0' });
    const fake = multi.fake('acme', 'crashing');
    expect(fake.checkRuns.get(101)).toMatchObject({ conclusion: 'failure' });
    const output = (fake.checkRuns.get(101)?.output ?? {}) as Output;
    expect(output.title).toBe('minpriv did not finish: its worker stopped');
    expect(output.summary).toContain('the minpriv worker running this review stopped (killed or out of memory) more often than allowed');
    expect(output.summary).toContain('`onError: fail`');
    expect(multi.reviews().filter((r) => r.repo === 'acme/crashing')).toHaveLength(0);
    expect(await second.waitForLog((l) => l.audit === 'minpriv.decision' && l.repository === 'acme/crashing')).toMatchObject({
      outcome: 'failed',
      error: 'crashed',
    });
  });
});
