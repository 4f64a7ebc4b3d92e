import type { Finding, HunkRange, VerifiedFix } from '../core/types.js';
import type { ChangeSource } from '../diff/change-set.js';
import type { FileDiff } from '../diff/patch.js';
import { hunkContaining } from '../diff/patch.js';
import { type ReviewComment, renderSuggestion, suggestionBodyBound } from './suggestion.js';

/** A review thread the bot opened earlier, as read back from GitHub. */
export interface PriorThread {
  id: string;
  path: string;
  fingerprints: string[];
  outdated: boolean;
}

/** Where a verified fix ends up. */
export type Placement = { kind: 'inline'; comment: ReviewComment } | { kind: 'earlier'; threadId: string } | { kind: 'summary'; reason: SummaryReason };

export type SummaryReason =
  | 'outside-diff'
  | 'no-patch'
  | 'rename-only'
  | 'comment-cap'
  | 'suggestions-off'
  | 'draft'
  | 'overlap'
  | 'too-long'
  | 'review-failed'
  | 'already-present';

/** Why a fix is in the summary, in the words of the source that gave the diff. */
export function summaryReasonText(reason: SummaryReason, source: ChangeSource = 'github'): string {
  const who = source === 'git' ? 'git' : 'GitHub';
  // Asked once per fix of the check run: the texts are made once per source.
  const cached = reasonTexts.get(who);
  if (cached) return cached[reason];
  const text: Record<SummaryReason, string> = {
    'outside-diff': 'its lines are not all inside one hunk of the diff',
    'no-patch': `${who} gave no diff for this file`,
    'rename-only': `${who} reports a rename with no changed lines`,
    'comment-cap': 'over the `comments.max` limit',
    'suggestions-off': 'inline suggestions are off (`suggestions: false`)',
    draft: 'this pull request is a draft: the review is posted when it is marked ready for review',
    overlap: 'it overlaps another suggestion',
    'too-long': 'the comment would be too long',
    'review-failed': 'the review could not be posted',
    'already-present': 'it fixes findings that were there before this change, on lines it did not change',
  };
  reasonTexts.set(who, text);
  return text[reason];
}

const reasonTexts = new Map<string, Record<SummaryReason, string>>();

/** GitHub rejects review comment bodies over 65,536 characters. */
const BODY_MAX = 65_536;
const MARKER_RE = /<!-- minpriv:fp=([0-9a-f,]+) -->/;

/** Hidden marker that ties a comment to the findings it resolves (survives line shifts). */
export function markerOf(fingerprints: readonly string[]): string {
  return `<!-- minpriv:fp=${[...fingerprints].sort().join(',')} -->`;
}

/** The length of `markerOf(fingerprints)`, without writing it. */
export function markerLength(fingerprints: readonly string[]): number {
  let n = '<!-- minpriv:fp= -->'.length + Math.max(0, fingerprints.length - 1);
  for (const fp of fingerprints) n += fp.length;
  return n;
}

export function fingerprintsIn(body: string): string[] {
  const m = MARKER_RE.exec(body);
  return m ? (m[1] as string).split(',').filter(Boolean) : [];
}

/** Why GitHub would answer 422 to a review comment, as a code (decisions) and a message (people). */
export type CommentProblem =
  | { code: 'wrong-side'; message: 'not on the right side' }
  | { code: 'no-line'; message: 'no line' }
  | { code: 'bad-range'; message: 'start_line must precede line' }
  | { code: 'outside-hunk'; message: 'not inside one hunk' }
  | { code: 'too-long'; message: 'body too long' };

/**
 * Why GitHub would answer 422 to this comment, or undefined when it is valid: every line on the
 * right side, inside one hunk, `start_line` strictly before `line`.
 */
export function commentProblem(c: ReviewComment, hunks: readonly HunkRange[]): CommentProblem | undefined {
  if (c.side !== 'RIGHT' || (c.start_side !== undefined && c.start_side !== 'RIGHT')) return { code: 'wrong-side', message: 'not on the right side' };
  if (!Number.isInteger(c.line) || c.line < 1) return { code: 'no-line', message: 'no line' };
  if (c.start_line !== undefined && c.start_line >= c.line) return { code: 'bad-range', message: 'start_line must precede line' };
  if (!hunkContaining(hunks, c.start_line ?? c.line, c.line)) return { code: 'outside-hunk', message: 'not inside one hunk' };
  if (c.body.length > BODY_MAX) return { code: 'too-long', message: 'body too long' };
  return undefined;
}

