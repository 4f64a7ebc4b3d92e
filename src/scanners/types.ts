/** What an external scanner said, in one shape for every tool. Plain data: the runner and parsers fill it. */
import type { Severity } from '../core/types.js';

export const SCANNER_TOOLS = ['kubescape', 'trivy', 'kube-linter', 'datree'] as const;
export type ScannerTool = (typeof SCANNER_TOOLS)[number];

/** The object a result is about, as far as the tool tells (Datree gives no namespace, Trivy only a message). */
export interface ExternalResource {
  kind: string;
  name: string;
  namespace?: string;
}

/** A machine-readable change the tool proposes (Kubescape `fixPath`). Values are strings, as the tool prints them. */
export interface FixPath {
  path: string;
  value: string;
}

export interface ExternalResult {
  tool: ScannerTool;
  /** The id as the tool prints it (`KSV001`, `KSV-0001`, `C-0057`, `privileged-container`). */
  toolId: string;
  /** The canonical id the crosswalk uses (`KSV-0001`). */
  normalizedId: string;
  title: string;
  message: string;
  severity: Severity;
  /** Repository-relative path, forward slashes. */
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  resource?: ExternalResource;
  container?: string;
  /** Document path with `[n]` indexes, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  path?: string;
  fixPaths?: FixPath[];
}

export interface ScannerNotice {
  kind: 'scanner';
  message: string;
}

export type ScannerErrorCode = 'not-installed' | 'timeout' | 'crashed' | 'bad-output';

export interface ScannerError {
  code: ScannerErrorCode;
  message: string;
}

export interface ScannerRun {
  tool: ScannerTool;
  version?: string;
  results: ExternalResult[];
  notices: ScannerNotice[];
  error?: ScannerError;
}

/** Absolute path a tool may print (in the private temp dir) → repository path. */
export type PathMap = ReadonlyMap<string, string>;

/** A parser never throws: a malformed output is a `bad-output` error. */
export type ParseOutcome = { ok: true; results: ExternalResult[]; notices: ScannerNotice[]; version?: string } | { ok: false; error: ScannerError };

/** How to run one tool and read what it prints. */
export interface ToolSpec {
  tool: ScannerTool;
  /** Executable name looked up on PATH. */
  binary: string;
  /** Arguments to scan `files` (repository paths, present under the working directory). `extra` goes before the targets. */
  scanArgs(files: readonly string[], extra?: readonly string[]): string[];
  /** Arguments that print the version offline; absent when the tool's version command calls the network. */
  versionArgs?: readonly string[];
  parseVersion(stdout: string): string | undefined;
  /** Environment the tool needs to stay offline and quiet. */
  env: Readonly<Record<string, string>>;
  /** Documented exit codes of a completed scan ("findings found" included). */
  exitCodes: readonly number[];
  parse(text: string, paths: PathMap): ParseOutcome;
}
