import type { Context } from 'probot';
import type { Planner } from '../pool/plan-pool.js';
import { InProcessQueue } from '../queue/in-process.js';
import { redact } from '../report/check-run.js';
import { CHECK_NAME } from './check-run.js';
import type { GitHub, Log } from './client.js';
import { type InFlightRegistry, isRunStopped, type RunMeta } from './in-flight.js';
import type { PrTarget } from './pull-request.js';
import { recordingConfig } from './repo-config.js';
import { type RunReport, reviewPullRequest } from './run.js';
import { type PullState, RunConfig, readPullState } from './run-setup.js';

export const PR_EVENTS = ['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'] as const;
export const RERUN_EVENTS = ['check_run.rerequested', 'check_suite.rerequested'] as const;
const CONFIG_FILE = 'minpriv.yml';

/** A delivery that arrives while the app shuts down: 503, so the delivery shows as failed and can be redelivered. */
function shuttingDown(): Error {
  return Object.assign(new Error('minpriv is shutting down: redeliver this event once it is back'), { status: 503 });
}

/** A pull request to review, as the web role hands it to a queue. */
export interface ReviewRequest {
  deliveryId: string;
  event: string;
  installationId?: number;
  owner: string;
  repo: string;
  pull: PullState;
}

/** The web side of a real queue: record the request and answer; a worker runs it (see src/queue/). */
export interface ReviewDispatch {
  submit(request: ReviewRequest, gh: GitHub, log: Log): Promise<void>;
}

/** What the app decided for one request: an audit log line and metrics, never a token or file content. */
export interface Decision {
  deliveryId: string;
  event: string;
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  installationId?: number;
  outcome: 'reviewed' | 'draft-skipped' | 'stopped' | 'error' | 'superseded' | 'failed' | 'queued' | 'duplicate-delivery';
  conclusion?: string;
  checkRunId?: number;
  findings?: { ruleId: string; severity: string }[];
  annotations?: number;
  comments?: number;
  reviewPosted?: boolean;
  resolved?: number;
  durationMs: number;
  error?: string;
}

export interface HandlerOptions {
  /** Where pull requests go: absent, they are reviewed here and now, one run per PR at a time (the in-process queue). */
  dispatch?: ReviewDispatch;
  local?: InProcessQueue;
  observe?: (decision: Decision) => void;
  /** Where plans are computed (the server's worker-thread pool); absent, on this thread. */
  planner?: Planner;
  /**
   * Answer the delivery as soon as the review is queued in this process, not when it is done (the server: GitHub
   * gives a delivery 10 s). Off, the handler returns with the review (`probot.receive` in tests, `probot run`).
   */
  detach?: boolean;
  /** The public URL of the minpriv serving the rule docs (MINPRIV_PUBLIC_URL); absent: links go to the repository. */
  docsUrl?: string;
}

/** How the worker runs a review: the client is wrapped (to take over the queued check run). */
export interface ReviewOptions {
  wrap?: (gh: GitHub) => GitHub;
}

export interface PullRequestHandlers {
  onPullRequest(context: Context<(typeof PR_EVENTS)[number]>): Promise<void>;
  onRerequest(context: Context<(typeof RERUN_EVENTS)[number]>): Promise<void>;
  /** Review one pull request now (the worker's entry; the in-process path uses it too). */
  review(context: Context, target: PrTarget, pull: PullState, options?: ReviewOptions): Promise<RunReport | undefined>;
}

