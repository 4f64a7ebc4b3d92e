import type { ChangedFile, SourceFile } from '../core/types.js';

/** Where the change set came from: a GitHub pull request, or a local `git diff`. */
export type ChangeSource = 'github' | 'git';

/** A file of the change that was not scanned, and why. `error` marks a gap in coverage (onError applies). */
export interface SkippedFile {
  path: string;
  reason: string;
  error: boolean;
}

/** What a source (a PR, a local git range) hands the review. */
export interface ChangeSet {
  files: ChangedFile[];
  skipped?: SkippedFile[];
  /** Source-level remarks (e.g. the file list was cut at 3,000 files). */
  notes?: string[];
  /** Who gave the diff (default `github`): the summary says "git reports ..." for a local review. */
  source?: ChangeSource;
  /** Files read for context only (the kustomizations beside the changed files): never scanned. */
  context?: SourceFile[];
  /** The pull request is a draft and `drafts: check` holds its suggestions back: fixes stay in the check (reason `draft`). */
  heldForDraft?: boolean;
}
