import type { Finding, LineEdit, VerifiedFix } from '../core/types.js';
import type { ScannedFile, ScanOptions } from './scan.js';

export interface DeclinedFix {
  fingerprint: string;
  reason: string;
}

export interface FixResult {
  fixes: VerifiedFix[];
  declined: DeclinedFix[];
}

export interface FixOptions {
  scan?: ScanOptions;
  /** Include review-confidence fixes (default true). */
  includeReview?: boolean;
}

/** Build verified fixes for the findings of one scanned file (findings from scan(); ScannedFile from ScanOutput.files). */
export function buildFixes(file: ScannedFile, findings: readonly Finding[], options: FixOptions = {}): FixResult {
  void file;
  void options;
  // Not implemented yet: every fixable finding is declined rather than guessed at.
  return { fixes: [], declined: findings.filter((f) => f.fix).map((f) => ({ fingerprint: f.fingerprint, reason: 'fix engine not available yet' })) };
}

/** Apply non-overlapping line edits to a text (keeps its line endings and BOM). */
export function applyLineEdits(text: string, edits: readonly LineEdit[]): string {
  if (edits.length === 0) return text;
  const bom = text.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const nl = body.indexOf('\n');
  const eol = nl > 0 && body.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
  const trailing = body.endsWith('\n');
  const lines = body.split(/\r?\n/);
  if (trailing) lines.pop();
  const sorted = [...edits].sort((a, b) => b.startLine - a.startLine);
  for (const e of sorted) lines.splice(e.startLine - 1, e.endLine - e.startLine + 1, ...e.lines);
  return bom + lines.join(eol) + (trailing ? eol : '');
}
