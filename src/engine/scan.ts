import type { K8sObject } from '../core/object.js';
import type { RuleRegistry } from '../core/registry.js';
import type { ImagePolicy, Rule } from '../core/rule.js';
import { type Finding, pathToString, type ScanResult, type Severity, type SourceFile } from '../core/types.js';
import { type KubeVersion, LATEST_PSS_VERSION } from '../core/version.js';
import { buildObjectIndex, UNAVAILABLE_INDEX } from '../k8s/object-index.js';
import { type FileObjects, findObjects, kustomizePatches } from '../k8s/objects.js';
import { builtinRegistry } from '../rules/index.js';
import yamlSyntax from '../rules/yaml-syntax.js';
import { DEFAULT_LIMITS, type ParsedFile, type ParseLimits, parseYamlFile, releaseEvents } from '../yaml/parse.js';
import { fingerprint } from './fingerprint.js';
import { DEFAULT_PROFILE, isSeverity, type ProfileName, rulesForProfile, settingFor } from './profiles.js';
import { MINPRIV_SOURCES, ReportOnly } from './report-only.js';
import { applies, FileRun, type RunState } from './rule-run.js';

export type RuleSetting = 'off' | Severity;

export interface ScanOptions {
  profile?: ProfileName;
  /** Per-rule overrides: `off`, or another severity (which also switches on a rule the profile leaves out). */
  rules?: Record<string, RuleSetting>;
  pssVersion?: KubeVersion;
  limits?: Partial<ParseLimits>;
  /** The rules this build knows (default: the built-in ones). */
  registry?: RuleRegistry;
  /** Replace the profile's rules (tests, custom builds). */
  ruleset?: readonly Rule[];
  /**
   * Keep each file's parse (text, events, position index) and objects in `files`, for fixes
   * and reviews (default true). Reports that need only findings pass false: a file's parse is
   * then freed as soon as it is scanned, so memory holds the findings, not every file's events.
   */
  keepParsed?: boolean;
  /**
   * Findings for a report only (default false; `minpriv scan` without external scanners): a fix keeps its
   * title and confidence, what the reports print, and no edit operations (`ops` is empty), so nothing can
   * apply it; and the strings a finding takes from the YAML are copies of their own, so a file's text is
   * garbage once the file is scanned (see `ReportOnly`). The findings and the reports made of them are
   * otherwise the same.
   */
  reportOnly?: boolean;
  /**
   * Files read for context only, never scanned or counted: the kustomizations next to the files
   * being scanned, which say which of them are patches (partial manifests).
   */
  contextFiles?: readonly SourceFile[];
  /** The image policy of the configuration (`images:`); `requireDigest` switches `image-digest` on under any profile. */
  images?: ImagePolicy;
  /**
   * Today, as an ISO date (`2026-12-31`), for the expiry of suppressions. The scan never reads the clock:
   * the CLI and the app pass it; without it, suppressions do not expire.
   */
  now?: string;
}

export interface ScannedFile {
  path: string;
  /** Parsed text; absent for templates. */
  parsed?: ParsedFile;
  /** Every object of the file (workloads are `Workload`s: objects with their pod-spec view). */
  objects: K8sObject[];
  template: boolean;
}

export interface ScanOutput extends ScanResult {
  files: Map<string, ScannedFile>;
  rules: readonly Rule[];
}

/** Select the rules to run: profile, then per-rule settings (aliases accepted). */
export function selectRules(options: ScanOptions): Rule[] {
  const registry = options.registry ?? builtinRegistry;
  const version = options.pssVersion ?? LATEST_PSS_VERSION;
  const base = options.ruleset ? [...options.ruleset] : rulesForProfile(options.profile ?? DEFAULT_PROFILE, registry.rules, version);
  const settings = ruleSettings(options, registry);
  if (!options.ruleset) {
    // A severity switches on a rule the profile leaves out; a PSS rule that the profile replaces by its
    // restricted counterpart stays replaced (its setting applies to the findings that stand in for it).
    const replaced = new Set(base.map((r) => r.meta.overrides).filter((id) => id !== undefined));
    for (const r of registry.rules) {
      if (!base.includes(r) && r.check && !replaced.has(r.id) && isSeverity(settingFor(r, settings))) base.push(r);
    }
  }
  const out: Rule[] = [];
  for (const r of base) {
    const s = settingFor(r, settings);
    if (s === 'off') continue;
    out.push(s ? ({ ...r, meta: { ...r.meta, severity: s } } as Rule) : r);
  }
  return out;
}

const DIGEST_RULE = 'image-digest';

/** The per-rule settings, with `images.requireDigest` switching `image-digest` on unless it is configured. */
function ruleSettings(options: ScanOptions, registry: RuleRegistry): Record<string, RuleSetting> {
  const settings = options.rules ?? {};
  const rule = options.images?.requireDigest ? registry.get(DIGEST_RULE) : undefined;
  if (!rule || settingFor(rule, settings) !== undefined) return settings;
  return { ...settings, [rule.id]: rule.meta.severity };
}

/** What `scan` works out from the options before it reads a file: the rules and their settings. */
export interface PreparedScan {
  rules: Rule[];
  settings: Record<string, RuleSetting>;
  severityConfigured: ReadonlySet<Rule>;
  ruleIds: ReadonlyMap<Rule, string[]>;
}

/**
 * The rules and settings of a scan with these options, chosen once for many scans of single files
 * (verification): pass it to `scan` with the same options, or options that differ only in
 * `keepParsed`, `limits` or `contextFiles`.
 */
export function prepareScan(options: ScanOptions): PreparedScan {
  const registry = options.registry ?? builtinRegistry;
  const rules = selectRules(options);
  const settings = ruleSettings(options, registry);
  return {
    rules,
    settings,
    severityConfigured: new Set(rules.filter((r) => isSeverity(settingFor(r, settings)))),
    ruleIds: new Map(rules.map((r) => [r, [r.id, ...(r.meta.aliases ?? [])]])),
  };
}

