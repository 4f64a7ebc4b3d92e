import path from 'node:path';
import { REPOSITORY_URL, ruleDocUrl } from '../core/links.js';
import type { Rule } from '../core/rule.js';
import { type Finding, type Notice, type ScanResult, type Severity, severityRank } from '../core/types.js';
import { CHUNK_SIZE, JsonStream, jsonChunks, mapped } from './json.js';
import { alsoReportedText } from './text.js';

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: rules with `security-severity`, results with
 * relative URIs under `%SRCROOT%`, 1-based regions, `partialFingerprints`, and suppressed
 * findings as results carrying `suppressions` (never dropped).
 */

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'minpriv/v1';
/** GitHub rejects a run with more results than this (a hard limit of code scanning uploads). */
export const MAX_SARIF_RESULTS = 25_000;
const INFORMATION_URI = REPOSITORY_URL;

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(s: Severity): SarifLevel {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

/** GitHub buckets: > 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, <= 3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; precision: string; 'security-severity': string; 'pss-control'?: string; 'pss-level'?: string };
}

export interface SarifLocation {
  physicalLocation: {
    /** Relative to `%SRCROOT%` inside the scanned root; an absolute `file://` URI (no base) outside it. */
    artifactLocation: { uri: string; uriBaseId?: '%SRCROOT%' };
    region: { startLine: number; startColumn: number; endLine: number };
  };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: 'inSource' | 'external'; justification?: string }[];
  /** For findings external scanners reported too: the tools (`sources`) and their ids (`alsoReportedBy`). */
  properties?: { sources: string[]; alsoReportedBy?: { tool: string; id: string }[]; also?: string };
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: 'minpriv'; informationUri: string; version: string; semanticVersion: string; rules: SarifRule[] } };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[];
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }[];
}

function pascal(id: string): string {
  return id.replace(/(^|[-_])([a-z0-9])/g, (_m, _sep: string, c: string) => c.toUpperCase());
}

function sarifRule(rule: Rule, docsUrl: string | undefined): SarifRule {
  const m = rule.meta;
  const pss = m.standards.pss;
  const tags = ['security', 'kubernetes', m.category, ...(pss ? [`pss-${pss.level}`] : [])];
  const markdown = [
    `**${m.title}**`,
    '',
    m.description,
    '',
    `*Why:* ${m.rationale}`,
    '',
    `*Fix:* ${m.remediation}`,
    ...(pss ? ['', `Pod Security Standards: \`${pss.level}\` level, control \`${pss.control}\`.`] : []),
    '',
    `[Rule documentation](${ruleDocUrl(rule.id, docsUrl)})`,
  ].join('\n');
  const properties: SarifRule['properties'] = { tags, precision: 'very-high', 'security-severity': SECURITY_SEVERITY[m.severity] };
  if (pss) {
    properties['pss-control'] = pss.control;
    properties['pss-level'] = pss.level;
  }
  return {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: m.title },
    fullDescription: { text: m.description },
    help: { text: `${m.description} ${m.rationale} Fix: ${m.remediation}`, markdown },
    helpUri: ruleDocUrl(rule.id, docsUrl),
    defaultConfiguration: { level: sarifLevel(m.severity) },
    properties,
  };
}

/** A rule that only an external scanner reported: describe it from the finding itself. */
function ruleFromFinding(f: Finding): Rule {
  return {
    id: f.ruleId,
    meta: {
      title: f.title,
      description: f.title,
      rationale: '',
      remediation: '',
      severity: f.severity,
      category: 'pod-security',
      standards: f.pss ? { pss: f.pss } : {},
      fixable: false,
    },
  };
}

