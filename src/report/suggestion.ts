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

/**
 * At least the length of renderSuggestion's body for the same fix and options (a comment inside one hunk),
 * counted without writing it: a review of thousands of fixes posts a few dozen, and the others only need to
 * know whether their comment would be over GitHub's limit. Every part of the body is counted at its longest:
 * the longer title, one "Why it matters" line per resolved finding (the body has one per rule), a fence as long
 * as the longest line plus three (the body's is one longer than its longest backtick run, at least three).
 */
export function suggestionBodyBound(
  fix: VerifiedFix,
  options: {
    /** The length of the `extraBody` renderSuggestion is given. */
    extraBodyLength?: number;
    rationale?: (ruleId: string) => string | undefined;
    byFingerprint: ReadonlyMap<string, Finding>;
    docsUrl?: string;
    /** Per rule id, what its lines add at most; filled here (one map for the fixes of one review). */
    perRule?: Map<string, number>;
  },
): number {
  // The fixed words: title line, "Resolves N findings:", "and N more findings…", "Why it matters", fence words, blank lines.
  let n = 256 + fix.title.length + (options.extraBodyLength ?? 0);
  const perRule = options.perRule ?? new Map<string, number>();
  for (const fp of fix.resolves) {
    const f = options.byFingerprint.get(fp);
    if (!f) continue;
    // "- `rule` (severity): message" and "- `rule`: rationale ([docs](url))", with their newlines.
    let rule = perRule.get(f.ruleId);
    if (rule === undefined) {
      const why = Math.max(options.rationale?.(f.ruleId)?.length ?? 0, 32);
      rule = 32 + 2 * f.ruleId.length + why + ruleDocUrl(f.ruleId, options.docsUrl).length;
      perRule.set(f.ruleId, rule);
    }
    n += rule + f.severity.length + f.message.length;
  }
  let longest = 0;
  for (const line of fix.edit.lines) {
    n += line.length + 1;
    longest = Math.max(longest, line.length);
  }
  n += 2 * (longest + 4);
  for (const c of fix.checks) n += c.length + 20;
  return n;
}
