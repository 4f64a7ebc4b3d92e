import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { newest, type ReviewSpec } from './job.js';

/** A delivery id is remembered this long: a redelivery (or the same delivery at a second web replica) within it is a no-op. */
const DELIVERY_TTL_S = 3 * 24 * 3600;
/** Specs nobody took are dropped after this long (the sweep re-queues them well before). */
const PENDING_TTL_S = 7 * 24 * 3600;
/** A spec whose queued check run is still being created is left alone this long; past it the web role is taken for dead. */
export const CREATING_GRACE_MS = 60_000;

const RECORD = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[3]) == false then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('SADD', KEYS[3], ARGV[5])
return 1`;
const UPDATE = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;
const FINISH = `
redis.call('HDEL', KEYS[1], unpack(ARGV, 2))
if redis.call('HLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[1]) end
return 1`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** What a job found for its pull request: the spec to run (if any), and the older ones it replaces. */
export interface Taken {
  run?: ReviewSpec;
  superseded: ReviewSpec[];
  /** The newest spec (the one run, or the one whose check run is still being created). */
  newest?: ReviewSpec;
}

/** A hold on one pull request across workers; renewed while held. */
export interface PrLock {
  release(): Promise<void>;
}

/**
 * minpriv's own records in Redis, beside BullMQ's: the delivery ids seen, the review requests of each pull request
 * not yet done (so a crashed job's work is found again), per-PR locks and leases for periodic duties.
 */
export class QueueStore {
  readonly redis: Redis;
  private readonly prefix: string;

  constructor(url: string, name: string, redis?: Redis) {
    this.redis = redis ?? new Redis(url, { maxRetriesPerRequest: 2, connectionName: `${name}-store` });
    // Errors surface on the calls; an unhandled 'error' event would end the process.
    this.redis.on('error', () => undefined);
    this.prefix = `${name}:mp:`;
  }

  private key(kind: string, id = ''): string {
    return `${this.prefix}${kind}${id ? `:${id}` : ''}`;
  }

  /** Record a delivery's spec; false when the delivery was seen before (a redelivery, or another web replica has it). */
  async record(prKey: string, spec: ReviewSpec): Promise<boolean> {
    const args = [spec.deliveryId, JSON.stringify(spec), DELIVERY_TTL_S, PENDING_TTL_S, prKey];
    const fresh = await this.redis.eval(RECORD, 3, this.key('delivery', spec.deliveryId), this.key('pr', prKey), this.key('prs'), ...args);
    return fresh === 1;
  }

  /** Replace a spec that is still pending; false when a worker already replaced it with a newer one. */
  async update(prKey: string, spec: ReviewSpec): Promise<boolean> {
    return (await this.redis.eval(UPDATE, 1, this.key('pr', prKey), spec.deliveryId, JSON.stringify(spec))) === 1;
  }

  async pending(prKey: string): Promise<ReviewSpec[]> {
    const all = await this.redis.hgetall(this.key('pr', prKey));
    return Object.values(all).map((v) => JSON.parse(v) as ReviewSpec);
  }

  /** Pull requests with pending specs (for the sweep). */
  async pendingPrs(): Promise<string[]> {
    return this.redis.smembers(this.key('prs'));
  }

  /**
   * Under the PR lock: the newest spec is the one to run (marked as taken by `jobId`), every older one is
   * superseded and dropped. When the newest is still having its queued check run created, nothing runs now:
   * its own job follows.
   */
  async take(prKey: string, jobId: string, now = Date.now()): Promise<Taken> {
    const specs = await this.pending(prKey);
    const top = newest(specs);
    if (!top) return { superseded: [] };
    const superseded = specs.filter((s) => s !== top);
    if (superseded.length > 0) await this.drop(prKey, superseded);
    if (top.creating && now - top.receivedAt < CREATING_GRACE_MS) return { superseded, newest: top };
    const run: ReviewSpec = { ...top, takenBy: jobId };
    delete run.creating;
    await this.update(prKey, run);
    return { run, superseded, newest: top };
  }

  /** The spec is done (its check run completed): forget it. */
  async finish(prKey: string, spec: ReviewSpec): Promise<void> {
    await this.drop(prKey, [spec]);
  }

  private async drop(prKey: string, specs: readonly ReviewSpec[]): Promise<void> {
    if (specs.length === 0) return;
    await this.redis.eval(FINISH, 2, this.key('pr', prKey), this.key('prs'), prKey, ...specs.map((s) => s.deliveryId));
  }

  /** Hold the pull request (waiting up to `waitMs` for another holder); undefined when it stayed held. */
  async lock(prKey: string, o: { ttlMs: number; waitMs: number }): Promise<PrLock | undefined> {
    const key = this.key('lock', prKey);
    const token = randomUUID();
    const until = Date.now() + o.waitMs;
    for (;;) {
      if ((await this.redis.set(key, token, 'PX', o.ttlMs, 'NX')) === 'OK') break;
      if (Date.now() >= until) return undefined;
      await new Promise((r) => setTimeout(r, 100));
    }
    const timer = setInterval(() => void this.redis.eval(RENEW, 1, key, token, o.ttlMs).catch(() => undefined), Math.max(100, o.ttlMs / 3));
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
      },
    };
  }

  /** One replica per period does a periodic duty: true for the one that got the lease. */
  async lease(what: string, ms: number): Promise<boolean> {
    return (await this.redis.set(this.key('lease', what), '1', 'PX', Math.max(1, ms), 'NX')) === 'OK';
  }

  /** Redis answers (readiness). */
  async ping(timeoutMs = 1000): Promise<boolean> {
    const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref());
    return Promise.race([
      this.redis.ping().then(
        (p) => p === 'PONG',
        () => false,
      ),
      timeout,
    ]);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
