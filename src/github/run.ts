import type { ChangedFile, SourceFile } from '../core/types.js';
import type { SkippedFile } from '../diff/change-set.js';
import { type ConfigIssue, fileMatcher, type MinprivConfig, type OnError, parseConfig } from '../engine/config.js';
import { kustomizationsAbove } from '../k8s/kustomize.js';
import type { Planner } from '../pool/plan-pool.js';
import type { PlanTask } from '../pool/plan-task.js';
import { type CheckAnnotation, type Conclusion, errorOutput, plural, redact } from '../report/check-run.js';
import type { ReviewComment } from '../report/suggestion.js';
import { type ConfigFileOf, configErrorSummary, configErrorTitle, type PublishOutcome } from '../report/summary.js';
import type { FindingProvider } from '../review/check.js';
import { checkOutput, planReview, type ReviewPlan } from '../review/plan.js';
import { providersFromConfig } from '../scanners/provider.js';
import { mayDefineRbac } from '../sources/repo-files.js';
import { completeCheckRun, createCheckRun } from './check-run.js';
import { type GitHub, type GraphqlState, graphqlNote, type Log, silentLog, statusOf } from './client.js';
import { fetchContents } from './contents.js';
import { getPull, listPullFiles, MAX_PR_FILES, type PrFile, type PrTarget, type PullInfo } from './pull-request.js';
import { CONFIG_PATH, headConfigCheck } from './repo-config.js';
import { readRepoRbacFiles } from './repo-rbac.js';
import { postReview, readPriorThreads, resolveThreads } from './review.js';
import { runContextOf } from './run-context.js';

export interface RunOptions {
  /** Read the raw config (Probot: `context.config`); may throw on unparsable YAML. */
  loadConfig: () => Promise<unknown>;
  /** The file that holds a config key, when Probot merged in another than the repository's (`_extends`, the owner's `.github`). */
  configFileOf?: ConfigFileOf;
  /** The PR as the webhook payload gave it; fetched when absent. */
  pull?: PullInfo;
  /**
   * `app`: create the check run and post the review. `token` (CLI with a personal token): the same, but only
   * GitHub Apps may write check runs, so a 403 on the check run goes on with the review alone. `dry-run`:
   * compute and return, post nothing.
   */
  mode: RunMode;
  /** Finding sources besides minpriv's rules (external scanners). */
  providers?: readonly FindingProvider[];
  /**
   * Where the plan is computed: a worker-thread pool (the server), or, absent, this thread. Extra `providers`
   * (functions, which do not cross threads) keep a run on this thread.
   */
  planner?: Planner;
  /** Aborted when the run is cut short (time limit, shutdown): the planning task is ended with it. */
  signal?: AbortSignal;
  log?: Log;
  /** The public URL of the minpriv serving the rule docs (MINPRIV_PUBLIC_URL, read by the caller); absent: the repository's files. */
  docsUrl?: string;
}

export type RunMode = 'app' | 'token' | 'dry-run';

/** What a run posted, or would post. */
export interface RunReport {
  headSha: string;
  conclusion: Conclusion;
  title: string;
  summary: string;
  /** The check run's details (`output.text`): the diffs of fixes not posted inline. */
  text: string;
  annotations: CheckAnnotation[];
  comments: ReviewComment[];
  reviewBody: string;
  /** The plan the run computed (absent when it stopped before: invalid config, errors). */
  plan?: ReviewPlan;
  checkRunId?: number;
  reviewPosted: boolean;
  resolved: string[];
  headMoved: boolean;
}

/**
 * The whole PR flow: check run in progress, config, files, contents, scan, review, resolved threads,
 * completed check run. Once the run exists it is completed whatever fails (try/finally).
 */