/** How `scan` runs, beyond its options: for the fix engine. */
export interface ScanRun {
  /**
   * Keep the events of the files that have a finding of the rules run file by file, as `keepEvents` does: a review
   * reads those files' events next (their document spans and fixes); a file without one would hold them for nothing.
   */
  keepEventsWithFindings?: boolean;
  /** From `prepareScan` with the same options. */
  prepared?: PreparedScan;
  /** Keep each kept parse with its events (a file about to be fixed reads them at once). */
  keepEvents?: boolean;
  /**
   * The files that kustomizations name as patches, worked out already (`kustomizePatches` over the whole
   * scan): a scan of part of the files (a scan thread's) then needs no kustomization of its own.
   */
  patches?: ReadonlySet<string>;
}

/**
 * Scan files. Pure: the caller reads the files; this never throws on their content.
 * Finding the objects is `k8s/objects.ts`; this runs the rules on them. Rules that read other objects
 * (`needsIndex`) run once every file has been read, on an index of the whole scan; the others run file by
 * file, so a scan without them holds one file's parse at a time.
 */
export function scan(files: readonly SourceFile[], options: ScanOptions = {}, how: ScanRun = {}): ScanOutput {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const registry = options.registry ?? builtinRegistry;
  const { rules, settings, severityConfigured, ruleIds } = how.prepared ?? prepareScan(options);
  const state: RunState = {
    version: options.pssVersion ?? LATEST_PSS_VERSION,
    settings,
    severityConfigured,
    ruleIds,
    registry,
    images: options.images ?? {},
    now: options.now,
    findings: [],
    notices: [],
    resources: 0,
  };
  if (options.reportOnly) state.reportOnly = new ReportOnly();
  const streaming = rules.filter((r) => !r.needsIndex);
  const deferred = rules.filter((r) => r.needsIndex);
  const out = new Map<string, ScannedFile>();
  const later: (FileObjects & { kind: 'parsed' })[] = [];
  const everyObject: K8sObject[] = [];

  // Kustomizations first: they say which files are patches. Then each file is parsed, scanned and,
  // unless kept, released before the next one.
  const { patches, parsed: early } = how.patches
    ? { patches: how.patches, parsed: new Map<string, ParsedFile>() }
    : kustomizePatches(files, options.contextFiles ?? [], limits);
  const keepParsed = options.keepParsed ?? true;

  for (const file of files) {
    const path = file.path;
    const parsed = early.get(path) ?? parseYamlFile(path, file.content, limits);
    const found = findObjects(parsed, patches.has(path), limits);
    if (found.kind === 'template') {
      state.notices.push(found.notice);
      out.set(path, { path, objects: [], template: true });
      continue;
    }
    const scanned: ScannedFile = keepParsed ? { path, parsed, objects: [], template: false } : { path, objects: [], template: false };
    out.set(path, scanned);
    if (found.kind === 'error') {
      const e = found.parsed.error as NonNullable<ParsedFile['error']>;
      // Over the byte cap is no YAML error: the file was not read, and says so (an error under `onError`).
      if (e.reason === 'too-large') {
        state.notices.push({ kind: 'skipped', file: path, message: tooLargeNotice(e.message), error: true });
        continue;
      }
      const f = syntaxFinding(path, e.line, e.column, e.message);
      state.reportOnly?.finding(f);
      state.findings.push(f);
      continue;
    }
    // Read as kubectl reads it although js-yaml rejects it: scanned, and said once per place (yaml/lenient.ts).
    for (const n of parsed.lenient ?? []) {
      state.notices.push({ kind: 'style', file: path, line: n.line, message: `js-yaml rejects this but Kubernetes accepts it: ${n.message}` });
    }
    if (keepParsed) scanned.objects = found.objects;
    const before = state.findings.length;
    const run = new FileRun(state, parsed, UNAVAILABLE_INDEX);
    for (const item of found.items) {
      if ('notice' in item) state.notices.push(item.notice);
      else run.check(item.object, streaming);
    }
    // Kept for fixes without its events, most of its memory: the files that get fixed derive them again
    // (unless the caller fixes this file at once: `keepEvents`, or this file has a finding: `keepEventsWithFindings`).
    const keepEvents = how.keepEvents || (how.keepEventsWithFindings === true && state.findings.length > before);
    const kept = !keepParsed && deferred.length === 0 ? undefined : keepEvents ? parsed : releaseEvents(parsed, limits);
    if (keepParsed) scanned.parsed = kept;
    if (deferred.length > 0) {
      everyObject.push(...found.objects);
      if (found.items.some((i) => 'object' in i && deferred.some((r) => applies(r, i.object.object)))) {
        later.push({ ...found, parsed: kept as ParsedFile });
      }
    }
  }
  if (deferred.length > 0) {
    const index = buildObjectIndex(everyObject);
    for (const file of later) {
      const run = new FileRun(state, file.parsed, index);
      for (const item of file.items) if ('object' in item) run.check(item.object, deferred, streaming);
    }
  }
  state.findings.sort(compareFindings);
  const active = state.findings.filter((f) => !f.suppressed);
  const suppressed = state.findings.filter((f) => f.suppressed);
  return { findings: active, suppressed, notices: state.notices, filesScanned: files.length, resourcesScanned: state.resources, files: out, rules };
}

function tooLargeNotice(why: string): string {
  return `not scanned: ${why}; raise \`maxFileBytes\` in .github/minpriv.yml (or pass \`--max-bytes\`) to scan it`;
}

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
    sources: MINPRIV_SOURCES,
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
