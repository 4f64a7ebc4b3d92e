import type { OnError } from '../engine/config.js';
import type { CheckOutput } from './check-run.js';

/** Why the app completed a check run itself: shut down, over the run's time limit, or found unfinished later. */
export type StopReason = 'shutdown' | 'time-limit' | 'orphan';

/** A call of a run the app stopped: the run's code sees this instead of GitHub's answer. */
export class RunStoppedError extends Error {
  readonly code = 'run-stopped';
  constructor(
    readonly reason: StopReason,
    runTimeoutMs = 0,
  ) {
    super(
      reason === 'time-limit'
        ? `minpriv stopped this run: it reached its time limit of ${runTimeoutMs / 1000} s`
        : 'minpriv stopped this run: the app is shutting down',
    );
    this.name = 'RunStoppedError';
  }
}

export function isRunStopped(err: unknown): err is RunStoppedError {
  return err instanceof RunStoppedError;
}

/** The check output of a run the app completed itself. */
export function stoppedOutput(reason: StopReason, onError: OnError, facts: { stage?: string; runTimeoutMs?: number } = {}): CheckOutput {
  const conclusion = onError === 'fail' ? 'failure' : 'neutral';
  const why = {
    shutdown: 'minpriv was interrupted (the app was shut down); re-run this check.',
    'time-limit': `minpriv stopped this run after its time limit of ${(facts.runTimeoutMs ?? 0) / 1000} s; re-run this check.`,
    orphan: 'minpriv did not finish this run (the app restarted, or could not reach GitHub to complete it); re-run this check.',
  }[reason];
  const title = {
    shutdown: 'minpriv was interrupted: re-run this check',
    'time-limit': 'minpriv stopped: the run took too long',
    orphan: 'minpriv did not finish: re-run this check',
  }[reason];
  const stage = facts.stage ? `Its last step was ${facts.stage}.` : undefined;
  const how = 'Use "Re-run" on this check (or push a commit) to review the pull request again.';
  const marked = `The check is marked \`${conclusion}\` (\`onError: ${onError}\` in \`.github/minpriv.yml\`).`;
  return { conclusion, title, summary: [why, stage, how, marked].filter(Boolean).join('\n\n'), text: '' };
}
