/**
 * The check runs of queued work: created `queued` by the web role, taken over by the worker that runs the
 * review, completed by whoever learns the run will not happen (a newer push, a crashed or timed-out job).
 * What those check runs say is src/queue/check-outputs.ts.
 */
import type { ReviewSpec } from '../queue/job.js';
import { CHECK_NAME, type CheckOutput, completeCheckRun } from './check-run.js';
import { type GitHub, type Log, statusOf } from './client.js';

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