export interface PlaceInput {
  fixes: readonly VerifiedFix[];
  /** In-scope findings (what the fixes resolve). */
  findings: readonly Finding[];
  diffs: ReadonlyMap<string, FileDiff>;
  suggestions: boolean;
  /** Suggestions are off because the pull request is a draft (`drafts: check`), not by `suggestions: false`. */
  draft?: boolean;
  max: number;
  prior: readonly PriorThread[];
  /** Files whose findings are unknown this time (fetch failed): their threads are left alone. */
  unknownFiles: ReadonlySet<string>;
  /** Fixes (by id) that go to the summary even where a comment would fit: they were not verified with the posted ones. */
  summaryOnly?: ReadonlySet<string>;
  /** Files the change only renamed (no changed line, so nothing to comment on). */
  renameOnly?: ReadonlySet<string>;
  /** Whether a fix only resolves findings already present before the change, away from its changed lines. */
  existingOnly?: (fix: VerifiedFix) => boolean;
  /** A rule's rationale (from the registry), for the comments' "Why it matters". */
  rationale?: (ruleId: string) => string | undefined;
  /** The public URL of the minpriv serving the rule docs (see core/links.ts), for the comments' links. */
  docsUrl?: string;
}

export interface PlaceResult {
  placements: Map<string, Placement>;
  comments: ReviewComment[];
  /** Threads whose findings are all gone (fixed, suppressed, out of scope, file deleted). */
  gone: string[];
  /** Outdated threads that a fresh comment of this review replaces (resolve only once it is posted). */
  superseded: string[];
}

/** Decide, per verified fix, whether it becomes an inline suggestion, is already on an open thread, or goes to the summary. */
export function placeFixes(input: PlaceInput): PlaceResult {
  const placements = new Map<string, Placement>();
  const comments: ReviewComment[] = [];
  const live = input.prior.filter((t) => !t.outdated);
  // comments.max caps the bot's open suggestions on the PR, not each review: open ones use up the budget.
  const budget = Math.max(0, input.max - openThreadCount(input.prior, input.findings, input.unknownFiles));
  const taken = new Map<string, { start: number; end: number }[]>();
  const posted = new Set<string>();
  // Read only to write a comment or bound its length: built on first use.
  let byFp: Map<string, Finding> | undefined;
  const byFingerprint = () => {
    byFp ??= new Map(input.findings.map((f) => [f.fingerprint, f]));
    return byFp;
  };
  // Per rule, the most its lines add to a comment (suggestionBodyBound): worked out once per rule.
  const perRule = new Map<string, number>();
  for (const fix of input.fixes) {
    const earlier = live.find((t) => fix.resolves.every((fp) => t.fingerprints.includes(fp)));
    if (earlier) {
      placements.set(fix.id, { kind: 'earlier', threadId: earlier.id });
      continue;
    }
    const diff = input.diffs.get(fix.file);
    let reason: SummaryReason | undefined;
    let comment: ReviewComment | undefined;
    if (!input.suggestions) reason = input.draft ? 'draft' : 'suggestions-off';
    else if (!diff?.known) reason = 'no-patch';
    else if (input.renameOnly?.has(fix.file)) reason = 'rename-only';
    else if (input.existingOnly?.(fix)) reason = 'already-present';
    else {
      const common = { rationale: input.rationale, byFingerprint: byFingerprint(), ...(input.docsUrl ? { docsUrl: input.docsUrl } : {}) };
      // Where the comment would go decides first (the body is not read for that); only then is it written: for
      // the fixes posted, and for the others only when it could be over GitHub's limit (that reason comes first).
      const { startLine, endLine } = fix.edit;
      const shape: ReviewComment = { path: fix.file, line: endLine, side: 'RIGHT', body: '' };
      if (startLine !== endLine) Object.assign(shape, { start_line: startLine, start_side: 'RIGHT' });
      if (commentProblem(shape, diff.hunks)) reason = 'outside-diff';
      else {
        const later: SummaryReason | undefined = input.summaryOnly?.has(fix.id)
          ? 'overlap'
          : overlaps(taken.get(fix.file), startLine, endLine)
            ? 'overlap'
            : comments.length >= budget
              ? 'comment-cap'
              : undefined;
        if (!later || suggestionBodyBound(fix, { ...common, extraBodyLength: markerLength(fix.resolves), perRule }) > BODY_MAX) {
          comment = renderSuggestion(fix, input.findings, diff.hunks, { ...common, extraBody: markerOf(fix.resolves) });
        }
        const problem = comment ? commentProblem(comment, diff.hunks)?.code : undefined;
        reason = problem === 'too-long' ? 'too-long' : problem ? 'outside-diff' : later;
      }
    }
    if (reason || !comment) {
      placements.set(fix.id, { kind: 'summary', reason: reason ?? 'outside-diff' });
      continue;
    }
    comments.push(comment);
    placements.set(fix.id, { kind: 'inline', comment });
    for (const fp of fix.resolves) posted.add(fp);
    const ranges = taken.get(fix.file) ?? [];
    ranges.push({ start: fix.edit.startLine, end: fix.edit.endLine });
    taken.set(fix.file, ranges);
  }
  if (input.prior.length === 0) return { placements, comments, gone: [], superseded: [] };
  const current = new Set(input.findings.map((f) => f.fingerprint));
  const known = input.prior.filter((t) => !input.unknownFiles.has(t.path));
  const gone = known.filter((t) => !t.fingerprints.some((fp) => current.has(fp))).map((t) => t.id);
  const superseded = known
    .filter((t) => t.outdated && !gone.includes(t.id) && t.fingerprints.every((fp) => posted.has(fp) || !current.has(fp)))
    .map((t) => t.id);
  return { placements, comments, gone, superseded };
}

