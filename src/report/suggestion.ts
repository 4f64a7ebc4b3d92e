import type { Finding, HunkRange, VerifiedFix } from '../core/types.js';

export interface ReviewComment {
  path: string;
  line: number;
  start_line?: number;
  side: 'RIGHT';
  start_side?: 'RIGHT';
  body: string;
}

/** Render a verified fix as a GitHub review comment with a suggestion block; undefined when its lines are not inside one hunk. */
export function renderSuggestion(
  fix: VerifiedFix,
  findings: readonly Finding[],
  hunks: readonly HunkRange[],
  options: { extraBody?: string } = {},
): ReviewComment | undefined {
  const { startLine, endLine } = fix.edit;
  if (!hunks.some((h) => h.start <= startLine && endLine <= h.end)) return undefined;
  const resolved = findings.filter((f) => fix.resolves.includes(f.fingerprint));
  const fence = fix.edit.lines.some((l) => l.includes('```')) ? '````' : '```';
  const body = [
    ...resolved.map((f) => `**${f.ruleId}**: ${f.message}`),
    '',
    `${fence}suggestion`,
    ...fix.edit.lines,
    fence,
    ...(options.extraBody ? ['', options.extraBody] : []),
  ].join('\n');
  const c: ReviewComment = { path: fix.file, line: endLine, side: 'RIGHT', body };
  if (startLine !== endLine) {
    c.start_line = startLine;
    c.start_side = 'RIGHT';
  }
  return c;
}
