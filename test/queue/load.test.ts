import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addedPatch } from '../github/fake-github.js';
import { type FakePr, MultiFake } from './multi-fake.js';
import { deliver, prEvent, type RoleProcess, startRole, until } from './processes.js';
import { REDIS, type RedisServer, startRedis } from './redis.js';

const web = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');

/** 10 installations × 10 repositories, one pull request each. */
function prs(): FakePr[] {
  const out: FakePr[] = [];
  for (let i = 0; i < 10; i++) {
    for (let r = 0; r < 10; r++) {
      out.push({
        installation: 100 + i,
        owner: `org${i}`,
        repo: `repo${r}`,
        number: 1 + r,
        headSha: `sha${i}${r}`,
        files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }],
      });
    }
  }
  return out;
}

describe.skipIf(!REDIS)('100 pull requests across 10 installations, 4 workers (real processes, real redis-server)', { timeout: 240_000 }, () => {
  let redis: RedisServer;
  const procs: RoleProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);
  afterAll(async () => {
    for (const p of procs) p.kill();
    await redis?.stop();
  }, 30_000);

  it('every check run is completed with its result, each pull request gets exactly one review, redeliveries change nothing', async ({ onTestFinished }) => {
    const all = prs();
    const multi = new MultiFake(all);
    const served = await multi.serve();
    onTestFinished(() => served.close());
    const env = { MINPRIV_WORKER_CONCURRENCY: '2' };
    const roles = await Promise.all([
      startRole('web', served.host, redis.url),
      ...Array.from({ length: 4 }, () => startRole('worker', served.host, redis.url, env)),
    ]);
    procs.push(...roles);
    const webRole = roles[0] as RoleProcess;
    const started = Date.now();
    const events = all.map((pr, i) => ({ payload: prEvent('opened', pr), id: `load-${i}` }));
    // Ten of them delivered twice (GitHub's redelivery): same delivery id.
    const sends = [...events, ...events.slice(0, 10)];
    const answers: number[] = [];
    for (let i = 0; i < sends.length; i += 20) {
      const batch = await Promise.all(sends.slice(i, i + 20).map((e) => deliver(webRole.port, 'pull_request', e.payload, e.id)));
      for (const a of batch) {
        expect(a.status).toBe(200);
        answers.push(a.ms);
      }
    }
    const fakes = [...multi.fakes.values()];
    await until(() => fakes.every((f) => f.checkRuns.get(101)?.status === 'completed'), 150_000, 'every check run completed');
    const took = Date.now() - started;

    for (const f of fakes) {
      expect(f.checkRuns.size).toBe(1);
      expect(f.checkRuns.get(101)).toMatchObject({ status: 'completed', conclusion: 'failure' });
      expect((f.checkRuns.get(101)?.output as { title: string } | undefined)?.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    }
    const reviews = multi.reviews();
    expect(reviews).toHaveLength(100);
    expect(new Set(reviews.map((r) => r.repo)).size).toBe(100);
    const reviewedBy = () => roles.slice(1).map((w) => w.logs.filter((l) => l.audit === 'minpriv.decision' && l.outcome === 'reviewed').length);
    // The decision is logged once the run has returned, just after its check run is completed.
    await until(() => reviewedBy().reduce((a, b) => a + b, 0) >= 100, 10_000, 'every decision logged');
    const byWorker = reviewedBy();
    expect(byWorker.reduce((a, b) => a + b, 0)).toBe(100);
    answers.sort((a, b) => a - b);
    console.info(
      `100 PRs (10 installations, 4 workers × concurrency 2): all completed in ${took} ms; webhook p50 ${answers[55]?.toFixed(0)} ms, max ${answers.at(-1)?.toFixed(0)} ms; reviews per worker ${byWorker.join('/')}`,
    );
  });
});
