import { annotationBatches, type CheckAnnotation, type Conclusion, fitCheckOutput, redact } from '../report/check-run.js';
import type { GitHub, Log } from './client.js';

export const CHECK_NAME = 'minpriv';

export interface CheckOutput {
  conclusion: Conclusion;
  title: string;
  summary: string;
  /** The details (`output.text`); empty: none. */
  text: string;
}

/** Create the `minpriv` check run, in progress, on the analysed SHA; external_id carries the PR number (forks have no pull_requests on check runs). */
export async function createCheckRun(gh: GitHub, repo: { owner: string; repo: string }, headSha: string, prNumber: number): Promise<number> {
  const { data } = await gh.request('POST /repos/{owner}/{repo}/check-runs', {
    owner: repo.owner,
    repo: repo.repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: 'in_progress',
    external_id: String(prNumber),
  });
  return Number(data.id);
}

/**
 * Complete the run with its conclusion and the first 50 annotations, then append the rest 50 per
 * PATCH (GitHub appends annotations on each update). A failed extra batch is logged, not thrown:
 * the run is already complete. Summary and text are each cut to 65,535 bytes.
 */
export async function completeCheckRun(
  gh: GitHub,
  repo: { owner: string; repo: string },
  id: number,
  output: CheckOutput,
  annotations: readonly CheckAnnotation[],
  log: Log,
): Promise<void> {
  const [first, ...rest] = annotationBatches(annotations);
  const { summary, text } = fitCheckOutput(output);
  const out = text === '' ? { title: output.title, summary } : { title: output.title, summary, text };
  await gh.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    owner: repo.owner,
    repo: repo.repo,
    check_run_id: id,
    status: 'completed',
    conclusion: output.conclusion,
    output: (first ?? []).length > 0 ? { ...out, annotations: first } : out,
  });
  for (const batch of rest) {
    try {
      await gh.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
        owner: repo.owner,
        repo: repo.repo,
        check_run_id: id,
        output: { ...out, annotations: batch },
      });
    } catch (err) {
      log.warn(`could not add ${batch.length} annotations to check run ${id}: ${redact(err instanceof Error ? err.message : String(err))}`);
    }
  }
}
