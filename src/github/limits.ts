import { redact } from '../report/check-run.js';
import { type GitHub, type Log, statusOf } from './client.js';

/** A call took longer than the per-request timeout; it is not retried (a write may have landed). */
export class RequestTimeoutError extends Error {
  readonly code = 'request-timeout';
  constructor(what: string, ms: number) {
    super(`GitHub did not answer ${what} within ${ms / 1000} s`);
    this.name = 'RequestTimeoutError';
  }
}

export interface LimitOptions {
  /** Longest wait for one call (retries inside Octokit's plugins included). */
  timeoutMs: number;
  /** Longest `retry-after` honoured; a longer one is waited for this long, then tried again. */
  retryAfterMaxMs: number;
  /** How many times a 403/429 with `retry-after` is tried again. */
  retries: number;
  log: Log;
  /** Aborts the call in flight, and a `retry-after` wait. */
  signal?: AbortSignal;
}

/** What a call is: for the hooks of a tracking client. */
export interface CallInfo {
  method: string;
  /** The route (`PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}`) or `graphql`. */
  route: string;
  params: Record<string, unknown>;
}

export interface LimitHooks {
  /** Before each call: throw to refuse it; the signal returned replaces options.signal for this call. */
  before?(call: CallInfo): AbortSignal | undefined;
  after?(call: CallInfo, data: unknown): void;
  /** Turn a failure into the error the caller sees. */
  failed?(call: CallInfo, err: unknown): unknown;
}

/**
 * Run one GitHub call with a timeout and the `retry-after` of a 403/429 honoured. The caller stops
 * waiting when the timeout or the signal fires, even while Octokit's retry plugin is backing off.
 */
export async function callWithLimits<T>(what: string, send: (signal: AbortSignal) => Promise<T>, o: LimitOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await once(what, send, o);
    } catch (err) {
      const after = retryAfterMs(err);
      if (after === undefined || attempt >= o.retries || o.signal?.aborted) throw err;
      const wait = Math.min(after, o.retryAfterMaxMs);
      o.log.warn(
        `GitHub answered ${statusOf(err)} with retry-after ${after / 1000} s to ${what}: trying again in ${wait / 1000} s (${attempt + 1}/${o.retries})`,
      );
      await sleep(wait, o.signal);
    }
  }
}

async function once<T>(what: string, send: (signal: AbortSignal) => Promise<T>, o: LimitOptions): Promise<T> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new RequestTimeoutError(what, o.timeoutMs)), o.timeoutMs);
  const onAbort = () => ctl.abort(o.signal?.reason);
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const call = send(ctl.signal);
    // Octokit retries an aborted fetch after 1, 4 and 9 s; the caller does not wait for that.
    call.catch(() => undefined);
    return await Promise.race([call, aborted(ctl.signal)]);
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/** The wait a 403/429 asks for in `retry-after` (seconds or an HTTP date), in ms; undefined for any other failure. */
export function retryAfterMs(err: unknown, now = Date.now()): number | undefined {
  const status = statusOf(err);
  if (status !== 403 && status !== 429) return undefined;
  const headers = (err as { response?: { headers?: Record<string, unknown> } }).response?.headers;
  const raw = headers?.['retry-after'];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(String(raw));
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A client whose every call goes through callWithLimits; hooks see each call (a tracked run records the
 * check run it creates and refuses calls once stopped).
 */
export function limitClient(gh: GitHub, o: LimitOptions, hooks: LimitHooks = {}): GitHub {
  const call = async <T>(info: CallInfo, send: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const signal = hooks.before?.(info) ?? o.signal;
    try {
      const out = await callWithLimits(describe(info), send, { ...o, ...(signal ? { signal } : {}) });
      hooks.after?.(info, (out as { data?: unknown }).data ?? out);
      return out;
    } catch (err) {
      throw hooks.failed ? hooks.failed(info, err) : err;
    }
  };
  const request = (route: string | Record<string, unknown>, params: Record<string, unknown> = {}) => {
    if (typeof route !== 'string') {
      const info = { method: String(route.method ?? 'GET'), route: String(route.url ?? ''), params: route };
      return call(info, (signal) => gh.request(withSignal(route, signal) as never));
    }
    const info = { method: route.split(' ')[0] ?? 'GET', route, params };
    return call(info, (signal) => gh.request(route as never, withSignal(params, signal) as never));
  };
  const graphql = (query: string | Record<string, unknown>, params: Record<string, unknown> = {}) => {
    const text = typeof query === 'string' ? query : String(query.query ?? '');
    const info = { method: 'POST', route: 'graphql', params: { ...params, query: text } };
    if (typeof query !== 'string') return call(info, (signal) => gh.graphql(withSignal(query, signal) as never));
    return call(info, (signal) => gh.graphql(query, withSignal(params, signal) as never));
  };
  Object.assign(request, { defaults: gh.request.defaults, endpoint: gh.request.endpoint });
  Object.assign(graphql, { paginate: (gh.graphql as unknown as { paginate?: unknown }).paginate });
  return { request: request as unknown as GitHub['request'], graphql: graphql as unknown as GitHub['graphql'] };
}

function withSignal(params: Record<string, unknown>, signal: AbortSignal): Record<string, unknown> {
  const request = (params.request ?? {}) as Record<string, unknown>;
  return { ...params, request: { ...request, signal } };
}

/** `PATCH /repos/acme/gitops/check-runs/{check_run_id}`-style words for logs, without tokens. */
function describe(info: CallInfo): string {
  if (info.route === 'graphql') return `a GraphQL ${/(query|mutation)\s+(\w+)/.exec(String(info.params.query))?.[2] ?? 'query'}`;
  return redact(info.route.replace(/\{(\w+)\}/g, (m, k: string) => (info.params[k] === undefined ? m : String(info.params[k]))));
}
