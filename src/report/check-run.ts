import { type Finding, SEVERITIES, type Severity, severityRank } from '../core/types.js';

export type Conclusion = 'success' | 'failure' | 'neutral';
export type AnnotationLevel = 'notice' | 'warning' | 'failure';

/** One check-run annotation, with exactly the fields of GitHub's request body. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: AnnotationLevel;
  message: string;
  title: string;
}

/** GitHub takes at most 50 annotations per create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub rejects a check-run summary over 65,535 bytes. */
export const SUMMARY_MAX_BYTES = 65_535;
/** GitHub rejects a check-run text (shown below the summary) over 65,535 bytes. */
export const TEXT_MAX_BYTES = 65_535;
const TITLE_MAX = 255;
export const MESSAGE_MAX = 60_000;

export function blocks(finding: Finding, failOn: Severity): boolean {
  return severityRank(finding.severity) >= severityRank(failOn);
}

export function annotationOf(finding: Finding, failOn: Severity, fixTitle?: string, existing = false): CheckAnnotation {
  // A finding the change did not introduce is a notice: it does not fail the check (unless failOnExisting).
  const level: AnnotationLevel = existing ? 'notice' : blocks(finding, failOn) ? 'failure' : finding.severity === 'info' ? 'notice' : 'warning';
  const body = existing ? `${finding.message}\n(already present before this change)` : finding.message;
  const message = fixTitle ? `${body}\nFix: ${fixTitle}` : body;
  return {
    path: finding.file,
    start_line: Math.max(1, finding.line),
    end_line: Math.max(1, finding.line, finding.endLine),
    annotation_level: level,
    message: clip(message, MESSAGE_MAX),
    title: clip(`${finding.ruleId} (${finding.severity}): ${finding.title}`, TITLE_MAX),
  };
}

/** Split annotations into request-sized batches (always at least one, possibly empty, batch). */
export function annotationBatches(annotations: readonly CheckAnnotation[]): CheckAnnotation[][] {
  const out: CheckAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) out.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  return out.length > 0 ? out : [[]];
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) out[f.severity]++;
  return out;
}

/** "1 critical, 2 high" (severities with a count only). */
export function severityPhrase(counts: Record<Severity, number>): string {
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Summary and text each cut (on a character boundary) to GitHub's byte limit. */
export function fitCheckOutput(out: { summary: string; text: string }): { summary: string; text: string } {
  return { summary: fitText(out.summary, SUMMARY_MAX_BYTES), text: fitText(out.text, TEXT_MAX_BYTES) };
}

/** Keep at most maxBytes UTF-8 bytes, never splitting a character; a cut text ends with "…". */
export function fitText(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s, 'utf8') <= maxBytes) return s;
  let out = '';
  let size = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (size + n + 3 > maxBytes) break;
    out += ch;
    size += n;
  }
  return `${out}…`;
}

export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

// Installation tokens (ghs_), PATs (ghp_, github_pat_), OAuth (gho_, ghu_, ghr_), JWTs, auth headers, PEM keys.
const SECRET_RES: [RegExp, string][] = [
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, '[redacted]'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, '[redacted]'],
  [/\b(authorization:\s*(?:bearer|token)?\s*|bearer\s+|token\s+)[A-Za-z0-9._~+/=-]{20,}/gi, '$1[redacted]'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted]'],
];

/** Remove anything that looks like a credential before text reaches a log or a summary. */
export function redact(text: string): string {
  let out = text;
  for (const [re, by] of SECRET_RES) out = out.replace(re, by);
  return out;
}

/** Check output when minpriv itself failed: says what failed and how to retry; onError picks the conclusion. */
export function errorOutput(what: string, err: unknown, onError: 'fail' | 'neutral'): { conclusion: Conclusion; title: string; summary: string } {
  const message = redact(err instanceof Error ? err.message : String(err)).slice(0, 2000);
  const status = typeof err === 'object' && err !== null && 'status' in err ? ` (HTTP ${String((err as { status: unknown }).status)})` : '';
  return {
    conclusion: onError === 'fail' ? 'failure' : 'neutral',
    title: `minpriv could not finish: ${what}`,
    summary: [
      `minpriv failed while ${what}${status}:`,
      '',
      '```',
      message.replace(/```/g, "'''"),
      '```',
      '',
      `The check is marked \`${onError === 'fail' ? 'failure' : 'neutral'}\` (\`onError: ${onError}\` in \`.github/minpriv.yml\`). Use "Re-run" on this check to try again.`,
    ].join('\n'),
  };
}
