import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/github/client.js';
import { DEFAULT_OPERATIONS } from '../../src/github/operations.js';
import { sweepOrphans } from '../../src/github/sweep.js';
import { FAKE_APP_ID, type FakeCheckRun, FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, REPO } from './harness.js';

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const NOW = Date.parse('2026-06-01T12:00:00Z');
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();
const run = (id: number, minutesAgo: number, extra: Partial<FakeCheckRun> = {}): FakeCheckRun => ({
  id,
  name: 'minpriv',
  head_sha: 'f00d',
  status: 'in_progress',
  started_at: at(minutesAgo),
  app: { id: FAKE_APP_ID },
  ...extra,
});

async function sweep(fake: FakeGitHub, settings: Partial<typeof DEFAULT_OPERATIONS> = {}, holds: (id: number) => boolean = () => false) {
  fake.install();
  const probot = await makeProbot();
  return sweepOrphans(
    { app: () => probot.auth(), installation: (id) => probot.auth(id), onError: async () => 'neutral' },
    { settings: { ...DEFAULT_OPERATIONS, orphanAfterMs: 10 * 60_000, ...settings }, log: silentLog, holds, now: () => NOW },
  );
}

describe('the orphan sweep', () => {
  it('completes this app’s minpriv runs in progress for longer than orphanAfter on open PR heads, and only those', async () => {
    const fake = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 11,
      headSha: 'f00d',
      files: [],
      checkRuns: [
        run(55, 60),
        run(56, 2),
        run(57, 60, { app: { id: 99 } }),
        run(58, 60, { status: 'completed' }),
        run(59, 60),
        run(60, 60, { head_sha: 'old' }),
      ],
    });
    const result = await sweep(fake, {}, (id) => id === 59);
    expect(result).toEqual({ reads: 5, found: 2, completed: [55], failed: 0, truncated: false });
    expect(fake.lines()).toEqual([
      'GET /app',
      'GET /app/installations?per_page=100&page=1',
      'GET /installation/repositories?per_page=100&page=1',
      'GET /repos/acme/gitops/pulls?state=open&per_page=100',
      'GET /repos/acme/gitops/commits/f00d/check-runs?check_name=minpriv&status=in_progress&filter=all&per_page=100&app_id=1',
      'PATCH /repos/acme/gitops/check-runs/55',
    ]);
    expect(fake.bodies('PATCH', '/repos/acme/gitops/check-runs/55')).toEqual([
      {
        status: 'completed',
        conclusion: 'neutral',
        output: {
          title: 'minpriv did not finish: re-run this check',
          summary: [
            'minpriv did not finish this run (the app restarted, or could not reach GitHub to complete it); re-run this check.',
            'Use "Re-run" on this check (or push a commit) to review the pull request again.',
            'The check is marked `neutral` (`onError: neutral` in `.github/minpriv.yml`).',
          ].join('\n\n'),
        },
      },
    ]);
  });

  it('stops at sweepMaxRequests reads and says so', async () => {
    const fake = new FakeGitHub({ owner: OWNER, repo: REPO, number: 11, headSha: 'f00d', files: [], checkRuns: [run(55, 60)] });
    const result = await sweep(fake, { sweepMaxRequests: 3 });
    expect(result).toMatchObject({ reads: 3, completed: [], truncated: true });
    expect(fake.checkRuns.get(55)?.status).toBe('in_progress');
  });
});
