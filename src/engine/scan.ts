import type { Report, Rule, RuleContext } from '../core/rule.js';
import { type Finding, type Notice, pathToString, type ScanResult, type Severity, type SourceFile, type Suppression, severityRank } from '../core/types.js';
import { type KubeVersion, LATEST_PSS_VERSION } from '../core/version.js';
import type { Workload } from '../core/workload.js';
import { isKustomizationFile, patchFilesOf } from '../k8s/kustomize.js';
import { objectsOfDocument, toWorkload } from '../k8s/workload.js';
import { allRules } from '../rules/index.js';
import yamlSyntax from '../rules/yaml-syntax.js';
import { positionOf } from '../yaml/locate.js';
import { DEFAULT_LIMITS, type ParsedFile, type ParseLimits, parseYamlFile } from '../yaml/parse.js';
import { isChartTemplatePath, templateMarker } from '../yaml/template.js';
import { fingerprint } from './fingerprint.js';
import { DEFAULT_PROFILE, type ProfileName, rulesForProfile } from './profiles.js';
import { hasSuppressionAnnotations, ignoreComments, suppressionFor } from './suppress.js';

export type RuleSetting = 'off' | Severity;

export interface ScanOptions {
  profile?: ProfileName;
  /** Per-rule overrides: `off`, or another severity. */
  rules?: Record<string, RuleSetting>;
  pssVersion?: KubeVersion;
  limits?: Partial<ParseLimits>;
  /** Replace the profile's rules (tests, custom builds). */
  ruleset?: readonly Rule[];
  /**
   * Keep each file's parse (text, events, position index) and workloads in `files`, for fixes
   * and reviews (default true). Reports that need only findings pass false: a file's parse is
   * then freed as soon as it is scanned, so memory holds the findings, not every file's events.
   */
  keepParsed?: boolean;
  /**
   * Files read for context only, never scanned or counted: the kustomizations next to the files
   * being scanned, which say which of them are patches (partial manifests).
   */
  contextFiles?: readonly SourceFile[];
}

export interface ScannedFile {
  path: string;
  /** Parsed text; absent for templates. */
  parsed?: ParsedFile;
  workloads: Workload[];
  template: boolean;
}

export interface ScanOutput extends ScanResult {
  files: Map<string, ScannedFile>;
  rules: readonly Rule[];
}

/** The setting of a rule in `settings`, by its id or an alias. */
export function settingFor(r: Rule, settings: Record<string, RuleSetting>): RuleSetting | undefined {
  return settings[r.id] ?? r.meta.aliases?.map((a) => settings[a]).find((s) => s !== undefined);
}

/** Select the rules to run: profile, then per-rule settings (aliases accepted). */
export function selectRules(options: ScanOptions): Rule[] {
  const base = options.ruleset ? [...options.ruleset] : rulesForProfile(options.profile ?? DEFAULT_PROFILE, allRules, options.pssVersion ?? LATEST_PSS_VERSION);
  const settings = options.rules ?? {};
  const out: Rule[] = [];
  for (const r of base) {
    const s = settingFor(r, settings);
    if (s === 'off') continue;
    out.push(s ? { ...r, meta: { ...r.meta, severity: s } } : r);
  }
  return out;
}

