import { DEFAULT_ANNOTATIONS_MAX } from '../engine/config.js';
import { annotationBatches, type CheckAnnotation, type Conclusion, fitText, plural, redact, SUMMARY_MAX_BYTES, TEXT_MAX_BYTES } from '../report/check-run.js';
import type { GitHub, Log } from './client.js';
import { runContextOf } from './run-context.js';

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
 * the run is already complete. Summary and text are each cut to 65,535 bytes. At most `annotations.max`
 * annotations are written (the run's config, else 500), the most severe; the summary counts the rest.
 */
export async function completeCheckRun(
  gh: GitHub,
  repo: { owner: string; repo: string },
  id: number,
  output: CheckOutput,
  annotations: readonly CheckAnnotation[],
  log: Log,
): Promise<void> {
  const context = runContextOf(gh);
  const kept = mostSevere(annotations, context?.annotationsMax ?? DEFAULT_ANNOTATIONS_MAX);
  const [first, ...rest] = annotationBatches(kept);
  const head = context?.draftHeld ? `${DRAFT_NOTE}\n\n` : '';
  const dropped = annotations.length - kept.length;
  const tail =
    dropped > 0
      ? `\n\n> ${plural(dropped, 'more finding')} ${dropped === 1 ? 'has' : 'have'} no annotation: at most ${kept.length} are written (\`annotations.max\`), the most severe first.`
      : '';
  // The notes survive the cut: the summary is shortened to leave room for them.
  const summary = `${head}${fitText(output.summary, SUMMARY_MAX_BYTES - Buffer.byteLength(head + tail))}${tail}`;
  const text = fitText(output.text, TEXT_MAX_BYTES);
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

const DRAFT_NOTE =
  '> **Draft pull request:** the fixes are in this check only (`drafts: check`); they are posted as suggestions when the pull request is marked ready for review.';

const LEVEL_RANK: Record<CheckAnnotation['annotation_level'], number> = { failure: 0, warning: 1, notice: 2 };

/** At most `max` annotations: all when they fit, else the most severe (failure, warning, notice), in that order. */
export function mostSevere(annotations: readonly CheckAnnotation[], max: number): readonly CheckAnnotation[] {
  if (annotations.length <= max) return annotations;
  return [...annotations].sort((a, b) => LEVEL_RANK[a.annotation_level] - LEVEL_RANK[b.annotation_level]).slice(0, max);
}
