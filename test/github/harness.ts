import nock from 'nock';
import { Probot, ProbotOctokit } from 'probot';
import app from '../../src/app.js';

export const OWNER = 'acme';
export const REPO = 'gitops';

/** A Probot with the app loaded, token auth (no JWT dance), retry and throttle off unless a test asks. */
export async function makeProbot(retry?: { retries: number; retryAfterBaseValue: number }): Promise<Probot> {
  nock.disableNetConnect();
  const probot = new Probot({
    githubToken: 'test-token',
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      retry: retry ? { enabled: true, ...retry } : { enabled: false },
      throttle: { enabled: false },
    })),
    logLevel: 'fatal',
  });
  await probot.load(app);
  return probot;
}

export function prPayload(action: string, number: number, headSha: string, opts: { fork?: boolean; changedFiles?: number } = {}) {
  const baseRepo = { id: 1, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER } };
  const headRepo = opts.fork ? { id: 2, name: REPO, full_name: `contributor/${REPO}`, owner: { login: 'contributor' } } : baseRepo;
  return {
    action,
    number,
    pull_request: {
      number,
      draft: false,
      changed_files: opts.changedFiles ?? 1,
      head: { sha: headSha, ref: 'feature', repo: headRepo },
      base: { sha: 'base000', ref: 'main', repo: baseRepo },
    },
    repository: baseRepo,
    installation: { id: 2 },
    sender: { login: 'dev', type: 'User' },
  };
}
