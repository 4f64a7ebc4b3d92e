/**
 * The check runs of queued work: created `queued` by the web role, taken over by the worker that runs the
 * review, completed by whoever learns the run will not happen (a newer push, a crashed or timed-out job).
 */
import type { OnError } from '../engine/config.js';
import { CHECK_NAME, type CheckOutput, completeCheckRun } from '../github/check-run.js';
import { type GitHub, type Log, statusOf } from '../github/client.js';
import type { ReviewSpec } from './job.js';

const CREATE = 'POST /repos/{owner}/{repo}/check-runs';
const UPDATE = 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}';

/** The `minpriv` check run, `queued`, on the head the delivery named: the pull request shows minpriv at once. */
export async function createQueuedCheckRun(gh: GitHub, spec: ReviewSpec): Promise<number> {
  const { data } = await gh.request(CREATE, {
    owner: spec.owner,
    repo: spec.repo,
    name: CHECK_NAME,
    head_sha: spec.pull.headSha,
    status: 'queued',
    external_id: String(spec.pull.number),
  });
  return Number(data.id);
}

/**
 * A client on which the run's "create the check run" takes over the queued one instead (set in progress, its
 * start time now): the review code stays the same in both modes. Any other call goes through unchanged.
 */
export function adoptCheckRun(gh: GitHub, spec: ReviewSpec, log: Log): GitHub {
  let pending = spec.checkRunId;
  const request = async (route: string | Record<string, unknown>, params: Record<string, unknown> = {}) => {
    const id = pending;
    if (route !== CREATE || id === undefined || params.head_sha !== spec.pull.headSha) return gh.request(route as never, params as never);
    pending = undefined;
    try {
      const answer = await gh.request(UPDATE, {
        owner: spec.owner,
        repo: spec.repo,
        check_run_id: id,
        status: 'in_progress',
        started_at: new Date().toISOString(),
        ...(params.request ? { request: params.request } : {}),
      } as never);
      return { ...answer, data: { ...(answer.data as object), id } };
    } catch (err) {
      const status = statusOf(err);
      if (status !== 404 && status !== 422) throw err;
      log.warn(`queued check run ${id} could not be taken over (HTTP ${status}): creating a new one`);
      return gh.request(route as never, params as never);
    }
  };
  Object.assign(request, { defaults: gh.request.defaults, endpoint: gh.request.endpoint });
  return { request: request as unknown as GitHub['request'], graphql: gh.graphql };
}

/** Complete a spec's check run (if it has one) with `output`. */
export async function completeSpec(gh: GitHub, spec: ReviewSpec, output: CheckOutput, log: Log): Promise<boolean> {
  if (spec.checkRunId === undefined) return false;
  await completeCheckRun(gh, { owner: spec.owner, repo: spec.repo }, spec.checkRunId, output, [], log);
  return true;
}

/** A newer push replaced this request before any worker ran it. */
export function supersededOutput(by: ReviewSpec | undefined): CheckOutput {
  const sha = by ? ` (${by.pull.headSha.slice(0, 7)})` : '';
  return {
    conclusion: 'neutral',
    title: `Superseded by a newer push${sha}`,
    summary: `A newer commit${sha} was pushed to this pull request before minpriv reviewed this one: the review is on the newer commit.`,
    text: '',
  };
}

export type JobFailure = 'crashed' | 'timed-out' | 'failed';

/** A job that will not finish: its check run says what happened, with the repository's `onError` conclusion. */
export function failedJobOutput(why: JobFailure, onError: OnError, detail: string): CheckOutput {
  const conclusion = onError === 'fail' ? 'failure' : 'neutral';
  const what = {
    crashed: 'the minpriv worker running this review stopped (killed or out of memory) more often than allowed',
    'timed-out': 'the review took longer than the job time limit (MINPRIV_JOB_TIMEOUT_SECONDS)',
    failed: 'the review could not be started after every retry',
  }[why];
  const title = {
    crashed: 'minpriv did not finish: its worker stopped',
    'timed-out': 'minpriv stopped: the job took too long',
    failed: 'minpriv could not run',
  }[why];
  return {
    conclusion,
    title,
    summary: [
      `minpriv did not finish this review: ${what}.`,
      detail ? `Last error: ${detail}` : undefined,
      'Use "Re-run" on this check (or push a commit) to review the pull request again.',
      `The check is marked \`${conclusion}\` (\`onError: ${onError}\` in \`.github/minpriv.yml\`).`,
    ]
      .filter(Boolean)
      .join('\n\n'),
    text: '',
  };
}
