import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/github/client.js';
import { callWithLimits, limitClient, RequestTimeoutError, retryAfterMs } from '../../src/github/limits.js';

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const limits = { timeoutMs: 1000, retryAfterMaxMs: 60_000, retries: 3, log: silentLog };
const API = 'https://api.github.com';

function limited(o: Partial<typeof limits> = {}) {
  nock.disableNetConnect();
  // Octokit's own retry and throttling are not in this client: the limits alone are under test.
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  return limitClient(new Octokit({ auth: 't', log: quiet }), { ...limits, ...o });
}

const patch = (gh: ReturnType<typeof limited>) =>
  gh.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    owner: 'acme',
    repo: 'gitops',
    check_run_id: 7,
    status: 'completed',
    conclusion: 'success',
  });
const secondary = { message: 'You have exceeded a secondary rate limit.' };

describe('retry-after on a 403/429', () => {
  it('is waited for, then the same write is sent again', async () => {
    const bodies: unknown[] = [];
    const times: number[] = [];
    nock(API)
      .patch('/repos/acme/gitops/check-runs/7', (b) => bodies.push(b) > 0)
      .times(2)
      .reply(() => {
        times.push(Date.now());
        return times.length === 1 ? [403, secondary, { 'retry-after': '1' }] : [200, { id: 7 }];
      });
    const { data } = await patch(limited());
    expect(data).toEqual({ id: 7 });
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(1000);
    expect(bodies[1]).toEqual(bodies[0]);
  });

  it('waits at most retryAfterMaxMs, and gives up after `retries` tries with GitHub’s error', async () => {
    const scope = nock(API).patch('/repos/acme/gitops/check-runs/7').times(3).reply(429, secondary, { 'retry-after': '3600' });
    const started = Date.now();
    await expect(patch(limited({ retryAfterMaxMs: 50, retries: 2 }))).rejects.toMatchObject({ status: 429 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(scope.isDone()).toBe(true);
  });

  it('is not retried without retry-after (a permission 403), nor for other statuses', async () => {
    nock(API).patch('/repos/acme/gitops/check-runs/7').reply(403, { message: 'Resource not accessible by integration' });
    await expect(patch(limited())).rejects.toMatchObject({ status: 403 });
    expect(nock.pendingMocks()).toEqual([]);
    expect(retryAfterMs({ status: 500, response: { headers: { 'retry-after': '1' } } })).toBeUndefined();
    expect(
      retryAfterMs({ status: 403, response: { headers: { 'retry-after': 'Wed, 21 Oct 2015 07:28:10 GMT' } } }, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(10_000);
  });
});

describe('per-request timeout', () => {
  it('abandons a stalled call after timeoutMs and does not retry it (a write may have landed)', async () => {
    const scope = nock(API).get('/repos/acme/gitops/pulls/7').delay(5000).reply(200, {});
    const started = Date.now();
    const err = await limited({ timeoutMs: 200 })
      .request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: 'acme', repo: 'gitops', pull_number: 7 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect((err as Error).message).toBe('GitHub did not answer GET /repos/acme/gitops/pulls/7 within 0.2 s');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(scope.isDone()).toBe(true);
  });

  it('covers GraphQL, and a stop signal cuts a call and a retry-after wait short', async () => {
    nock(API).post('/graphql').delay(5000).reply(200, { data: {} });
    const err = await limited({ timeoutMs: 100 })
      .graphql('query minprivThreads { viewer { login } }')
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('GitHub did not answer a GraphQL minprivThreads within 0.1 s');

    const stop = new AbortController();
    const reason = new Error('stopped');
    const waiting = callWithLimits(
      'a write',
      () => Promise.reject(Object.assign(new Error('limited'), { status: 403, response: { headers: { 'retry-after': '60' } } })),
      {
        ...limits,
        signal: stop.signal,
      },
    );
    setTimeout(() => stop.abort(reason), 50);
    await expect(waiting).rejects.toBe(reason);
  });
});