/** Relative, forward-slash path as a URI reference (each segment percent-encoded). */
export function artifactUri(file: string): string {
  return file
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/** `file://` URI of an absolute path (POSIX, or a Windows drive path written with forward slashes). */
function fileUri(abs: string): string {
  const segments = abs.replace(/^\/+/, '').split('/');
  return `file:///${segments.map((seg, i) => (i === 0 && /^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg))).join('/')}`;
}

/**
 * Where a file is, for code scanning: relative paths inside the root are relative to `%SRCROOT%`; a file
 * outside it (given absolutely, or climbing out with `../`) gets an absolute `file://` URI and no base,
 * which GitHub would otherwise place under the repository.
 */
export function artifactLocation(file: string, root?: string): SarifLocation['physicalLocation']['artifactLocation'] {
  if (file.startsWith('/') || /^[A-Za-z]:\//.test(file)) return { uri: fileUri(file) };
  if (root !== undefined && (file === '..' || file.startsWith('../'))) return { uri: fileUri(path.posix.resolve(root.split(path.sep).join('/'), file)) };
  return { uri: artifactUri(file), uriBaseId: '%SRCROOT%' };
}

function location(file: string, line: number, column: number, endLine: number, root: string | undefined): SarifLocation {
  const startLine = Math.max(1, line);
  return {
    physicalLocation: {
      artifactLocation: artifactLocation(file, root),
      region: { startLine, startColumn: Math.max(1, column), endLine: Math.max(startLine, endLine) },
    },
  };
}

function resultMessage(f: Finding): string {
  const r = f.resource;
  if (!r || r.kind === '') return f.message;
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${f.message}`;
}

function notification(n: Notice, root: string | undefined): unknown {
  return {
    level: n.kind === 'rule-error' || n.error ? 'error' : 'note',
    message: { text: `${n.kind}: ${n.message}` },
    // A scanner's notice is about the run, not about one file.
    ...(n.file === '' ? {} : { locations: [location(n.file, n.line ?? 1, 1, n.line ?? 1, root)] }),
  };
}

export interface SarifOptions {
  toolVersion: string;
  /** Rules to describe (those that ran); rules that findings name but are missing here are added. */
  rules: readonly Rule[];
  /** Results per run (default MAX_SARIF_RESULTS); past it the most severe are kept and a notification says so. */
  maxResults?: number;
  /** Absolute folder the file paths are relative to (the CLI's working folder): `../` paths leave it. */
  root?: string;
  /** The public URL of the minpriv serving the rule docs (see core/links.ts); absent: the repository's files. */
  docsUrl?: string;
}

/** At most `max` findings: active before suppressed, the most severe first, in scan order otherwise. */
function capped(result: ScanResult, max: number): { kept: Finding[]; dropped: number } {
  const all = [...result.findings, ...result.suppressed];
  if (all.length <= max) return { kept: all, dropped: 0 };
  const order = all.map((f, i) => ({ f, i }));
  order.sort((a, b) => Number(!!a.f.suppressed) - Number(!!b.f.suppressed) || severityRank(b.f.severity) - severityRank(a.f.severity) || a.i - b.i);
  return { kept: order.slice(0, max).map((x) => x.f), dropped: all.length - max };
}

interface SarifPlan {
  rules: Rule[];
  docsUrl: string | undefined;
  kept: Finding[];
  toResult: (f: Finding) => SarifResult;
  notifications: unknown[];
}

function planSarif(result: ScanResult, options: SarifOptions): SarifPlan {
  const byId = new Map<string, Rule>();
  for (const r of options.rules) byId.set(r.id, r);
  const { kept, dropped } = capped(result, options.maxResults ?? MAX_SARIF_RESULTS);
  for (const f of kept) if (!byId.has(f.ruleId)) byId.set(f.ruleId, ruleFromFinding(f));
  const rules = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(rules.map((r, i) => [r.id, i]));

  const toResult = (f: Finding): SarifResult => {
    const out: SarifResult = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId) as number,
      level: sarifLevel(f.severity),
      message: { text: resultMessage(f) },
      locations: [location(f.file, f.line, f.column, f.endLine, options.root)],
      partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    };
    if (f.sources.some((s) => s !== 'minpriv')) {
      out.properties = { sources: [...f.sources] };
      const also = alsoReportedText(f);
      if (also) Object.assign(out.properties, { alsoReportedBy: (f.alsoReportedBy ?? []).map((r) => ({ tool: r.tool, id: r.id })), also });
    }
    if (f.suppressed) {
      const kind = f.suppressed.by === 'config' ? 'external' : 'inSource';
      out.suppressions = [{ kind, ...(f.suppressed.reason ? { justification: f.suppressed.reason } : {}) }];
    }
    return out;
  };

  const notifications = result.notices.map((n) => notification(n, options.root));
  if (dropped > 0) {
    notifications.push({
      level: 'warning',
      message: { text: `${dropped} more results not included: GitHub code scanning accepts at most ${kept.length} results per run (the most severe are kept)` },
    });
  }
  return { rules, docsUrl: options.docsUrl, kept, toResult, notifications };
}

/** The one run of the log, with `results` as given (an array, or a stream of them). */
function sarifRun<R>(plan: SarifPlan, toolVersion: string, results: R) {
  return {
    tool: {
      driver: {
        name: 'minpriv' as const,
        informationUri: INFORMATION_URI,
        version: toolVersion,
        semanticVersion: toolVersion,
        rules: plan.rules.map((r) => sarifRule(r, plan.docsUrl)),
      },
    },
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: plan.notifications }],
    columnKind: 'utf16CodeUnits' as const,
    results,
  };
}

export function toSarif(result: ScanResult, options: SarifOptions): SarifLog {
  const plan = planSarif(result, options);
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [sarifRun(plan, options.toolVersion, plan.kept.map(plan.toResult))] };
}

/** renderSarif's text as chunks: each result is built and written in turn, the log is never one string. */
export function renderSarifChunks(result: ScanResult, options: SarifOptions, size: number = CHUNK_SIZE): Generator<string> {
  const plan = planSarif(result, options);
  const run = sarifRun(plan, options.toolVersion, JsonStream.array(mapped(plan.kept, plan.toResult)));
  return jsonChunks(JsonStream.object({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: JsonStream.array([JsonStream.object(run)]) }), size);
}

export function renderSarif(result: ScanResult, options: SarifOptions): string {
  return `${JSON.stringify(toSarif(result, options), null, 2)}\n`;
}
