import { type Job, Worker } from 'bullmq';
import type { OnError } from '../engine/config.js';
import type { GitHub, Log } from '../github/client.js';
import type { Decision } from '../github/handlers.js';
import { retryAfterMs } from '../github/limits.js';
import { completeSpec } from '../github/queued-check-run.js';
import type { RunReport } from '../github/run.js';
import { redact } from '../report/check-run.js';
import { failedJobOutput, type JobFailure, supersededOutput } from './check-outputs.js';
import { newest, type ReviewJobData, type ReviewSpec, safeId } from './job.js';
import type { QueueProducer } from './producer.js';
import type { QueueSettings } from './settings.js';
import type { QueueStore } from './store.js';

export interface WorkerDeps {
  settings: QueueSettings;
  store: QueueStore;
  producer: QueueProducer;
  /** Review the spec now, its queued check run taken over (Probot context of its installation). */
  review(spec: ReviewSpec, log: Log): Promise<RunReport | undefined>;
  /** Stop a run over the job's time limit and complete its check run saying so. */
  stop(spec: ReviewSpec): Promise<void>;
  /** The spec's installation client (to complete check runs of work that will not run). */
  client(spec: ReviewSpec): Promise<GitHub>;
  /** The repository's `onError` (default `fail`). */
  onError(spec: ReviewSpec): Promise<OnError>;
  /** Hard limit of one job (0: none). */
  jobTimeoutMs: number;
  observe?: (decision: Decision) => void;
  /** A job ended: what it did, how long it ran and how long it had waited. */
  onJob?: (outcome: string, ms: number, waitedMs: number) => void;
  log: Log;
}

export interface JobResult {
  outcome: 'reviewed' | 'nothing-to-do' | 'timed-out' | 'stopped';
  deliveryId?: string;
  conclusion?: string;
}

/**
 * One job: hold the pull request (a Redis lock, so two workers given the same job never both publish), take its
 * newest request, complete the check runs of the older ones as superseded, run the review. A job that throws
 * before its check run is completed is tried again (GitHub's `retry-after`, else exponential backoff); one that
 * will not finish (every try failed, or its worker kept dying) has its check run completed with the `onError`
 * conclusion by the worker that sees it fail.
 */
export function createWorker(d: WorkerDeps): Worker<ReviewJobData, JobResult> {
  const s = d.settings;
  const worker = new Worker<ReviewJobData, JobResult>(s.name, (job) => processJob(d, job), {
    connection: { url: s.redisUrl as string, connectionName: `${s.name}-worker` },
    concurrency: s.concurrency,
    lockDuration: s.lockMs,
    stalledInterval: s.stalledIntervalMs,
    maxStalledCount: s.maxStalled,
    settings: { backoffStrategy: (attempts: number, _type?: string, err?: Error) => backoffMs(s, attempts, err) },
  });
  worker.on('error', (err) => d.log.warn(`queue: ${messageOf(err)}`));
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    d.onJob?.(final ? 'failed' : 'retried', Date.now() - (job.processedOn ?? Date.now()), (job.processedOn ?? Date.now()) - job.data.enqueuedAt);
    if (!final) {
      d.log.warn(`job ${job.id} (${job.data.prKey}) failed, tried again later (${job.attemptsMade}/${job.opts.attempts ?? 1}): ${messageOf(err)}`);
      return;
    }
    const why: JobFailure = /stalled/.test(err.message) ? 'crashed' : 'failed';
    void completeAbandoned(d, job, why, messageOf(err)).catch((e) => d.log.error(`could not complete the check run of job ${job.id}: ${messageOf(e)}`));
  });
  return worker;
}

/** One job (exported for tests: two workers given the same job). */
export async function processJob(d: WorkerDeps, job: Pick<Job<ReviewJobData>, 'id' | 'data'>): Promise<JobResult> {
  const { prKey } = job.data;
  const started = Date.now();
  const waited = started - job.data.enqueuedAt;
  const lock = await d.store.lock(prKey, { ttlMs: d.settings.lockMs, waitMs: d.settings.prLockWaitMs });
  if (!lock) throw new Error(`${prKey} stayed held by another worker for ${d.settings.prLockWaitMs / 1000} s`);
  let outcome: JobResult = { outcome: 'nothing-to-do' };
  // A job that throws is counted by the 'failed' listener (retried or failed), not here.
  let done = false;
  try {
    const taken = await d.store.take(prKey, String(job.id));
    for (const old of taken.superseded) await supersede(d, old, taken.newest);
    const spec = taken.run;
    done = spec === undefined;
    if (!spec) return outcome;
    outcome = { outcome: 'reviewed', deliveryId: spec.deliveryId };
    const report = await withTimeout(d.review(spec, d.log), d.jobTimeoutMs);
    if (report === TIMED_OUT) {
      d.log.warn(`job ${job.id} (${prKey}) passed its time limit of ${d.jobTimeoutMs / 1000} s: its check run is completed as timed out`);
      await d.stop(spec);
      outcome = { outcome: 'timed-out', deliveryId: spec.deliveryId };
    } else if (report === undefined) outcome = { outcome: 'stopped', deliveryId: spec.deliveryId };
    else outcome.conclusion = report.conclusion;
    await d.store.finish(prKey, spec);
    done = true;
    return outcome;
  } finally {
    await lock.release();
    if (done) d.onJob?.(outcome.outcome, Date.now() - started, waited);
  }
}

