import type { Finding } from '../core/types.js';
import type { Scope } from '../engine/config.js';
import { type FileDiff, touches } from './patch.js';

/**
 * True when `finding` is in scope for a change described by `diff`.
 * - changed-lines: the change touched a line of the finding itself;
 * - changed-resources: the change touched a line of the YAML document the finding belongs to;
 * - changed-files: the file is part of the change.
 * A file whose diff is unknown (no patch) is treated as wholly changed: a gate that cannot see the
 * diff must not wave findings through. A known empty diff (a pure rename) changed no line: its findings
 * are old debt, in scope only under changed-files. A finding without a resource (a syntax error) falls back
 * to its own lines for changed-lines and is always in scope otherwise. `documentSpan`: the lines of the
finding's document (undefined when unknown: the finding's own lines count).
 */
export function inScope(finding: Finding, diff: FileDiff, scope: Scope, documentSpan: LineSpan | undefined): boolean {
  if (scope === 'changed-files' || !diff.known) return true;
  if (scope === 'changed-lines') return touches(diff, finding.line, finding.endLine);
  if (!documentSpan) return finding.resource ? touches(diff, finding.line, finding.endLine) : true;
  return touches(diff, documentSpan.start, documentSpan.end);
}

/** First and last line (1-based, inclusive) of the YAML document a finding belongs to. */
export interface LineSpan {
  start: number;
  end: number;
}
