import type { Context } from 'probot';
import { CHECK_NAME } from './check-run.js';
import type { GitHub, Log } from './client.js';
import { getPull, type PrTarget, type PullInfo } from './pull-request.js';
import { type RunReport, reviewPullRequest } from './run.js';

export const PR_EVENTS = ['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'] as const;
export const RERUN_EVENTS = ['check_run.rerequested', 'check_suite.rerequested'] as const;
const CONFIG_FILE = 'minpriv.yml';

// Runs for the same PR in this process go one after another, so two deliveries (opened + a
// redelivery, or two quick pushes) never both read the threads before either posts.
const queues = new Map<string, Promise<unknown>>();
function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = queues.get(key) ?? Promise.resolve();
  const next = before.then(work, work);
  const tail = next.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return next;
}

function run(context: Context, target: PrTarget, pull: PullInfo | undefined): Promise<RunReport> {
  const gh: GitHub = context.octokit;
  const log: Log = context.log;
  return serialized(`${target.owner}/${target.repo}#${target.pull_number}`, () =>
    reviewPullRequest(gh, target, { loadConfig: () => context.config(CONFIG_FILE), mode: 'app', log, ...(pull ? { pull } : {}) }),
  );
}

export async function onPullRequest(context: Context<(typeof PR_EVENTS)[number]>): Promise<void> {
  const pr = context.payload.pull_request;
  const { owner, repo } = context.repo();
  await run(
    context as unknown as Context,
    { owner, repo, pull_number: pr.number },
    { number: pr.number, headSha: pr.head.sha, changedFiles: pr.changed_files },
  );
}

/** Re-run on the PR's current head: the PR comes from the payload's pull_requests, or the run's external_id (fork PRs have none). */
export async function onRerequest(context: Context<(typeof RERUN_EVENTS)[number]>): Promise<void> {
  const { owner, repo } = context.repo();
  const gh: GitHub = context.octokit;
  const number = await prNumberOf(gh, owner, repo, context.payload);
  if (number === undefined) {
    context.log.info('re-run requested, but no pull request is attached to it: nothing to do');
    return;
  }
  const target = { owner, repo, pull_number: number };
  await run(context as unknown as Context, target, await getPull(gh, target));
}

type RerunPayload = Context<(typeof RERUN_EVENTS)[number]>['payload'];

async function prNumberOf(gh: GitHub, owner: string, repo: string, payload: RerunPayload): Promise<number | undefined> {
  if ('check_run' in payload) {
    if (payload.check_run.name !== CHECK_NAME) return undefined;
    const fromPayload = payload.check_run.pull_requests[0]?.number;
    return fromPayload ?? numberOf(payload.check_run.external_id);
  }
  const fromSuite = payload.check_suite.pull_requests[0]?.number;
  if (fromSuite !== undefined) return fromSuite;
  const { data } = await gh.request('GET /repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs', {
    owner,
    repo,
    check_suite_id: payload.check_suite.id,
    check_name: CHECK_NAME,
  });
  return numberOf(data.check_runs[0]?.external_id ?? null);
}

function numberOf(s: string | null | undefined): number | undefined {
  return s && /^\d+$/.test(s) ? Number(s) : undefined;
}
