import { type DraftMode, parseConfig } from '../engine/config.js';
import type { GitHub } from './client.js';
import type { TrackedRun } from './in-flight.js';
import { callWithLimits } from './limits.js';
import type { PrTarget, PullInfo } from './pull-request.js';

/** The PR as a run needs it, with whether it is a draft. */
export interface PullState extends PullInfo {
  draft: boolean;
}

/** The PR's head and draft state (re-runs: the payload does not carry them). */
export async function readPullState(gh: GitHub, t: PrTarget): Promise<PullState> {
  const { data } = await gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: t.owner, repo: t.repo, pull_number: t.pull_number });
  return { number: data.number, headSha: data.head.sha, changedFiles: data.changed_files, draft: data.draft === true };
}

/**
 * The repository's config for one run, read once (Probot's `context.config`, within the run's limits) and
 * handed to run.ts. Reading it also tells the run its `onError` and `annotations.max`, and a draft under
 * `drafts: check` gets `suggestions: false`, so the fixes stay in the check until the PR is ready.
 */
export class RunConfig {
  private read?: Promise<unknown>;

  constructor(
    private readonly load: () => Promise<unknown>,
    private readonly run: TrackedRun,
    private readonly draft: boolean,
  ) {}

  /** `drafts` of the config, or the default when the file cannot be read or is invalid (the run reports that). */
  async draftMode(): Promise<DraftMode> {
    try {
      const parsed = parseConfig(await this.raw());
      return parsed.ok ? parsed.config.drafts : 'check';
    } catch {
      return 'check';
    }
  }

  /** For RunOptions.loadConfig: throws what reading threw, so run.ts reports a broken file as before. */
  readonly loader = async (): Promise<unknown> => {
    const raw = await this.raw();
    const parsed = parseConfig(raw);
    if (!parsed.ok) return raw;
    this.run.record.onError = parsed.config.onError;
    this.run.context.annotationsMax = parsed.config.annotations.max;
    const holdBack = this.draft && parsed.config.drafts === 'check' && parsed.config.suggestions;
    if (!holdBack) return raw;
    this.run.context.draftHeld = true;
    return { ...((raw ?? {}) as Record<string, unknown>), suggestions: false };
  };

  private raw(): Promise<unknown> {
    if (!this.read) {
      this.run.note('loading the configuration');
      const s = this.run.settings;
      const limits = { timeoutMs: s.requestTimeoutMs, retryAfterMaxMs: s.retryAfterMaxMs, retries: s.rateLimitRetries, log: this.run.log };
      this.read = callWithLimits('reading .github/minpriv.yml', () => this.load(), { ...limits, signal: this.run.signal });
    }
    return this.read;
  }
}