export async function reviewPullRequest(gh: GitHub, target: PrTarget, options: RunOptions): Promise<RunReport> {
  const log = options.log ?? silentLog;
  const repo = { owner: target.owner, repo: target.repo };
  const pull = options.pull ?? (await getPull(gh, target));
  const report: RunReport = {
    headSha: pull.headSha,
    conclusion: 'neutral',
    title: '',
    summary: '',
    text: '',
    annotations: [],
    comments: [],
    reviewBody: '',
    reviewPosted: false,
    resolved: [],
    headMoved: false,
  };
  if (options.mode !== 'dry-run') {
    try {
      report.checkRunId = await createCheckRun(gh, repo, pull.headSha, pull.number);
    } catch (err) {
      if (options.mode !== 'token' || statusOf(err) !== 403) throw err;
      log.warn('this token may not create check runs (only GitHub Apps can): posting the review only');
    }
  }
  let stage = 'loading the configuration';
  let onError: OnError = 'fail';
  try {
    const loaded = await loadConfig(options.loadConfig);
    if (!loaded.ok) {
      stage = 'listing the changed files';
      const head = changesConfig(await listPullFiles(gh, target, pull.changedFiles)) ? await headConfigCheck(gh, repo, pull.headSha) : undefined;
      const more = head ? `\n\n${head.lines.map((l) => `> ${l}`).join('\n>\n')}` : '';
      Object.assign(report, {
        conclusion: 'failure',
        title: configErrorTitle(loaded.issues, options.configFileOf),
        summary: `${configErrorSummary(loaded.issues, options.docsUrl, options.configFileOf)}${more}`,
      });
      return report;
    }
    const config = loaded.config;
    onError = config.onError;
    stage = 'listing the changed files';
    // GraphQL is the fast path; an API without it is found out once per run, then REST is used.
    const graphql: GraphqlState = { usable: true };
    const changes = await readChangeSet(gh, target, pull, config, graphql, log);
    stage = 'reading earlier review threads';
    const prior = await readPriorThreads(gh, target, { graphql, log });
    stage = 'reading the repository for the permission diff';
    const repoFiles = await readRepoForPermissions(gh, target, pull, changes.files, config, graphql, log);
    const fellBack = graphqlNote(graphql);
    if (fellBack) changes.notes.push(fellBack);
    stage = 'scanning';
    const task: PlanTask = {
      changes,
      config,
      ...(repoFiles ? { repoFiles } : {}),
      prior: prior.threads,
      today: new Date().toISOString().slice(0, 10),
      ...(options.docsUrl ? { docsUrl: options.docsUrl } : {}),
    };
    const plan =
      options.planner && !options.providers?.length
        ? await options.planner(task, options.signal)
        : await planReview({ ...task, providers: [...(options.providers ?? []), ...providersFromConfig(config)] });
    Object.assign(report, { plan, annotations: plan.annotations, comments: plan.comments, reviewBody: plan.reviewBody });
    const outcome = options.mode === 'dry-run' ? {} : await publishReview(gh, target, pull, plan, log, prior.resolvable);
    report.headMoved = outcome.headMoved ?? false;
    report.reviewPosted = outcome.reviewPosted ?? false;
    report.resolved = outcome.resolved ?? [];
    Object.assign(report, { conclusion: plan.conclusion, title: plan.title, ...checkOutput(plan, outcome) });
    if (changes.headConfig && !changes.headConfig.valid) {
      // An invalid config would fail every later PR once merged: this PR answers for it.
      Object.assign(report, { conclusion: 'failure', title: `Invalid .github/minpriv.yml in this pull request · ${plan.title}` });
    }
    return report;
  } catch (err) {
    log.error(
      `minpriv failed while ${stage} on ${target.owner}/${target.repo}#${target.pull_number}: ${redact(err instanceof Error ? err.message : String(err))}`,
    );
    Object.assign(report, errorOutput(stage, err, onError), { text: '' });
    return report;
  } finally {
    if (report.checkRunId !== undefined) await complete(gh, repo, report, log);
  }
}

async function loadConfig(load: () => Promise<unknown>): Promise<{ ok: true; config: MinprivConfig } | { ok: false; issues: ConfigIssue[] }> {
  let raw: unknown;
  try {
    raw = await load();
  } catch (err) {
    const status = statusOf(err);
    if (status !== undefined && status !== 422) throw err;
    return { ok: false, issues: [yamlIssue(err)] };
  }
  return parseConfig(raw);
}

/**
 * The config file could not be parsed. Probot's config plugin wraps the parser's error (`cause`): its first
 * line says what is wrong, and `linePos` (yaml) or `mark` (js-yaml, 0-based) says where.
 */
