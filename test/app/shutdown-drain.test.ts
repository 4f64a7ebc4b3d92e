import { describe, expect, it } from 'vitest';
import { prPayload } from '../github/harness.js';
import { type Output, setup, startRun } from './stalled-run.js';

describe('SIGINT with a run in flight (a real app process)', () => {
  it('lets a run that finishes within the grace complete normally, and takes no new delivery', async ({ onTestFinished }) => {
    const { fake, app } = await setup({ MINPRIV_SHUTDOWN_GRACE_SECONDS: '8' }, onTestFinished);
    await startRun(fake, app);
    const sent = Date.now();
    app.proc.kill('SIGINT');
    await app.waitForLog((l) => String(l.msg).startsWith('SIGINT: no new work; 1 runs in flight'));
    // The listener is closed: a new delivery cannot start a run.
    expect([0, 503]).toContain(await app.deliver('pull_request', prPayload('synchronize', 11, 'f00d'), 'late'));
    fake.release();
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    const run = fake.checkRuns.get(101);
    expect(run?.conclusion).toBe('failure');
    expect((run?.output as Output | undefined)?.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    expect(fake.lines().filter((l) => l === 'POST /repos/acme/gitops/check-runs')).toHaveLength(1);
    expect(fake.lines()).toContain('POST /repos/acme/gitops/pulls/11/reviews');
    console.info(`drain: SIGINT → run finished → exit in ${exit.at - sent} ms`);
  });
});