/** The event handlers, with every run recorded in `registry` (completed on shutdown, time limit or by the sweep). */
export function createHandlers(registry: InFlightRegistry, options: HandlerOptions = {}): PullRequestHandlers {
  const local = options.local ?? new InProcessQueue();
  const observe = options.observe ?? (() => undefined);

  async function review(context: Context, target: PrTarget, pull: PullState, o: ReviewOptions = {}): Promise<RunReport | undefined> {
    const log: Log = context.log;
    const started = Date.now();
    const installationId = (context.payload as { installation?: { id?: number } }).installation?.id;
    const meta = { owner: target.owner, repo: target.repo, pullNumber: pull.number, headSha: pull.headSha };
    // The worker's jobs go back to the queue (another worker takes them); the in-process path refuses before this.
    if (registry.draining) throw shuttingDown();
    const tracked = registry.start(o.wrap ? o.wrap(context.octokit) : context.octokit, installationId === undefined ? meta : { ...meta, installationId }, log);
    const action = (context.payload as { action?: string }).action;
    const base = { deliveryId: context.id, event: action ? `${context.name}.${action}` : context.name, ...meta, pullNumber: pull.number };
    const decide = (d: Omit<Decision, keyof typeof base | 'durationMs'>) =>
      observe({ ...base, ...(installationId === undefined ? {} : { installationId }), ...d, durationMs: Date.now() - started });
    try {
      // Probot's read, recording which file (the repository's, `_extends`, the owner's `.github`) holds each key.
      const source = recordingConfig(context, CONFIG_FILE);
      const config = new RunConfig(source.load, tracked, pull.draft);
      if (pull.draft && (await config.draftMode()) === 'skip') {
        log.info(`#${pull.number} is a draft and drafts: skip: nothing to do until it is ready for review`);
        decide({ outcome: 'draft-skipped' });
        return undefined;
      }
      const { draft: _, ...info } = pull;
      const report = await reviewPullRequest(tracked.client, target, {
        loadConfig: config.loader,
        configFileOf: source.fileOf,
        mode: 'app',
        log,
        pull: info,
        signal: tracked.signal,
        ...(options.planner ? { planner: options.planner } : {}),
        ...(options.docsUrl ? { docsUrl: options.docsUrl } : {}),
      });
      decide(decisionOf(report));
      return report;
    } catch (err) {
      if (!isRunStopped(err)) {
        decide({ outcome: 'error', error: redact(err instanceof Error ? err.message : String(err)).slice(0, 300) });
        throw err;
      }
      log.warn(`run on #${pull.number} stopped (${err.reason}); its check run is completed by minpriv`);
      decide({ outcome: 'stopped', error: err.reason });
      return undefined;
    } finally {
      registry.settle(tracked);
    }
  }

  function run(context: Context, target: PrTarget, pull: PullState): Promise<unknown> {
    const installationId = (context.payload as { installation?: { id?: number } }).installation?.id;
    const meta = {
      owner: target.owner,
      repo: target.repo,
      pullNumber: pull.number,
      headSha: pull.headSha,
      ...(installationId === undefined ? {} : { installationId }),
    };
    // Shutting down: this delivery's run will not start here, and no other process will run it.
    const refused = () => refuse(context, meta).then(() => Promise.reject(shuttingDown()));
    if (registry.draining) return refused();
    if (options.dispatch) {
      const action = (context.payload as { action?: string }).action;
      const event = action ? `${context.name}.${action}` : context.name;
      const request: ReviewRequest = { deliveryId: context.id, event, owner: target.owner, repo: target.repo, pull };
      if (installationId !== undefined) request.installationId = installationId;
      return options.dispatch.submit(request, context.octokit, context.log);
    }
    // Counted from now: a shutdown waits for it even while it waits behind another run of its pull request.
    const release = registry.enqueue();
    const work = local
      .run(`${target.owner}/${target.repo}#${target.pull_number}`, () => (registry.draining ? refused() : review(context, target, pull)))
      .finally(release);
    if (!options.detach) return work;
    // The run is tracked (drain, time limit, sweep) and its decision logged; only an unexpected throw is left.
    work.catch((err: unknown) =>
      context.log.error(`review of ${target.owner}/${target.repo}#${target.pull_number} failed: ${redact(err instanceof Error ? err.message : String(err))}`),
    );
    return Promise.resolve();
  }

  /**
   * The app is shutting down and this run will not start: its check run is created completed, saying so (the
   * delivery may already be answered, and a required check must not wait for a run that never comes).
   */
  async function refuse(context: Context, meta: RunMeta): Promise<void> {
    const tracked = registry.start(context.octokit, meta, context.log);
    try {
      await tracked.refuse('shutdown');
    } catch (err) {
      context.log.warn(
        `could not complete the check run of ${meta.owner}/${meta.repo}#${meta.pullNumber} before shutting down: ${redact(err instanceof Error ? err.message : String(err))}`,
      );
    } finally {
      registry.settle(tracked);
    }
  }

  return {
    review,

    async onPullRequest(context) {
      const pr = context.payload.pull_request;
      const { owner, repo } = context.repo();
      const pull = { number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha, changedFiles: pr.changed_files, draft: pr.draft === true };
      await run(context as unknown as Context, { owner, repo, pull_number: pr.number }, pull);
    },

    /** Re-run on the PR's current head: the PR comes from the payload's pull_requests, or the run's external_id (fork PRs have none). */
    async onRerequest(context) {
      if (registry.draining) throw shuttingDown();
      const { owner, repo } = context.repo();
      const gh: GitHub = context.octokit;
      const number = await prNumberOf(gh, owner, repo, context.payload);
      if (number === undefined) {
        context.log.info('re-run requested, but no pull request is attached to it: nothing to do');
        return;
      }
      const target = { owner, repo, pull_number: number };
      await run(context as unknown as Context, target, await readPullState(gh, target));
    },
  };
}

function decisionOf(report: RunReport): Omit<Decision, 'deliveryId' | 'event' | 'owner' | 'repo' | 'pullNumber' | 'headSha' | 'durationMs'> {
  const findings = (report.plan?.findings ?? []).map((f) => ({ ruleId: f.ruleId, severity: f.severity }));
  return {
    outcome: 'reviewed',
    conclusion: report.conclusion,
    ...(report.checkRunId === undefined ? {} : { checkRunId: report.checkRunId }),
    findings,
    annotations: report.annotations.length,
    comments: report.reviewPosted ? report.comments.length : 0,
    reviewPosted: report.reviewPosted,
    resolved: report.resolved.length,
  };
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
