import type { OnError } from '../engine/config.js';
import { redact } from '../report/check-run.js';
import { CHECK_NAME, completeCheckRun } from './check-run.js';
import type { GitHub, Log } from './client.js';
import { stoppedOutput } from './in-flight.js';
import { limitClient } from './limits.js';
import type { OperationSettings } from './operations.js';

/** Where the sweep gets its clients: the app's own (JWT) and one per installation. */
export interface SweepSource {
  app(): Promise<GitHub>;
  installation(id: number): Promise<GitHub>;
  /** The repository's `onError` (default `fail`). */
  onError?(installationId: number, owner: string, repo: string): Promise<OnError>;
}

export interface SweepOptions {
  settings: OperationSettings;
  log: Log;
  /** Check runs this process is still working on: never touched. */
  holds?: (checkRunId: number) => boolean;
  now?: () => number;
}

export interface SweepResult {
  /** GitHub reads made. */
  reads: number;
  /** `minpriv` runs found in progress. */
  found: number;
  /** Check runs completed as orphans. */
  completed: number[];
  failed: number;
  /** The read budget ran out before every open pull request was looked at. */
  truncated: boolean;
}

const PER_PAGE = 100;

class Budget extends Error {}

/**
 * Find `minpriv` check runs of this app left in progress longer than `orphanAfterMs` and complete them
 * (`onError` conclusion, "re-run this check"). GitHub cannot list an app's runs, so the sweep walks
 * installations → repositories → open pull requests → check runs on each head SHA, within
 * `sweepMaxRequests` reads.
 */
export async function sweepOrphans(source: SweepSource, o: SweepOptions): Promise<SweepResult> {
  const s = o.settings;
  const now = o.now ?? Date.now;
  const result: SweepResult = { reads: 0, found: 0, completed: [], failed: 0, truncated: false };
  const limited = (gh: GitHub) =>
    limitClient(gh, { timeoutMs: s.requestTimeoutMs, retryAfterMaxMs: s.retryAfterMaxMs, retries: s.rateLimitRetries, log: o.log });
  const read = async <T>(gh: GitHub, route: string, params: Record<string, unknown>): Promise<T> => {
    if (result.reads >= s.sweepMaxRequests) throw new Budget();
    result.reads++;
    const { data } = await gh.request(route as never, params as never);
    return data as T;
  };
  try {
    const app = limited(await source.app());
    const appId = await read<{ id: number }>(app, 'GET /app', {}).then(
      (a) => a.id,
      () => undefined,
    );
    for (let page = 1; ; page++) {
      const installations = await read<{ id: number }[]>(app, 'GET /app/installations', { per_page: PER_PAGE, page });
      for (const inst of installations) {
        try {
          await sweepInstallation(inst.id, limited(await source.installation(inst.id)));
        } catch (err) {
          if (err instanceof Budget) throw err;
          o.log.warn(`sweep: installation ${inst.id} skipped: ${messageOf(err)}`);
        }
      }
      if (installations.length < PER_PAGE) break;
    }

    async function sweepInstallation(id: number, gh: GitHub): Promise<void> {
      for (let page = 1; ; page++) {
        const { repositories } = await read<{ repositories: { name: string; owner: { login: string } }[] }>(gh, 'GET /installation/repositories', {
          per_page: PER_PAGE,
          page,
        });
        for (const r of repositories) {
          try {
            await sweepRepo(id, gh, r.owner.login, r.name);
          } catch (err) {
            if (err instanceof Budget) throw err;
            o.log.warn(`sweep: ${r.owner.login}/${r.name} skipped: ${messageOf(err)}`);
          }
        }
        if (repositories.length < PER_PAGE) break;
      }
    }

    async function sweepRepo(id: number, gh: GitHub, owner: string, repo: string): Promise<void> {
      const pulls = await read<{ head: { sha: string } }[]>(gh, 'GET /repos/{owner}/{repo}/pulls', { owner, repo, state: 'open', per_page: PER_PAGE });
      let onError: Promise<OnError> | undefined;
      for (const sha of new Set(pulls.map((p) => p.head.sha))) {
        const { check_runs: runs } = await read<{ check_runs: { id: number; started_at: string | null; app?: { id: number } | null }[] }>(
          gh,
          'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
          { owner, repo, ref: sha, check_name: CHECK_NAME, status: 'in_progress', filter: 'all', per_page: PER_PAGE, ...(appId ? { app_id: appId } : {}) },
        );
        for (const run of runs) {
          if ((appId !== undefined && run.app?.id !== appId) || o.holds?.(run.id)) continue;
          result.found++;
          const started = run.started_at ? Date.parse(run.started_at) : Number.NaN;
          if (!(now() - started >= s.orphanAfterMs)) continue;
          onError ??= (source.onError?.(id, owner, repo) ?? Promise.resolve<OnError>('fail')).catch((): OnError => 'fail');
          try {
            await completeCheckRun(gh, { owner, repo }, run.id, stoppedOutput('orphan', await onError), [], o.log);
            result.completed.push(run.id);
            o.log.info(`sweep: completed orphaned check run ${run.id} on ${owner}/${repo}@${sha.slice(0, 7)} (started ${run.started_at})`);
          } catch (err) {
            result.failed++;
            o.log.warn(`sweep: could not complete check run ${run.id} on ${owner}/${repo}: ${messageOf(err)}`);
          }
        }
      }
    }
  } catch (err) {
    if (!(err instanceof Budget)) throw err;
    result.truncated = true;
    o.log.warn(`sweep: stopped after ${result.reads} reads (MINPRIV_SWEEP_MAX_REQUESTS); the next sweep starts again from the first installation`);
  }
  return result;
}

function messageOf(err: unknown): string {
  return redact(err instanceof Error ? err.message : String(err));
}
