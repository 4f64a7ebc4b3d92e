import type { OnError } from '../engine/config.js';
import { redact } from '../report/check-run.js';
import { CHECK_NAME, completeCheckRun } from './check-run.js';
import type { GitHub, Log } from './client.js';
import { type CallInfo, limitClient } from './limits.js';
import type { OperationSettings } from './operations.js';
import { attachRunContext, type RunContext } from './run-context.js';
import { RunStoppedError, type StopReason, stoppedOutput } from './stopped.js';

export { isRunStopped, RunStoppedError, type StopReason, stoppedOutput } from './stopped.js';

export interface RunMeta {
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  installationId?: number;
}

/** What the app records of every run it starts (in memory): enough to complete its check run later. */
export interface RunRecord extends RunMeta {
  checkRunId?: number;
  startedAt: number;
  completed: boolean;
  onError: OnError;
  /** The last GitHub step the run took, in words. */
  stage: string;
}

const CREATE_CHECK = 'POST /repos/{owner}/{repo}/check-runs';
const UPDATE_CHECK = 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}';

/** One run: its record, and the client it must use (timeouts, `retry-after`, stopped on shutdown or time limit). */
export class TrackedRun {
  readonly record: RunRecord;
  readonly client: GitHub;
  readonly context: RunContext = {};
  settled = false;
  private stopped?: RunStoppedError;
  /** The app completed the check itself: the run's own later writes are refused. */
  private takenOver = false;
  private readonly controller = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    readonly raw: GitHub,
    meta: RunMeta,
    readonly settings: OperationSettings,
    readonly log: Log,
  ) {
    this.record = { ...meta, startedAt: Date.now(), completed: false, onError: 'fail', stage: 'starting' };
    const limits = { timeoutMs: settings.requestTimeoutMs, retryAfterMaxMs: settings.retryAfterMaxMs, retries: settings.rateLimitRetries, log };
    this.client = limitClient(raw, { ...limits, signal: this.controller.signal }, { before: (c) => this.before(c), after: (c, d) => this.after(c, d) });
    attachRunContext(this.client, this.context);
    if (settings.runTimeoutMs > 0) this.timer(settings.runTimeoutMs, () => this.timeLimit());
  }

  /** Why the run was stopped, if it was. */
  get stopReason(): StopReason | undefined {
    return this.stopped?.reason;
  }

  /** Fires when the run is stopped. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Stop the run: calls in flight are abandoned, later ones refused (but its own check-run updates after a time limit). */
  stop(reason: StopReason): void {
    if (this.stopped) return;
    this.stopped = new RunStoppedError(reason, this.settings.runTimeoutMs);
    this.controller.abort(this.stopped);
  }

  /** Complete the run's check run in its place, saying why; later writes of the run are refused. */
  async completeFor(reason: StopReason, signal?: AbortSignal): Promise<void> {
    const id = this.record.checkRunId;
    this.stop(reason);
    this.takenOver = true;
    if (id === undefined || this.record.completed) return;
    const s = this.settings;
    const client = limitClient(this.raw, {
      timeoutMs: s.requestTimeoutMs,
      retryAfterMaxMs: s.retryAfterMaxMs,
      retries: s.rateLimitRetries,
      log: this.log,
      ...(signal ? { signal } : {}),
    });
    const output = stoppedOutput(reason, this.record.onError, { stage: this.record.stage, runTimeoutMs: s.runTimeoutMs });
    await completeCheckRun(client, { owner: this.record.owner, repo: this.record.repo }, id, output, [], this.log);
    this.record.completed = true;
    this.log.info(`check run ${id} on ${this.record.owner}/${this.record.repo}#${this.record.pullNumber} completed by minpriv itself (${reason})`);
  }

  /**
   * A run that will not start (the app began shutting down while its delivery waited): its check run is
   * created completed, saying so, so that a required check does not wait for a run that never comes.
   */
  async refuse(reason: StopReason): Promise<void> {
    const { owner, repo, headSha, pullNumber } = this.record;
    const output = stoppedOutput(reason, this.record.onError, { stage: 'waiting to start' });
    await this.client.request(CREATE_CHECK, {
      owner,
      repo,
      name: CHECK_NAME,
      head_sha: headSha,
      external_id: String(pullNumber),
      status: 'completed',
      conclusion: output.conclusion,
      output: { title: output.title, summary: output.summary },
    });
    this.record.completed = true;
    this.log.info(`check run on ${owner}/${repo}#${pullNumber} completed at once: ${reason} before the run started`);
  }

  /** Say what the run is doing when no GitHub call shows it (reading the config). */
  note(stage: string): void {
    this.record.stage = stage;
  }

  clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
  }

  private timer(ms: number, fn: () => void): void {
    const t = setTimeout(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  private timeLimit(): void {
    if (this.settled || this.record.completed) return;
    this.log.warn(`run on ${this.record.owner}/${this.record.repo}#${this.record.pullNumber} reached its time limit while ${this.record.stage}`);
    this.stop('time-limit');
    // The run's own error path completes the check; if it does not in time, the app does.
    this.timer(this.settings.requestTimeoutMs, () => {
      if (!this.record.completed) {
        this.completeFor('time-limit').catch((err) => this.log.error(`could not complete check run ${this.record.checkRunId}: ${messageOf(err)}`));
      }
    });
  }

  private before(call: CallInfo): AbortSignal | undefined {
    const own = call.route === UPDATE_CHECK && Number(call.params.check_run_id) === this.record.checkRunId;
    if (this.takenOver) throw this.stopped ?? new RunStoppedError('shutdown');
    if (this.stopped) {
      // Over the time limit the run may still complete its own check run, with what it knows.
      if (this.stopped.reason === 'time-limit' && own) return new AbortController().signal;
      throw this.stopped;
    }
    this.record.stage = stageOf(call);
    return undefined;
  }

  private after(call: CallInfo, data: unknown): void {
    if (call.route === CREATE_CHECK) {
      const id = Number((data as { id?: unknown }).id);
      if (Number.isFinite(id)) this.record.checkRunId = id;
    } else if (call.route === UPDATE_CHECK && Number(call.params.check_run_id) === this.record.checkRunId) {
      if (call.params.status === 'completed' || call.params.conclusion !== undefined) this.record.completed = true;
    }
  }
}

/** The runs of this process: in flight, or finished with their check run not completed. */
export class InFlightRegistry {
  /** Set on shutdown: no new run starts. */
  draining = false;
  private readonly runs = new Set<TrackedRun>();
  /** Deliveries answered and waiting in this process's queue: their runs have not started yet. */
  private waiting = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(readonly settings: OperationSettings) {}

  start(raw: GitHub, meta: RunMeta, log: Log): TrackedRun {
    const run = new TrackedRun(raw, meta, this.settings, log);
    this.runs.add(run);
    return run;
  }

  /** The run's code returned or threw; a run whose check is still open stays, for the sweep. */
  settle(run: TrackedRun): void {
    run.settled = true;
    run.clearTimers();
    if (run.record.completed || run.record.checkRunId === undefined) this.runs.delete(run);
    else if (run.stopReason === 'time-limit') {
      // Stopped over its time limit and ended without completing its check: the app does it now.
      run.completeFor('time-limit').then(
        () => this.runs.delete(run),
        (err) => run.log.error(`could not complete check run ${run.record.checkRunId}: ${messageOf(err)}`),
      );
    }
    this.wakeIfIdle();
  }

  /**
   * A delivery answered now whose run starts later (behind another run of its pull request): the drain waits
   * for it as for a run in flight. Call the returned function once its run has settled (or will not run).
   */
  enqueue(): () => void {
    this.waiting++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.waiting--;
      this.wakeIfIdle();
    };
  }

  private idle(): boolean {
    return this.waiting === 0 && this.active().length === 0;
  }

  private wakeIfIdle(): void {
    if (this.idle()) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  active(): TrackedRun[] {
    return [...this.runs].filter((r) => !r.settled);
  }

  /** Runs with a check run not (yet) completed. */
  unfinished(): TrackedRun[] {
    return [...this.runs].filter((r) => r.record.checkRunId !== undefined && !r.record.completed);
  }

  /** Whether this process is still working on (or owes the completion of) a check run. */
  holds(checkRunId: number): boolean {
    return [...this.runs].some((r) => r.record.checkRunId === checkRunId && !r.record.completed);
  }

  /** Resolves true once no run is in flight or waiting to start, false when `ms` passed first. */
  whenIdle(ms: number): Promise<boolean> {
    if (this.idle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Stop every run and complete the open check runs as `reason`, within `budgetMs`. */
  async completeAll(reason: StopReason, budgetMs: number, log: Log): Promise<{ completed: number; failed: number }> {
    const budget = AbortSignal.timeout(Math.max(1, budgetMs));
    for (const run of this.active()) run.stop(reason);
    const open = this.unfinished();
    const results = await Promise.allSettled(open.map((run) => run.completeFor(reason, budget)));
    let failed = 0;
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') this.runs.delete(open[i] as TrackedRun);
      else {
        failed++;
        log.error(`could not complete check run ${open[i]?.record.checkRunId}: ${messageOf(r.reason)}`);
      }
    });
    return { completed: open.length - failed, failed };
  }

  /** Complete the check runs of finished runs that could not complete them, once older than `olderThanMs`. */
  async completeOrphans(olderThanMs: number, log: Log, now = Date.now()): Promise<number> {
    let done = 0;
    for (const run of this.unfinished().filter((r) => r.settled && now - r.record.startedAt >= olderThanMs)) {
      try {
        await run.completeFor('orphan');
        this.runs.delete(run);
        done++;
      } catch (err) {
        log.warn(`could not complete orphaned check run ${run.record.checkRunId}: ${messageOf(err)}`);
      }
    }
    return done;
  }
}

function stageOf(call: CallInfo): string {
  const r = call.route;
  if (r === CREATE_CHECK) return 'creating the check run';
  if (r === UPDATE_CHECK) return 'completing the check run';
  if (r.endsWith('/files')) return 'listing the changed files';
  if (r.endsWith('/reviews')) return 'posting the review';
  if (r === 'GET /repos/{owner}/{repo}/pulls/{pull_number}') return 'checking the pull request head';
  if (r.endsWith('/comments')) return 'reading earlier review threads';
  if (r === 'graphql') {
    const q = String(call.params.query);
    if (q.includes('minprivThreads')) return 'reading earlier review threads';
    if (q.includes('minprivResolve')) return 'resolving review threads';
  }
  return 'reading the changed files';
}

function messageOf(err: unknown): string {
  return redact(err instanceof Error ? err.message : String(err));
}