function yamlIssue(err: unknown): ConfigIssue {
  const outer = err instanceof Error ? err : new Error(String(err));
  const cause =
    outer.cause instanceof Error ? (outer.cause as Error & { linePos?: { line: number; col: number }[]; mark?: { line: number; column: number } }) : undefined;
  const src = cause ?? (outer as Error & { mark?: { line: number; column: number } });
  const pos = cause?.linePos?.[0];
  const mark = src.mark;
  const where = pos ? { line: pos.line, column: pos.col } : mark ? { line: mark.line + 1, column: mark.column + 1 } : {};
  const yaml = /YAML|yaml/.test(outer.message) || cause !== undefined || mark !== undefined;
  const first = (src.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  const issue: ConfigIssue = { key: '(file)', message: redact(first) };
  if (yaml) issue.yaml = where;
  return issue;
}

/** PR files → change set: removed and non-matching files are not fetched; contents come in GraphQL batches. */
async function readChangeSet(gh: GitHub, target: PrTarget, pull: PullInfo, config: MinprivConfig, graphql: GraphqlState, log: Log) {
  const files = await listPullFiles(gh, target, pull.changedFiles);
  const match = fileMatcher(config);
  const wanted = files.filter((f) => f.status !== 'removed' && match(f.path));
  const paths = wanted.map((f) => f.path);
  // The kustomizations beside the changed files and in their ancestor folders say which of them are patches.
  const shas = new Map(wanted.flatMap((f) => (f.sha ? [[f.path, f.sha] as const] : [])));
  // The base versions of modified and renamed files ride in the same queries: findings already there are not new.
  const basePaths = new Map(wanted.filter((f) => f.status !== 'added').map((f) => [f.path, f.previousPath ?? f.path] as const));
  const fetched = await fetchContents(gh, { owner: target.owner, repo: target.repo }, pull.headSha, paths, {
    context: kustomizationsAbove(paths),
    shas,
    maxBytes: config.maxFileBytes,
    maxTotalBytes: config.maxPullRequestBytes,
    graphql,
    log,
    ...(pull.baseSha && basePaths.size > 0 ? { base: { sha: pull.baseSha, paths: basePaths } } : {}),
  });
  const byPath = new Map(fetched.files.map((c) => [c.path, c]));
  const skipped: SkippedFile[] = [];
  const changed: ChangedFile[] = files.map((f) => {
    const c: ChangedFile = { path: f.path, status: f.status };
    if (f.previousPath) c.previousPath = f.previousPath;
    if (f.patch !== undefined) c.patch = f.patch;
    const got = byPath.get(f.path);
    if (got && 'content' in got) {
      c.content = got.content;
      if (got.base !== undefined) c.baseContent = got.base;
    } else if (got) skipped.push({ path: f.path, reason: got.skipped, error: true });
    return c;
  });
  const headConfig = changesConfig(files) ? await headConfigCheck(gh, { owner: target.owner, repo: target.repo }, pull.headSha) : undefined;
  const notes: string[] = [...(headConfig?.lines ?? []), ...fetched.notes];
  if (files.length >= MAX_PR_FILES && (pull.changedFiles ?? 0) > files.length) {
    notes.push(`GitHub lists only the first ${MAX_PR_FILES} of the ${pull.changedFiles} changed files; the rest were not scanned.`);
  }
  // A draft under `drafts: check` (the app's RunConfig decides): its fixes stay in the check, and say why.
  const heldForDraft = runContextOf(gh)?.draftHeld === true;
  return { files: changed, skipped, notes, context: fetched.context, headConfig, ...(heldForDraft ? { heldForDraft } : {}) };
}

/**
 * The repository's RBAC objects and workloads at base and head, when a changed file defines an RBAC kind before or
 * after the change: a new binding to an unchanged role, or a widened role that unchanged bindings use, grants
 * through files the PR did not change.
 * Blobs are cached by SHA in memory, so a push re-reads only what changed.
 */
async function readRepoForPermissions(
  gh: GitHub,
  target: PrTarget,
  pull: PullInfo,
  files: readonly ChangedFile[],
  config: MinprivConfig,
  graphql: GraphqlState,
  log: Log,
): Promise<{ base: SourceFile[]; head: SourceFile[]; notes: string[] } | undefined> {
  if (!pull.baseSha || !files.some((f) => mayDefineRbac(f.content) || mayDefineRbac(f.baseContent))) return undefined;
  const repo = { owner: target.owner, repo: target.repo };
  // The PR's own files are read whatever `rbac.maxFiles` leaves out (both names of a rename).
  const first = files.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path]));
  const opts = { maxFiles: config.rbac.maxFiles, maxBytes: config.maxFileBytes, first, graphql, log };
  const [base, head] = await Promise.all([readRepoRbacFiles(gh, repo, pull.baseSha, opts), readRepoRbacFiles(gh, repo, pull.headSha, opts)]);
  return { base: base.files, head: head.files, notes: [...new Set([...base.notes, ...head.notes])] };
}

