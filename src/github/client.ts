import type { Octokit as CoreOctokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { redact } from '../report/check-run.js';

/**
 * The slice of Octokit that src/github/ uses. Probot's `context.octokit` and the CLI's
 * @octokit/rest client both satisfy it, so one code path serves the app and `minpriv review --pr`.
 */
export type GitHub = Pick<CoreOctokit, 'request' | 'graphql'>;

/** Minimal logger: pino (Probot's `context.log`) and a console adapter both fit. */
export interface Log {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /** Optional: pino has it; a console adapter may leave it out. */
  debug?(msg: string): void;
}

export const silentLog: Log = { info() {}, warn() {}, error() {}, debug() {} };

export interface TokenClientOptions {
  baseUrl?: string;
  log?: Log;
  /** Tests: retry and throttling off. */
  plain?: boolean;
}

/**
 * A token-authenticated client for the CLI, with retry and throttling like Probot's: primary rate
 * limits wait for the reset (up to 3 times); a secondary limit is retried once after `retry-after`.
 */
export function createTokenClient(token: string, options: TokenClientOptions = {}): GitHub {
  const log = options.log ?? silentLog;
  const Client = Octokit.plugin(retry, throttling);
  return new Client({
    auth: token,
    userAgent: 'minpriv-cli',
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    retry: { enabled: !options.plain },
    // Octokit's own logger, not the console: it logs every failed request as an error, and those this code
    // expects (an absent config file, a token that may not create check runs, an API without GraphQL) are
    // handled where they are made; the others reach the user as the error they end in. Its warnings are kept.
    log: { debug: () => undefined, info: () => undefined, warn: (m: string) => log.warn(m), error: (m: string) => log.debug?.(m) },
    throttle: {
      enabled: !options.plain,
      onRateLimit: (after: number, o: { method: string; url: string }, _k: unknown, retryCount: number) => {
        log.warn(`rate limit hit on ${o.method} ${o.url}; ${retryCount < 3 ? `retrying in ${after}s` : 'giving up'}`);
        return retryCount < 3;
      },
      onSecondaryRateLimit: (after: number, o: { method: string; url: string }, _k: unknown, retryCount: number) => {
        log.warn(`secondary rate limit on ${o.method} ${o.url}; ${retryCount < 1 ? `retrying in ${after}s` : 'giving up'}`);
        return retryCount < 1;
      },
    },
  });
}

/** HTTP status of an Octokit error, if it has one. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'status' in err && typeof (err as { status: unknown }).status === 'number') {
    return (err as { status: number }).status;
  }
  return undefined;
}

/**
 * Whether GraphQL is worth asking during one run. An endpoint that answers 404, 405, 410 or 501 is not
 * there (a GitHub-compatible API without GraphQL), so the run's later reads go straight to REST; any
 * other failure is tried again on the next query.
 */
export interface GraphqlState {
  usable: boolean;
  /** The run's first GraphQL failure, in failureOf's words: REST stood in for it (the check summary says so). */
  failure?: string;
}

export function noteGraphqlFailure(state: GraphqlState, err: unknown): void {
  state.failure ??= failureOf(err);
  // An answer with errors is no proof that GraphQL is absent, whatever status a plugin gave it.
  const status = graphqlErrors(err) ? undefined : statusOf(err);
  if (status === 404 || status === 405 || status === 410 || status === 501) state.usable = false;
}

/** The one-line check-summary note of a run that read through REST because GraphQL failed, if it did. */
export function graphqlNote(state: GraphqlState): string | undefined {
  if (state.failure === undefined) return undefined;
  if (!state.usable) {
    return `GraphQL is not available on this API (it answered ${state.failure}): this run read through REST instead, and earlier review threads cannot be resolved.`;
  }
  return `GraphQL failed (${state.failure}): what it did not give was read through REST instead.`;
}

/** The `data` of a GraphQL answer that came with `errors` (Octokit throws a GraphqlResponseError carrying it), if any. */
export function partialData(err: unknown): unknown {
  if (typeof err !== 'object' || err === null || (err as { name?: unknown }).name !== 'GraphqlResponseError') return undefined;
  return (err as { data?: unknown }).data ?? undefined;
}

/**
 * The `errors` of a GraphQL answer: Octokit's GraphqlResponseError carries them; so does the RequestError that
 * @octokit/plugin-retry makes, with status 500, of an HTTP 200 whose first error is "Something went wrong while
 * executing your query" (to retry it). Undefined for any other failure.
 */
function graphqlErrors(err: unknown): { message?: unknown }[] | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const own = (err as { errors?: unknown }).errors;
  if (Array.isArray(own) && (err as { name?: unknown }).name === 'GraphqlResponseError') return own;
  const response = (err as { response?: { status?: unknown; data?: { errors?: unknown } } }).response;
  const status = response?.status;
  const errors = response?.data?.errors;
  if (typeof status === 'number' && status >= 200 && status < 300 && Array.isArray(errors) && errors.length > 0) return errors;
  return Array.isArray(own) && statusOf(err) === undefined ? own : undefined;
}

/** Short, token-free words for a failed call: `HTTP 404`, or `error "<first GraphQL error>"` for an answer with errors (HTTP 200). */
export function failureOf(err: unknown): string {
  const errors = graphqlErrors(err);
  const first = errors?.[0]?.message;
  if (typeof first === 'string') return redact(`error "${first}"`).slice(0, 200);
  const status = statusOf(err);
  if (status !== undefined) return `HTTP ${status}`;
  return redact(err instanceof Error ? err.message : String(err)).slice(0, 200);
}
