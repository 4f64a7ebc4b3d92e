import { describe, expect, it } from 'vitest';
import { FAKE_APP_ID, FakeGitHub } from '../github/fake-github.js';
import { OWNER, REPO } from '../github/harness.js';
import { serveFake, startApp } from './app-process.js';

const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();

describe('a check run left in progress by an earlier process', () => {
  it('is completed by the next process’s start-up sweep; recent runs and other apps’ runs are left alone', async ({ onTestFinished }) => {
    const fake = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 11,
      headSha: 'f00d',
      files: [],
      config: 'onError: neutral\n',
      checkRuns: [
        { id: 55, name: 'minpriv', head_sha: 'f00d', status: 'in_progress', started_at: hourAgo(), app: { id: FAKE_APP_ID } },
        { id: 56, name: 'minpriv', head_sha: 'f00d', status: 'in_progress', started_at: new Date().toISOString(), app: { id: FAKE_APP_ID } },
        { id: 57, name: 'minpriv', head_sha: 'f00d', status: 'in_progress', started_at: hourAgo(), app: { id: 99 } },
      ],
    });
    const served = await serveFake(fake);
    const app = await startApp(served.host, { MINPRIV_ORPHAN_AFTER_SECONDS: '600', MINPRIV_SWEEP_INTERVAL_SECONDS: '0' });
    onTestFinished(async () => {
      app.kill();
      await served.close();
    });
    await app.waitForLog((l) => /^sweep: \d+ reads/.test(String(l.msg)));

    expect(fake.checkRuns.get(55)).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect((fake.checkRuns.get(55)?.output as { summary: string } | undefined)?.summary).toContain(
      'minpriv did not finish this run (the app restarted, or could not reach GitHub to complete it); re-run this check.',
    );
    expect(fake.checkRuns.get(56)?.status).toBe('in_progress');
    expect(fake.checkRuns.get(57)?.status).toBe('in_progress');
    expect(fake.lines()).toEqual([
      'GET /app',
      'GET /app/installations?per_page=100&page=1',
      'POST /app/installations/2/access_tokens',
      'GET /installation/repositories?per_page=100&page=1',
      'GET /repos/acme/gitops/pulls?state=open&per_page=100',
      'GET /repos/acme/gitops/commits/f00d/check-runs?check_name=minpriv&status=in_progress&filter=all&per_page=100&app_id=1',
      'GET /repos/acme/gitops/contents/.github%2Fminpriv.yml',
      'PATCH /repos/acme/gitops/check-runs/55',
    ]);
    expect(app.logs.map((l) => l.msg)).toContain('sweep: 5 reads, 2 minpriv runs in progress, 1 orphans completed');
  });
});
