import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewSpec } from '../../src/queue/job.js';
import { queueSettings } from '../../src/queue/settings.js';
import { QueueStore } from '../../src/queue/store.js';
import { processJob, type WorkerDeps } from '../../src/queue/worker.js';
import { REDIS, type RedisServer, startRedis } from './redis.js';

const spec = (deliveryId: string, headSha: string, receivedAt: number, extra: Partial<ReviewSpec> = {}): ReviewSpec => ({
  deliveryId,
  event: 'pull_request.synchronize',
  installationId: 2,
  owner: 'acme',
  repo: 'gitops',
  pull: { number: 11, headSha, draft: false },
  receivedAt,
  ...extra,
});

describe.skipIf(!REDIS)('the queue’s records in Redis (real redis-server)', () => {
  let redis: RedisServer;
  let store: QueueStore;
  beforeAll(async () => {
    redis = await startRedis();
    store = new QueueStore(redis.url, 'test');
  });
  afterAll(async () => {
    await store?.close();
    await redis?.stop();
  });

  it('takes a delivery id once: a redelivery, or the same delivery at a second replica, is refused', async () => {
    const results = await Promise.all([
      store.record('acme/gitops#1', { ...spec('d-1', 'a', 1), pull: { number: 1, headSha: 'a', draft: false } }),
      store.record('acme/gitops#1', spec('d-1', 'a', 1)),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(await store.pending('acme/gitops#1')).toHaveLength(1);
  });

  it('runs the newest request and supersedes the older ones; leaves one whose queued check run is still being created', async () => {
    const now = Date.now();
    await store.record('acme/gitops#2', spec('old', 'a1', now - 20));
    await store.record('acme/gitops#2', spec('new', 'b2', now - 10));
    const taken = await store.take('acme/gitops#2', 'job-1', now);
    expect(taken.run).toMatchObject({ deliveryId: 'new', takenBy: 'job-1' });
    expect(taken.superseded.map((s) => s.deliveryId)).toEqual(['old']);
    await store.record('acme/gitops#2', spec('newer', 'c3', now - 5, { creating: true }));
    const next = await store.take('acme/gitops#2', 'job-2', now);
    expect(next.run).toBeUndefined();
    expect(next.superseded.map((s) => s.deliveryId)).toEqual(['new']);
    // Past the grace the web replica is taken for dead: the worker runs it (and creates the check run itself).
    expect((await store.take('acme/gitops#2', 'job-3', now + 120_000)).run).toMatchObject({ deliveryId: 'newer' });
  });

  it('two workers given the same job: the per-PR lock lets one review it; the other finds nothing left to do', async () => {
    await store.record('acme/gitops#11', spec('same', 'f00d', Date.now() - 1000));
    let reviews = 0;
    const deps = {
      settings: { ...queueSettings({}), lockMs: 2000, prLockWaitMs: 5000 },
      store,
      jobTimeoutMs: 0,
      log: { info() {}, warn() {}, error() {} },
      async review() {
        reviews++;
        await new Promise((r) => setTimeout(r, 300));
        return undefined;
      },
    } as unknown as WorkerDeps;
    const job = { id: 'same', data: { prKey: 'acme/gitops#11', deliveryId: 'same', headSha: 'f00d', enqueuedAt: Date.now() } };
    const outcomes = await Promise.all([processJob(deps, job), processJob(deps, job)]);
    expect(reviews).toBe(1);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['nothing-to-do', 'stopped']);
    expect(await store.pending('acme/gitops#11')).toEqual([]);
  });
});
