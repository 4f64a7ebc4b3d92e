import type { Report, Rule, RuleContext } from '../core/rule.js';
import { type Finding, type Notice, type Path, pathToString, type ScanResult, type Severity, type SourceFile } from '../core/types.js';
import { type KubeVersion, LATEST_PSS_VERSION } from '../core/version.js';
import type { Obj, Workload } from '../core/workload.js';
import {
  helmValuesSetSecurityFields,
  type InlinePatch,
  inlinePatchesOf,
  isJsonPatch,
  isKustomizationFile,
  jsonPatchValues,
  patchFilesOf,
} from '../k8s/kustomize.js';
import { objectsOfDocument, toWorkload } from '../k8s/workload.js';
import { allRules } from '../rules/index.js';
import yamlSyntax from '../rules/yaml-syntax.js';
import { embeddedPlacement, type Placed, type EmbeddedView as Placement, positionIn, positionOf } from '../yaml/locate.js';
import { DEFAULT_LIMITS, type ParsedFile, type ParseLimits, parseYamlFile, releaseEvents } from '../yaml/parse.js';
import { isChartTemplatePath, templateMarker } from '../yaml/template.js';
import { fingerprint } from './fingerprint.js';
import { DEFAULT_PROFILE, isSeverity, type ProfileName, rulesForProfile, settingFor, standIn } from './profiles.js';
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
    const cur = {
      rule: rules[0] as Rule,
      ruleIds: [] as string[],
      w: undefined as unknown as Workload,
      root: 0,
      maySuppress: false,
      annotated: false,
      place: undefined as Placement | undefined,
    };
    const report = (r: Report): void => {
      const { rule, w, place } = cur;
      if (r.missing && w.partial) return;
      let at: Placed;
      if (place) at = positionIn(place, r.path, r.endAt);
      else {
        const pos = positionOf(parsed, cur.root, r.path);
        const endLine = r.endAt ? Math.max(pos.endLine, positionOf(parsed, cur.root, r.endAt).endLine) : pos.endLine;
        at = { path: r.path, line: pos.line, column: pos.column, endLine };
      }
      const stand = r.alsoFor || r.severity ? standIn(rule, r, settings, severityConfigured.has(rule)) : undefined;
      const f: Finding = {
        ruleId: rule.id,
        severity: stand ? stand.severity : rule.meta.severity,
        title: rule.meta.title,
        message: r.message,
        file: path,
        line: at.line,
        column: at.column,
        endLine: at.endLine,
        path: at.path,
        resource: w.id,
        fingerprint: fingerprint(rule.id, path, w.id, r.container, at.path),
        sources: ['minpriv'],
      };
      if (r.container !== undefined) f.container = r.container;
      // A patch's fields are not where the fix engine would write: no fix through a patch's text.
      if (r.fix && !place) f.fix = r.fix;
      if (rule.meta.standards.pss) f.pss = rule.meta.standards.pss;
      if (r.alsoFor && r.alsoFor.length > 0) f.alsoFor = [...r.alsoFor];
      if (stand?.off) f.suppressed = stand.off;
      else if (cur.maySuppress) {
        const sup = suppressionFor(
          {
            ruleIds: stand ? [...cur.ruleIds, ...stand.ids] : cur.ruleIds,
            standards: stand ? stand.standards : (rule.meta.standards as Record<string, string[] | undefined>),
            line: at.line,
          },
          cur.annotated ? w : undefined,
          comments,
        );
        if (sup) f.suppressed = sup;
      }
      findings.push(f);
    };
    const checkWorkload = (w: Workload, root: number, place: Placement | undefined, line: () => number): void => {
      resources++;
      cur.w = w;
      cur.root = root;
      cur.place = place;
      cur.annotated = hasSuppressionAnnotations(w);
      cur.maySuppress = comments.size > 0 || cur.annotated;
      const ctx: RuleContext = { workload: w, pssVersion: version, report };
      for (const rule of rules) {
        if (!rule.check) continue;
        cur.rule = rule;
        cur.ruleIds = ruleIds.get(rule) as string[];
        try {
          rule.check(ctx);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          notices.push({ kind: 'rule-error', file: path, line: line(), message: `rule ${rule.id} failed on ${w.id.kind}/${w.id.name}: ${why}` });
        }
      }
    };
    // Patches that are not manifests: JSON6902 op lists, and patches written inline in a kustomization.
    const checkJsonPatch = (ops: Obj[], base: Placement, docIndex: number, line = positionIn(base, []).line): void => {
      notices.push({ kind: 'partial', file: path, line, message: 'JSON6902 patch: only the values of its `add`/`replace` ops are checked' });
      for (const v of jsonPatchValues(ops)) {
        const w = toWorkload(v.object, path, docIndex, [], true);
        if (!w.podSpec) continue;
        const toView = (p: Path): Path => (v.pointer.every((seg, i) => p[i] === seg) ? [v.index, 'value', ...p.slice(v.pointer.length)] : [v.index, 'value']);
        checkWorkload(w, base.root, { ...base, toView }, () => line);
      }
    };
    const checkInline = (patch: InlinePatch, docIndex: number, docRoot: number): void => {
      const { line, ...at } = embeddedPlacement(parsed, docRoot, patch.path, patch.text);
      const inner = parseYamlFile(path, patch.text, limits);
      if (inner.error) {
        notices.push({ kind: 'skipped', file: path, line, message: `inline patch not checked: it does not parse (${inner.error.message})` });
        return;
      }
      for (const idoc of inner.docs) {
        const place: Placement = { ...at, view: inner, root: idoc.root, prefix: patch.path };
        if (isJsonPatch(idoc.value)) checkJsonPatch(idoc.value, place, docIndex, line);
        for (const obj of objectsOfDocument(idoc.value)) {
          const w = toWorkload(obj.value, path, docIndex, obj.basePath, true);
          if (!w.podSpec) continue;
          notices.push({ kind: 'partial', file: path, line, message: 'inline patch: only the fields it sets are checked' });
          checkWorkload(w, idoc.root, place, () => line);
        }
      }
    };
    const kustomization = isKustomizationFile(path);
    for (const doc of parsed.docs) {
      if (isJsonPatch(doc.value)) checkJsonPatch(doc.value, { view: parsed, root: doc.root, prefix: [] }, doc.index);
      for (const obj of objectsOfDocument(doc.value)) {
        const w = toWorkload(obj.value, path, doc.index, obj.basePath, isPatchFile);
        if (keepParsed) scanned.workloads.push(w);
        if (w.id.kind === 'HelmRelease' && helmValuesSetSecurityFields(w.value)) {
          const line = positionOf(parsed, doc.root, obj.basePath).line;
          notices.push({
            kind: 'skipped',
            file: path,
            line,
            message: 'HelmRelease values not checked: they set security fields; scan the rendered chart (helm template) instead',
          });
        }
        if (!w.podSpec) continue;
        if (w.partial && !partialNoticed) {
          partialNoticed = true;
          const line = positionOf(parsed, doc.root, obj.basePath).line;
          notices.push({ kind: 'partial', file: path, line, message: 'partial manifest (patch): only the fields it sets are checked' });
        }
        checkWorkload(w, doc.root, undefined, () => positionOf(parsed, doc.root, obj.basePath).line);
      }
      if (kustomization) for (const patch of inlinePatchesOf(doc.value)) checkInline(patch, doc.index, doc.root);
    }
    // Kept for fixes without its events, most of its memory: the files that get fixed derive them again.
    if (keepParsed) scanned.parsed = releaseEvents(parsed, limits);
  }
  findings.sort(compareFindings);
  const active = findings.filter((f) => !f.suppressed);
  const suppressed = findings.filter((f) => f.suppressed);
  return { findings: active, suppressed, notices, filesScanned: files.length, resourcesScanned: resources, files: out, rules };
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
