/**
 * How the queue behaves: the operator's settings (environment). Without `REDIS_URL` there is no queue to
 * configure: the app runs each review in its own process, as it always did.
 */
export interface QueueSettings {
  /** Redis (or Valkey) URL; undefined: the in-process queue. */
  redisUrl?: string;
  /** BullMQ queue name, and the prefix of minpriv's own keys beside it. */
  name: string;
  /** Jobs one worker process runs at once. */
  concurrency: number;
  /** Tries of a job that fails before it has completed its check run (GitHub down, secondary limit, Redis blip). */
  attempts: number;
  /** First wait before trying a failed job again (doubled each time, or GitHub's `retry-after` when it gave one). */
  backoffMs: number;
  /** Longest a job may run; then its check run is completed as timed out. 0: the run's own limit plus a margin. */
  jobTimeoutMs: number;
  /** BullMQ's lock on an active job: a worker that stops renewing it for this long is taken for dead. */
  lockMs: number;
  /** How often workers look for jobs whose worker died. */
  stalledIntervalMs: number;
  /** Times a job may lose its worker and be started again before it is failed (and its check run completed). */
  maxStalled: number;
  /** Longest a job waits for another worker's hold on the same pull request. */
  prLockWaitMs: number;
  /** How often a worker looks for pull requests whose requests have no job (lost with Redis, or a dead web replica). */
  sweepMs: number;
  /** Probot's throttling of writes (1/s per installation); off only for a GitHub without rate limits, and tests. */
  throttle: boolean;
}

type Numeric = Exclude<keyof QueueSettings, 'redisUrl' | 'name' | 'throttle'>;

const NUMBERS: Record<Numeric, { env: string; seconds: boolean; default: number; min: number }> = {
  concurrency: { env: 'MINPRIV_WORKER_CONCURRENCY', seconds: false, default: 4, min: 1 },
  attempts: { env: 'MINPRIV_JOB_ATTEMPTS', seconds: false, default: 3, min: 1 },
  backoffMs: { env: 'MINPRIV_JOB_BACKOFF_SECONDS', seconds: true, default: 5, min: 0 },
  jobTimeoutMs: { env: 'MINPRIV_JOB_TIMEOUT_SECONDS', seconds: true, default: 0, min: 0 },
  lockMs: { env: 'MINPRIV_QUEUE_LOCK_SECONDS', seconds: true, default: 30, min: 0.1 },
  stalledIntervalMs: { env: 'MINPRIV_QUEUE_STALLED_INTERVAL_SECONDS', seconds: true, default: 30, min: 0.1 },
  maxStalled: { env: 'MINPRIV_QUEUE_MAX_STALLED', seconds: false, default: 1, min: 0 },
  prLockWaitMs: { env: 'MINPRIV_PR_LOCK_WAIT_SECONDS', seconds: true, default: 60, min: 0 },
  sweepMs: { env: 'MINPRIV_QUEUE_SWEEP_SECONDS', seconds: true, default: 60, min: 0.1 },
};

/** The settings from the environment; a malformed value is an error at start-up. */
export function queueSettings(env: Record<string, string | undefined> = process.env): QueueSettings {
  const out = { name: env.MINPRIV_QUEUE_NAME?.trim() || 'minpriv', throttle: env.MINPRIV_GITHUB_THROTTLE?.trim().toLowerCase() !== 'false' } as QueueSettings;
  if (/[:\s]/.test(out.name)) throw new Error(`MINPRIV_QUEUE_NAME must not contain ':' or spaces, not "${out.name}"`);
  const url = env.REDIS_URL?.trim();
  if (url) out.redisUrl = url;
  for (const [key, v] of Object.entries(NUMBERS) as [Numeric, (typeof NUMBERS)[Numeric]][]) {
    const raw = env[v.env];
    const n = raw === undefined || raw.trim() === '' ? v.default : Number(raw);
    if (!Number.isFinite(n) || n < v.min) throw new Error(`${v.env} must be a number ≥ ${v.min}, not "${raw}"`);
    out[key] = v.seconds ? Math.round(n * 1000) : Math.floor(n);
  }
  return out;
}

/** The job's hard limit: the setting, else the run's own time limit plus two request timeouts. */
export function jobTimeoutOf(s: QueueSettings, run: { runTimeoutMs: number; requestTimeoutMs: number }): number {
  if (s.jobTimeoutMs > 0) return s.jobTimeoutMs;
  return run.runTimeoutMs > 0 ? run.runTimeoutMs + 2 * run.requestTimeoutMs : 0;
}
