/** Shared vocabulary of minpriv. Everything here is plain data: no I/O, no clock. */

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Rank for comparisons: higher is worse. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

/** A path inside one YAML document: mapping keys and sequence indexes. */
export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export function pathToString(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** 1-based line and column, as editors and GitHub count them. */
export interface Position {
  line: number;
  column: number;
}

export interface ResourceId {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Path of the file, relative to the scan root, with forward slashes. */
  file: string;
  /** Index of the YAML document in its file (0-based). */
  docIndex: number;
  /** Path of the object inside the document (non-empty for items of a `kind: List`). */
  basePath: Path;
}

export type FixConfidence = 'safe' | 'review';

/** The part of an object whose fixes are one edit: see `RuleMeta.fixUnit`. `rule-entry` is one item of an RBAC `rules` list. */
export type FixUnit = 'container' | 'pod-spec' | 'object' | 'rule-entry';

/** A fix is declared as operations on document paths; the engine turns them into text edits. */
export type FixOp =
  | { op: 'set'; path: Path; value: unknown }
  | { op: 'remove'; path: Path }
  /** Append `value` to the sequence at `path`, creating the sequence if it is missing. */
  | { op: 'add-item'; path: Path; value: unknown };

export interface FixIntent {
  confidence: FixConfidence;
  ops: FixOp[];
  /** For `review` fixes: what to check before committing the fix. */
  check?: string;
  /** Short description of the change, e.g. "set `allowPrivilegeEscalation: false`". */
  title: string;
  /** The unit the fix is grouped by (the rule's `meta.fixUnit`); set by the scan. */
  unit?: FixUnit;
}

export interface Suppression {
  by: 'annotation' | 'comment' | 'config' | 'external-annotation';
  reason?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** Rule title, for tables and SARIF. */
  title: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  /** Document path the finding is about (the offending key, or where a missing field belongs). */
  path: Path;
  resource?: ResourceId;
  container?: string;
  fingerprint: string;
  fix?: FixIntent;
  suppressed?: Suppression;
  /** Tools that reported it: `minpriv` and/or external scanners. */
  sources: string[];
  /** PSA check id and level for Pod Security Standards rules. */
  pss?: { control: string; level: PssLevel };
  /** Rules this finding also answers for (the baseline rule a restricted finding stands in for). */
  alsoFor?: string[];
  /** External scanners that reported the same problem, with their own ids (`{ tool: 'trivy', id: 'KSV-0017' }`). */
  alsoReportedBy?: { tool: string; id: string }[];
}

export type PssLevel = 'baseline' | 'restricted';

/** `style`: the file is read as Kubernetes reads it although strict YAML parsers reject it (a low-severity notice, yaml/lenient.ts). */
export type NoticeKind = 'template' | 'partial' | 'not-kubernetes' | 'skipped' | 'rule-error' | 'scanner' | 'fix-declined' | 'style';

/** Something the user should know that is not a policy violation. */
export interface Notice {
  kind: NoticeKind;
  file: string;
  line?: number;
  message: string;
  /** The work could not finish (an external scanner crashed or timed out): counts as an error under `onError`. */
  error?: boolean;
}

/** A file to scan: its path (relative, forward slashes) and its raw bytes or text. */
export interface SourceFile {
  path: string;
  content: string | Uint8Array;
}

export interface ScanResult {
  findings: Finding[];
  suppressed: Finding[];
  notices: Notice[];
  filesScanned: number;
  resourcesScanned: number;
}

/** Errors carry a code; nothing matches on message text. */
export class MinprivError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MinprivError';
  }
}

/**
 * A verified edit, as whole lines: lines `startLine..endLine` (1-based, inclusive) of the original
 * file become `lines` (without line endings). An insertion below line N is `startLine = endLine = N`
 * with `lines = [original line N, ...new lines]`, exactly the shape of a GitHub suggestion.
 */
export interface LineEdit {
  startLine: number;
  endLine: number;
  lines: string[];
}

/** A fix that passed verification: applying `edit` parses, resolves `resolves`, and changes nothing else. */
export interface VerifiedFix {
  /** Stable id: derived from the fingerprints it resolves. */
  id: string;
  file: string;
  confidence: FixConfidence;
  /** One line: what the edit does, e.g. "set `allowPrivilegeEscalation: false`; drop ALL capabilities". */
  title: string;
  /** Fingerprints of the findings this fix resolves. */
  resolves: string[];
  /** For `review` fixes: what to check first. */
  checks: string[];
  edit: LineEdit;
}

/** Right-side line range of one diff hunk (1-based, inclusive). */
export interface HunkRange {
  start: number;
  end: number;
}

export type ChangeStatus = 'added' | 'modified' | 'renamed' | 'removed' | 'copied' | 'changed' | 'unchanged';

/** One file of a change set (a PR, or `git diff BASE...HEAD`). */
export interface ChangedFile {
  path: string;
  status: ChangeStatus;
  previousPath?: string;
  /** Head content; absent for removed files or when it could not be fetched. */
  content?: string | Uint8Array;
  /** Unified diff of the file (GitHub's `patch` field); absent when too large or a pure rename. */
  patch?: string;
  /**
   * The file before the change (at `previousPath` for a rename), when the source read it: its findings are
   * "already present", and the check fails only on what the change introduced. Absent: every finding is new.
   */
  baseContent?: string | Uint8Array;
}
