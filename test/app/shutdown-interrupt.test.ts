import { describe, expect, it } from 'vitest';
import { type Output, setup, startRun } from './stalled-run.js';

describe('SIGTERM with a run in flight (a real app process)', () => {
  it('cuts the run short after the grace and completes its check run as interrupted, with onError’s conclusion', async ({ onTestFinished }) => {
    const { fake, app } = await setup({ MINPRIV_SHUTDOWN_GRACE_SECONDS: '1' }, onTestFinished, { config: 'onError: neutral\n' });
    await startRun(fake, app);
    const sent = Date.now();
    app.proc.kill('SIGTERM');
    const exit = await app.exited;
    const drain = exit.at - sent;
    expect(exit.code).toBe(0);
    const run = fake.checkRuns.get(101);
    expect(run?.status).toBe('completed');
    expect(run?.conclusion).toBe('neutral');
    const output = run?.output as Output;
    expect(output.title).toBe('minpriv was interrupted: re-run this check');
    expect(output.summary).toContain('minpriv was interrupted (the app was shut down); re-run this check.');
    expect(output.summary).toContain('Its last step was listing the changed files.');
    expect(output.summary).toContain('The check is marked `neutral` (`onError: neutral` in `.github/minpriv.yml`).');
    // The grace (1 s), then one PATCH: well within Kubernetes' terminationGracePeriodSeconds.
    expect(drain).toBeGreaterThanOrEqual(1000);
    expect(drain).toBeLessThan(4000);
    console.info(`drain: SIGTERM → exit in ${drain} ms (grace 1 s)`);
    expect(app.logs.some((l) => String(l.msg).includes('1 check runs completed as interrupted'))).toBe(true);
  });
});