/**
 * The bot's open threads that stay open after this run: not outdated, and still matching a current finding
 * (or on a file whose findings are unknown this time). Outdated ones are left out: their replacement resolves them.
 */
export function openThreadCount(prior: readonly PriorThread[], findings: readonly Finding[], unknownFiles: ReadonlySet<string>): number {
  if (prior.length === 0) return 0;
  const current = new Set(findings.map((f) => f.fingerprint));
  return prior.filter((t) => !t.outdated && (unknownFiles.has(t.path) || t.fingerprints.some((fp) => current.has(fp)))).length;
}

function overlaps(ranges: { start: number; end: number }[] | undefined, start: number, end: number): boolean {
  return (ranges ?? []).some((r) => r.start <= end && start <= r.end);
}

/** What the review's suggestions cover, for its body. */
export interface ReviewCounts {
  /** Suggestion comments in this review. */
  comments: number;
  /** In-scope findings those suggestions resolve. */
  resolved: number;
  /** All in-scope findings. */
  findings: number;
  /** All verified fixes (posted here, on earlier threads, or in the check run). */
  fixes: number;
}

/** Body of the review that carries the suggestion comments: exactly what the suggestions cover, and where the rest is. */
export function reviewBody(c: ReviewCounts): string {
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  const what =
    c.resolved === c.findings
      ? `${n(c.comments, 'suggestion')} ${c.comments === 1 ? 'resolves' : 'resolve'} ${c.findings === 1 ? 'the only finding' : `all ${c.findings} findings`} in this pull request`
      : `${n(c.comments, 'suggestion')} ${c.comments === 1 ? 'resolves' : 'resolve'} ${c.resolved} of ${n(c.findings, 'finding')} in this pull request`;
  const others = c.fixes - c.comments;
  const rest = others > 0 ? `; the other ${n(others, 'verified fix', 'verified fixes')} ${others === 1 ? 'is' : 'are'} in the \`minpriv\` check run` : '';
  return [
    `**minpriv**: ${what}${rest}.`,
    'Each suggestion was verified: applied, the file still parses, the finding is gone and nothing else changes. Use "Commit suggestion" or "Add suggestion to batch".',
    'The `minpriv` check run lists every finding.',
  ].join('\n\n');
}
