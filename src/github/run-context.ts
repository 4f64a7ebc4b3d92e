import type { GitHub } from './client.js';

/**
 * What the app knows about one run beyond what run.ts passes along: the tracked client of a run carries it,
 * so completeCheckRun (called with that client) can cap annotations by the repository's config.
 */
export interface RunContext {
  /** `annotations.max` of the repository's config. */
  annotationsMax?: number;
  /** The pull request is a draft and `drafts: check` held its suggestions back. */
  draftHeld?: boolean;
}

const contexts = new WeakMap<GitHub, RunContext>();

export function attachRunContext(gh: GitHub, context: RunContext): void {
  contexts.set(gh, context);
}

export function runContextOf(gh: GitHub): RunContext | undefined {
  return contexts.get(gh);
}