/** Whether the PR adds or changes the config file (a removal leaves the defaults, which are valid). */
function changesConfig(files: readonly PrFile[]): boolean {
  return files.some((f) => f.path === CONFIG_PATH && f.status !== 'removed');
}

/** What publishing a plan did: the check summary's part of it, and what was posted and resolved. */
export interface Published extends PublishOutcome {
  headMoved?: boolean;
  reviewPosted?: boolean;
  resolved?: string[];
}

/**
 * Publish a plan: post the review unless the head moved on; resolve threads whose finding is gone (only
 * threads read through GraphQL: REST gives no thread ids). Failures degrade to check-only output. The plan
 * is not changed: what happened is returned.
 */
export async function publishReview(gh: GitHub, target: PrTarget, pull: PullInfo, plan: ReviewPlan, log: Log, resolvable: boolean): Promise<Published> {
  const notes: string[] = [];
  const gone = resolvable ? plan.threadsToResolve.gone : [];
  const superseded = resolvable ? plan.threadsToResolve.superseded : [];
  const wantsWrite = plan.comments.length > 0 || gone.length > 0 || superseded.length > 0;
  if (!wantsWrite) return {};
  const now = await getPull(gh, target);
  if (now.headSha !== pull.headSha) {
    log.info(`head of #${target.pull_number} moved from ${pull.headSha} to ${now.headSha}: no review for the old commit`);
    return {
      headMoved: true,
      reviewError: `the pull request head moved on to ${now.headSha.slice(0, 7)} while this run worked; the run for the new head posts the review`,
    };
  }
  let reviewError: string | undefined;
  let reviewPosted = false;
  if (plan.comments.length > 0) {
    try {
      await postReview(gh, target, pull.headSha, plan.reviewBody, plan.comments);
      reviewPosted = true;
    } catch (err) {
      const status = statusOf(err);
      reviewError = `GitHub answered ${status ?? 'an error'} to the review${status === 403 ? ' (no permission, or a secondary rate limit)' : ''}`;
      log.warn(`review on #${target.pull_number} failed: ${redact(err instanceof Error ? err.message : String(err))}`);
    }
  }
  const resolve = [...gone, ...(reviewPosted ? superseded : [])];
  let resolved: string[] = [];
  if (resolve.length > 0) {
    try {
      await resolveThreads(gh, resolve);
      resolved = resolve;
      notes.push(`Resolved ${plural(resolve.length, 'earlier review thread')} whose finding is gone or superseded.`);
    } catch (err) {
      log.warn(`could not resolve threads on #${target.pull_number}: ${redact(err instanceof Error ? err.message : String(err))}`);
      notes.push('Earlier review threads whose finding is gone could not be resolved.');
    }
  }
  return reviewError ? { reviewError, notes, reviewPosted, resolved } : { notes, reviewPosted, resolved };
}

/** Complete the run; if that fails (after the client's retries), try once more with a minimal output. */
async function complete(gh: GitHub, repo: { owner: string; repo: string }, report: RunReport, log: Log): Promise<void> {
  const id = report.checkRunId as number;
  try {
    await completeCheckRun(gh, repo, id, report, report.annotations, log);
  } catch (err) {
    log.error(`could not complete check run ${id}: ${redact(err instanceof Error ? err.message : String(err))}`);
    const fallback = errorOutput('completing the check run', err, 'fail');
    await completeCheckRun(gh, repo, id, { ...fallback, text: '', conclusion: report.conclusion }, [], log);
  }
}