async function supersede(d: WorkerDeps, old: ReviewSpec, by: ReviewSpec | undefined): Promise<void> {
  const started = Date.now();
  try {
    if (old.checkRunId !== undefined) await completeSpec(await d.client(old), old, supersededOutput(by), d.log);
  } catch (err) {
    d.log.warn(`could not complete superseded check run ${old.checkRunId} of ${old.owner}/${old.repo}#${old.pull.number}: ${messageOf(err)}`);
  }
  d.observe?.({ ...decisionBase(old), outcome: 'superseded', conclusion: 'neutral', durationMs: Date.now() - started });
}

/** A job that will not run again: the check run of the spec it had taken says so. */
async function completeAbandoned(d: WorkerDeps, job: Job<ReviewJobData>, why: JobFailure, detail: string): Promise<void> {
  const { prKey } = job.data;
  const lock = await d.store.lock(prKey, { ttlMs: d.settings.lockMs, waitMs: d.settings.lockMs });
  try {
    const mine = (await d.store.pending(prKey)).filter((p) => p.takenBy === String(job.id));
    for (const spec of mine) {
      const started = Date.now();
      const onError = await d.onError(spec).catch((): OnError => 'fail');
      const output = failedJobOutput(why, onError, detail);
      const gh = await d.client(spec);
      if (spec.checkRunId !== undefined) await completeSpec(gh, spec, output, d.log);
      await d.store.finish(prKey, spec);
      d.log.warn(`job ${job.id} (${prKey}) ${why}: check run ${spec.checkRunId ?? '(none)'} completed as ${output.conclusion}`);
      const decision = { ...decisionBase(spec), outcome: 'failed' as const, conclusion: output.conclusion, error: why, durationMs: Date.now() - started };
      d.observe?.(spec.checkRunId === undefined ? decision : { ...decision, checkRunId: spec.checkRunId });
    }
  } finally {
    await lock?.release();
  }
}

/**
 * The queue's own sweep: a pull request with requests but no live job (its job was lost: Redis restarted, the web
 * replica died between answering and queueing) gets a job again. The API sweep (src/github/sweep.ts) completes
 * check runs nothing will finish.
 */
export async function sweepQueue(d: Pick<WorkerDeps, 'store' | 'producer' | 'log'>, queue: QueueLike, olderThanMs: number, now = Date.now()): Promise<number> {
  let queued = 0;
  for (const prKey of await d.store.pendingPrs()) {
    const specs = await d.store.pending(prKey);
    const top = newest(specs);
    if (!top || now - top.receivedAt < olderThanMs) continue;
    const live = await queue.getDeduplicationJobId(safeId(prKey));
    if (live) {
      const state = await queue.getJobState(live);
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') continue;
    }
    await d.producer.enqueue(prKey, top, `${safeId(top.deliveryId)}-sweep-${now}`);
    d.log.info(`queue sweep: ${prKey} had requests but no job: queued again`);
    queued++;
  }
  return queued;
}

export interface QueueLike {
  getDeduplicationJobId(id: string): Promise<string | null>;
  getJobState(id: string): Promise<string>;
}

function decisionBase(spec: ReviewSpec): Omit<Decision, 'outcome' | 'durationMs'> {
  return {
    deliveryId: spec.deliveryId,
    event: spec.event,
    owner: spec.owner,
    repo: spec.repo,
    pullNumber: spec.pull.number,
    headSha: spec.pull.headSha,
    ...(spec.installationId === undefined ? {} : { installationId: spec.installationId }),
  };
}

/** GitHub's `retry-after` when it sent one (secondary rate limit), else `backoffMs` doubled per try, with jitter. */
export function backoffMs(s: QueueSettings, attemptsMade: number, err?: Error): number {
  const after = retryAfterMs(err);
  if (after !== undefined) return after + Math.round(Math.random() * 250);
  const base = s.backoffMs * 2 ** Math.max(0, attemptsMade - 1);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

const TIMED_OUT = Symbol('timed out');

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  if (ms <= 0) return work;
  // Past the limit nobody waits for it: its later failure must not go unhandled.
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<typeof TIMED_OUT>((r) => {
    timer = setTimeout(() => r(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(err: unknown): string {
  return redact(err instanceof Error ? err.message : String(err)).slice(0, 500);
}
