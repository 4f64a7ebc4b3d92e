/** A run stuck on GitHub, in a real app process: the ground for the shutdown tests. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { addedPatch, FakeGitHub, type FakeState } from '../github/fake-github.js';
import { OWNER, prPayload, REPO } from '../github/harness.js';
import { type AppProcess, serveFake, startApp } from './app-process.js';

const web = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');
const FILES = `GET /repos/${OWNER}/${REPO}/pulls/11/files`;

export type Output = { title: string; summary: string };

/** A fake GitHub whose file list of PR 11 stalls, and an app process in front of it (both stopped when the test ends). */
export async function setup(env: Record<string, string>, onTestFinished: (fn: () => Promise<void>) => void, state: Partial<FakeState> = {}) {
  const fake = new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 11,
    headSha: 'f00d',
    files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }],
    stall: [FILES],
    ...state,
  });
  const served = await serveFake(fake);
  const app = await startApp(served.host, { MINPRIV_SWEEP_INTERVAL_SECONDS: '0', ...env });
  onTestFinished(async () => {
    app.kill();
    await served.close();
  });
  return { fake, app };
}

/** Deliver `opened` and wait until the run is stuck on the file list. */
export async function startRun(fake: FakeGitHub, app: AppProcess): Promise<void> {
  void app.deliver('pull_request', prPayload('opened', 11, 'f00d'));
  const until = Date.now() + 15_000;
  while (!fake.checkRuns.has(101) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  expect(fake.checkRuns.get(101)?.status).toBe('in_progress');
  await new Promise((r) => setTimeout(r, 200));
}
