import { ruleDocUrl } from '../core/links.js';
import type { Finding, HunkRange, VerifiedFix } from '../core/types.js';

/** One inline review comment, in the shape of GitHub's "create a review" `comments[]` items. */
export interface ReviewComment {
  path: string;
  line: number;
  start_line?: number;
  side: 'RIGHT';
  start_side?: 'RIGHT';
  body: string;
}

/** A fence longer than any backtick run in the content, so the suggestion cannot close early. */
function fenceFor(lines: readonly string[]): string {
  let longest = 0;
  for (const line of lines) for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function insideOneHunk(start: number, end: number, hunks: readonly HunkRange[]): boolean {
  return hunks.some((h) => h.start <= start && end <= h.end);
}

/**
 * Render a verified fix as a GitHub review comment carrying a ```suggestion block. The block is the full
 * replacement of lines `startLine..endLine`, byte for byte what the verified edit writes there.
 * Returns undefined when those lines are not inside one hunk: GitHub would reject the comment (422).
 */
export function renderSuggestion(
  fix: VerifiedFix,
  findings: readonly Finding[],
  hunks: readonly HunkRange[],
  options: {
    extraBody?: string;
    /** A rule's rationale, for "Why it matters" (from the registry the caller holds). */
    rationale?: (ruleId: string) => string | undefined;
    /** `findings` by fingerprint, when the caller renders many fixes: built once, not per fix. */
    byFingerprint?: ReadonlyMap<string, Finding>;
    /** The public URL of the minpriv serving the rule docs (see core/links.ts); absent: the repository's files. */
    docsUrl?: string;
  } = {},
): ReviewComment | undefined {
  const { startLine, endLine, lines } = fix.edit;
  if (!insideOneHunk(startLine, endLine, hunks)) return undefined;

  const byFp = options.byFingerprint ?? new Map(findings.map((f) => [f.fingerprint, f]));
  const resolved = fix.resolves.map((fp) => byFp.get(fp)).filter((f) => f !== undefined);
  const unknown = fix.resolves.length - resolved.length;
  const count = fix.resolves.length;
  const body: string[] = [`**minpriv** · ${fix.confidence === 'review' ? 'review before committing' : 'safe fix'}: ${fix.title}`, ''];
  body.push(`Resolves ${count} finding${count === 1 ? '' : 's'}:`);
  for (const f of resolved) body.push(`- \`${f.ruleId}\` (${f.severity}): ${f.message}`);
  if (unknown > 0) body.push(`- and ${unknown} more finding${unknown === 1 ? '' : 's'} listed in the check run`);

  const ruleIds = [...new Set(resolved.map((f) => f.ruleId))];
  const why = ruleIds.map((id) => ({ id, rationale: options.rationale?.(id) }));
  body.push('', '**Why it matters**');
  for (const { id, rationale } of why) body.push(`- \`${id}\`: ${rationale ?? 'see the rule documentation.'} ([docs](${ruleDocUrl(id, options.docsUrl)}))`);

  const fence = fenceFor(lines);
  body.push('', `${fence}suggestion`, ...lines, fence);

  // The checks are written here and only here: callers add nothing but their marker.
  if (fix.confidence === 'review' && fix.checks.length > 0) body.push('', ...fix.checks.map((c) => `**Check first:** ${c}`));
  if (options.extraBody) body.push('', options.extraBody);

  const comment: ReviewComment = { path: fix.file, line: endLine, side: 'RIGHT', body: body.join('\n') };
  if (startLine !== endLine) {
    comment.start_line = startLine;
    comment.start_side = 'RIGHT';
  }
  return comment;
}