/** Scan files. Pure: the caller reads the files; this never throws on their content. */
export function scan(files: readonly SourceFile[], options: ScanOptions = {}): ScanOutput {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const rules = selectRules(options);
  const settings = options.rules ?? {};
  const severityConfigured = new Set(rules.filter((r) => isSeverity(settingFor(r, settings))));
  const ruleIds = new Map(rules.map((r) => [r, [r.id, ...(r.meta.aliases ?? [])]]));
  const version = options.pssVersion ?? LATEST_PSS_VERSION;
  const findings: Finding[] = [];
  const notices: Notice[] = [];
  const out = new Map<string, ScannedFile>();
  let resources = 0;

  // Kustomizations first: they say which files are patches. Then each file is parsed, scanned and,
  // unless kept, released before the next one.
  const early = new Map<string, ParsedFile>();
  const patches = new Set<string>();
  for (const f of files) {
    if (!isKustomizationFile(f.path)) continue;
    const parsed = parseYamlFile(f.path, f.content, limits);
    early.set(f.path, parsed);
    for (const doc of parsed.docs) for (const p of patchFilesOf(f.path, doc.value)) patches.add(p);
  }
  for (const f of options.contextFiles ?? []) {
    if (!isKustomizationFile(f.path) || early.has(f.path)) continue;
    for (const doc of parseYamlFile(f.path, f.content, limits).docs) for (const p of patchFilesOf(f.path, doc.value)) patches.add(p);
  }
  const keepParsed = options.keepParsed ?? true;

  for (const file of files) {
    const path = file.path;
    const parsed = early.get(path) ?? parseYamlFile(path, file.content, limits);
    const marker = parsed.error?.reason === 'too-large' ? undefined : templateMarker(parsed.text);
    if (marker && (parsed.error || marker.control || isChartTemplatePath(path))) {
      notices.push({
        kind: 'template',
        file: path,
        line: marker.line,
        message: 'not scanned: template (Helm/Go template syntax `{{ }}`); scan the rendered manifests instead',
      });
      out.set(path, { path, workloads: [], template: true });
      continue;
    }
    const scanned: ScannedFile = keepParsed ? { path, parsed, workloads: [], template: false } : { path, workloads: [], template: false };
    out.set(path, scanned);
    if (parsed.error) {
      findings.push(syntaxFinding(path, parsed.error.line, parsed.error.column, parsed.error.message));
      continue;
    }
    const comments = ignoreComments(parsed.text, parsed.lineStarts);
    const isPatchFile = patches.has(path);
    let partialNoticed = false;
    // One report callback per file, reading what it needs from `cur`: a closure per rule and
    // workload would cost more than the check itself on large scans.
    const cur = { rule: rules[0] as Rule, ruleIds: [] as string[], w: undefined as unknown as Workload, root: 0, maySuppress: false };
    const report = (r: Report): void => {
      const { rule, w } = cur;
      if (r.missing && w.partial) return;
      const pos = positionOf(parsed, cur.root, r.path);
      const endLine = r.endAt ? Math.max(pos.endLine, positionOf(parsed, cur.root, r.endAt).endLine) : pos.endLine;
      const stand = r.alsoFor || r.severity ? standIn(rule, r, settings, severityConfigured.has(rule)) : undefined;
      const f: Finding = {
        ruleId: rule.id,
        severity: stand ? stand.severity : rule.meta.severity,
        title: rule.meta.title,
        message: r.message,
        file: path,
        line: pos.line,
        column: pos.column,
        endLine,
        path: r.path,
        resource: w.id,
        fingerprint: fingerprint(rule.id, path, w.id, r.container, r.path),
        sources: ['minpriv'],
      };
      if (r.container !== undefined) f.container = r.container;
      if (r.fix) f.fix = r.fix;
      if (rule.meta.standards.pss) f.pss = rule.meta.standards.pss;
      if (r.alsoFor && r.alsoFor.length > 0) f.alsoFor = [...r.alsoFor];
      if (stand?.off) f.suppressed = stand.off;
      else if (cur.maySuppress) {
        const sup = suppressionFor(
          {
            ruleIds: stand ? [...cur.ruleIds, ...stand.ids] : cur.ruleIds,
            standards: stand ? stand.standards : (rule.meta.standards as Record<string, string[] | undefined>),
            line: pos.line,
          },
          w,
          comments,
        );
        if (sup) f.suppressed = sup;
      }
      findings.push(f);
    };
    for (const doc of parsed.docs) {
      for (const obj of objectsOfDocument(doc.value)) {
        const w = toWorkload(obj.value, path, doc.index, obj.basePath, isPatchFile);
        if (keepParsed) scanned.workloads.push(w);
        if (!w.podSpec) continue;
        resources++;
        if (w.partial && !partialNoticed) {
          partialNoticed = true;
          const line = positionOf(parsed, doc.root, obj.basePath).line;
          notices.push({ kind: 'partial', file: path, line, message: 'partial manifest (patch): only the fields it sets are checked' });
        }
        cur.w = w;
        cur.root = doc.root;
        cur.maySuppress = comments.size > 0 || hasSuppressionAnnotations(w);
        const ctx: RuleContext = { workload: w, pssVersion: version, report };
        for (const rule of rules) {
          if (!rule.check) continue;
          cur.rule = rule;
          cur.ruleIds = ruleIds.get(rule) as string[];
          try {
            rule.check(ctx);
          } catch (err) {
            const line = positionOf(parsed, doc.root, obj.basePath).line;
            const why = err instanceof Error ? err.message : String(err);
            notices.push({ kind: 'rule-error', file: path, line, message: `rule ${rule.id} failed on ${w.id.kind}/${w.id.name}: ${why}` });
          }
        }
      }
    }
  }
  findings.sort(compareFindings);
  const active = findings.filter((f) => !f.suppressed);
  const suppressed = findings.filter((f) => f.suppressed);
  return { findings: active, suppressed, notices, filesScanned: files.length, resourcesScanned: resources, files: out, rules };
}

