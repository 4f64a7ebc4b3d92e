import { Queue } from 'bullmq';
import type { GitHub, Log } from '../github/client.js';
import type { Decision, ReviewDispatch, ReviewRequest } from '../github/handlers.js';
import { completeSpec, createQueuedCheckRun } from '../github/queued-check-run.js';
import { redact } from '../report/check-run.js';
import { supersededOutput } from './check-outputs.js';
import { prKeyOf, type ReviewJobData, type ReviewSpec, safeId } from './job.js';
import type { QueueSettings } from './settings.js';
import type { QueueStore } from './store.js';

export const JOB_NAME = 'review';
/** The backoff type the workers compute: GitHub's `retry-after` when the error carries one, else exponential. */
export const BACKOFF_TYPE = 'minpriv';

/** BullMQ's queue for the reviews, with minpriv's job defaults. */
export function createQueue(s: QueueSettings): Queue<ReviewJobData> {
  const queue = new Queue<ReviewJobData>(s.name, {
    connection: { url: s.redisUrl as string, connectionName: `${s.name}-queue` },
    defaultJobOptions: {
      attempts: s.attempts,
      backoff: { type: BACKOFF_TYPE, delay: s.backoffMs },
      // Kept a while so a late duplicate id is still recognised, then dropped.
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
    },
  });
  queue.on('error', () => undefined);
  return queue;
}

export interface ProducerOptions {
  settings: QueueSettings;
  store: QueueStore;
  queue: Queue<ReviewJobData>;
  /** A client per installation (its own rate limiter), for the queued check run; else the event's client. */
  auth?: (installationId: number) => Promise<GitHub>;
  observe?: (decision: Decision) => void;
}

/**
 * The web role's side of the queue. `submit` records the request in Redis (one delivery id is taken once, by one
 * replica) and returns, so the webhook is answered at once; then, in the background, the queued check run is
 * created and the job added. Job id: the delivery id; de-duplication id: the pull request, so at most one job per
 * pull request is active and one waits. Whatever job runs reads the pull request's newest request.
 */
export class QueueProducer implements ReviewDispatch {
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly o: ProducerOptions) {}

  async submit(request: ReviewRequest, gh: GitHub, log: Log): Promise<void> {
    const started = Date.now();
    const prKey = prKeyOf(request.owner, request.repo, request.pull.number);
    const spec: ReviewSpec = { ...request, pull: { ...request.pull }, receivedAt: started };
    if (!request.pull.draft) spec.creating = true;
    const fresh = await this.o.store.record(prKey, spec);
    const base = {
      deliveryId: spec.deliveryId,
      event: spec.event,
      owner: spec.owner,
      repo: spec.repo,
      pullNumber: spec.pull.number,
      headSha: spec.pull.headSha,
      ...(spec.installationId === undefined ? {} : { installationId: spec.installationId }),
    };
    if (!fresh) {
      log.info(`delivery ${spec.deliveryId} was received before (a redelivery, or another replica has it): nothing to do`);
      this.o.observe?.({ ...base, outcome: 'duplicate-delivery', durationMs: Date.now() - started });
      return;
    }
    const follow: Promise<void> = this.follow(prKey, spec, gh, log)
      .catch((err) => log.error(`could not queue ${prKey} (${spec.deliveryId}): ${messageOf(err)}; the queue sweep queues it again`))
      .finally(() => this.inflight.delete(follow));
    this.inflight.add(follow);
    this.o.observe?.({ ...base, outcome: 'queued', durationMs: Date.now() - started });
  }

  private async follow(prKey: string, spec: ReviewSpec, gh: GitHub, log: Log): Promise<void> {
    let ready = spec;
    if (spec.creating) {
      ready = { ...spec };
      delete ready.creating;
      const client = spec.installationId !== undefined && this.o.auth ? await this.o.auth(spec.installationId).catch(() => gh) : gh;
      try {
        ready.checkRunId = await createQueuedCheckRun(client, spec);
      } catch (err) {
        log.warn(`could not create the queued check run of ${prKey}: ${messageOf(err)}; the worker creates it`);
      }
      if (!(await this.o.store.update(prKey, ready))) {
        // A worker took a newer push of this pull request meanwhile: this request is already replaced.
        await completeSpec(client, ready, supersededOutput(undefined), log).catch(() => undefined);
        return;
      }
    }
    await this.enqueue(prKey, ready);
  }

  /** Add the job of a recorded spec (also the sweep's way to queue a spec whose job was lost). */
  async enqueue(prKey: string, spec: ReviewSpec, jobId = safeId(spec.deliveryId)): Promise<void> {
    const data: ReviewJobData = { prKey, deliveryId: spec.deliveryId, headSha: spec.pull.headSha, enqueuedAt: Date.now() };
    await this.o.queue.add(JOB_NAME, data, { jobId, deduplication: { id: safeId(prKey), keepLastIfActive: true } });
  }

  /** Wait (up to `ms`) for the background work of the deliveries already answered. */
  async flush(ms: number): Promise<void> {
    await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => setTimeout(r, ms).unref())]);
  }
}

function messageOf(err: unknown): string {
  return redact(err instanceof Error ? err.message : String(err));
}
