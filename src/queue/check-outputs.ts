/** What the check runs of queued work say when the review will not run (src/github/queued-check-run.ts writes them). */
import type { OnError } from '../engine/config.js';
import type { CheckOutput } from '../github/check-run.js';
import type { ReviewSpec } from './job.js';

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