const isSeverity = (s: RuleSetting | undefined): s is Severity => s !== undefined && s !== 'off';

interface StandIn {
  severity: Severity;
  /** Ids and aliases of the rules the finding also answers for. */
  ids: string[];
  /** The rule's crosswalk ids merged with theirs (other tools' suppression annotations). */
  standards: Record<string, string[] | undefined>;
  /** A rule it answers for is off in the configuration: the finding counts as suppressed. */
  off?: Suppression;
}

/**
 * Severity and suppression of a finding that stands in for other rules' (a restricted rule replacing a
 * baseline one). The rule's own configured severity wins; else the higher of the rule's and the finding's
 * severity, where a configured severity of a rule it answers for replaces the finding's.
 */
function standIn(rule: Rule, r: Report, settings: Record<string, RuleSetting>, configured: boolean): StandIn {
  const others = (r.alsoFor ?? []).map((id) => RULES_BY_ID.get(id)).filter((o): o is Rule => o !== undefined);
  const ids = others.flatMap((o) => [o.id, ...(o.meta.aliases ?? [])]);
  const standards: Record<string, string[] | undefined> = { ...(rule.meta.standards as Record<string, string[] | undefined>) };
  for (const o of others) {
    for (const [tool, list] of Object.entries(o.meta.standards)) {
      if (Array.isArray(list)) standards[tool] = [...new Set([...(standards[tool] ?? []), ...list])];
    }
  }
  let severity = r.severity ?? rule.meta.severity;
  const theirs = others.map((o) => settingFor(o, settings)).filter(isSeverity);
  if (theirs.length > 0) severity = theirs.reduce((a, b) => (severityRank(b) > severityRank(a) ? b : a));
  if (configured || severityRank(rule.meta.severity) > severityRank(severity)) severity = rule.meta.severity;
  const out: StandIn = { severity, ids, standards };
  const off = others.find((o) => settingFor(o, settings) === 'off');
  if (off) out.off = { by: 'config', reason: `\`${off.id}\` is off in the configuration` };
  return out;
}

const RULES_BY_ID = new Map(allRules.map((r) => [r.id, r]));

function syntaxFinding(file: string, line: number, column: number, message: string): Finding {
  return {
    ruleId: yamlSyntax.id,
    severity: yamlSyntax.meta.severity,
    title: yamlSyntax.meta.title,
    message: `${message}`,
    file,
    line,
    column,
    endLine: line,
    path: [],
    fingerprint: fingerprint(yamlSyntax.id, file, undefined, undefined, []),
    sources: ['minpriv'],
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Code-unit order, not localeCompare: the same on every machine and locale, and much faster on big scans. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    cmp(a.ruleId, b.ruleId) ||
    (a.path === b.path ? 0 : cmp(pathToString(a.path), pathToString(b.path)))
  );
}
