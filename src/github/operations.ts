/**
 * How the app process behaves towards GitHub and its own shutdown: the operator's settings (environment),
 * not a repository's (.github/minpriv.yml cannot make the app wait longer).
 */
export interface OperationSettings {
  /** After SIGTERM/SIGINT, how long in-flight runs may go on finishing. */
  shutdownGraceMs: number;
  /** After the grace, how long the interrupted runs' completing writes may take before the process exits. */
  shutdownWritesMs: number;
  /** Longest wait for one GitHub call. */
  requestTimeoutMs: number;
  /** Longest run; then the check completes saying so. */
  runTimeoutMs: number;
  /** Longest `retry-after` honoured on a 403/429. */
  retryAfterMaxMs: number;
  /** Times a 403/429 with `retry-after` is tried again. */
  rateLimitRetries: number;
  /** How often check runs left unfinished are looked for (0: only at start-up). */
  sweepIntervalMs: number;
  /** A `minpriv` run still in progress after this long is an orphan the sweep completes. */
  orphanAfterMs: number;
  /** Most GitHub reads one sweep makes (installations, repositories, pull requests, check runs). */
  sweepMaxRequests: number;
}

const VARS: Record<keyof OperationSettings, { env: string; seconds: boolean; default: number }> = {
  shutdownGraceMs: { env: 'MINPRIV_SHUTDOWN_GRACE_SECONDS', seconds: true, default: 20 },
  shutdownWritesMs: { env: 'MINPRIV_SHUTDOWN_WRITES_SECONDS', seconds: true, default: 10 },
  requestTimeoutMs: { env: 'MINPRIV_REQUEST_TIMEOUT_SECONDS', seconds: true, default: 30 },
  runTimeoutMs: { env: 'MINPRIV_RUN_TIMEOUT_SECONDS', seconds: true, default: 300 },
  retryAfterMaxMs: { env: 'MINPRIV_RETRY_AFTER_MAX_SECONDS', seconds: true, default: 60 },
  rateLimitRetries: { env: 'MINPRIV_RATE_LIMIT_RETRIES', seconds: false, default: 3 },
  sweepIntervalMs: { env: 'MINPRIV_SWEEP_INTERVAL_SECONDS', seconds: true, default: 900 },
  orphanAfterMs: { env: 'MINPRIV_ORPHAN_AFTER_SECONDS', seconds: true, default: 600 },
  sweepMaxRequests: { env: 'MINPRIV_SWEEP_MAX_REQUESTS', seconds: false, default: 1000 },
};

/** The settings from the environment; a variable that is not a number ≥ 0 is an error at start-up. */
export function operationSettings(env: Record<string, string | undefined> = process.env): OperationSettings {
  const out = {} as OperationSettings;
  for (const [key, v] of Object.entries(VARS) as [keyof OperationSettings, (typeof VARS)[keyof OperationSettings]][]) {
    const raw = env[v.env];
    const n = raw === undefined || raw.trim() === '' ? v.default : Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${v.env} must be a number ≥ 0, not "${raw}"`);
    out[key] = v.seconds ? Math.round(n * 1000) : Math.floor(n);
  }
  return out;
}

export const DEFAULT_OPERATIONS: OperationSettings = operationSettings({});
