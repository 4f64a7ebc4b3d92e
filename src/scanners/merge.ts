/**
 * Fold external scanner results into minpriv's findings. A result about the same concept (the rule's crosswalk
 * in `meta.standards`, or `CONCEPTS`) on the same file, resource and container as a finding is merged into it;
 * the rest become findings of their own (`trivy/KSV-0014`), one per concept and subject whatever the number of tools.
 */
import { hash } from 'node:crypto';
import { pushTo } from '../core/multimap.js';
import type { Rule, RuleStandards } from '../core/rule.js';
import { type Finding, type Notice, pathToString, type ResourceId, type Severity, severityRank } from '../core/types.js';
import { containerSlot, parsePath, resourceOf, UNRATED_SEVERITY } from './common.js';
import { type Concept, conceptOf } from './concepts.js';
import { normalizeTrivyId } from './trivy.js';
import type { ExternalResource, ExternalResult, ScannerRun, ScannerTool } from './types.js';

export interface ExternalRef {
  tool: ScannerTool;
  id: string;
}

export interface Located {
  line: number;
  column: number;
  endLine: number;
  /** The object at that place in minpriv's own parse: gives Trivy results (no structured resource) one. */
  resource?: ResourceId;
}

/** Where a result is in the file, from minpriv's parse: for tools without lines (Kubescape, kube-linter) or without a resource (Trivy). */
export type Locate = (file: string, resource: ExternalResource | undefined, path: string | undefined, line: number | undefined) => Located | undefined;

export interface MergeOptions {
  locate?: Locate;
}

export interface MergeResult {
  /** The input findings, with the tools that agree added to `sources`. */
  findings: Finding[];
  /** Findings only external tools reported. */
  extra: Finding[];
  /** Fingerprint → the external ids behind that finding (Finding has no field for them yet). */
  also: Map<string, ExternalRef[]>;
}

/** Preference for the id a tool-only finding is named after: tools with lines and severities first. */
const TOOL_ORDER: readonly ScannerTool[] = ['trivy', 'kubescape', 'kube-linter', 'datree'];
/** Tools that print a severity of their own. */
const RATED: ReadonlySet<ScannerTool> = new Set(['trivy', 'kubescape']);

interface Item {
  r: ExternalResult;
  resource?: ExternalResource;
  located?: Located;
  rules: ReadonlySet<string>;
  concept?: Concept;
}

const key = (tool: ScannerTool, id: string) => `${tool}\u0000${id}`;

function ruleIndex(rules: readonly Rule[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (tool: ScannerTool, id: string, ruleId: string) => pushTo(out, key(tool, id), ruleId);
  for (const rule of rules) {
    // Rules list no Datree ids today; read them if a rule ever does.
    const s: RuleStandards & { datree?: readonly string[] } = rule.meta.standards;
    for (const id of s.trivy ?? []) add('trivy', normalizeTrivyId(id), rule.id);
    for (const id of s.kubescape ?? []) add('kubescape', id.toUpperCase(), rule.id);
    for (const id of s.kubeLinter ?? []) add('kube-linter', id, rule.id);
    for (const id of s.datree ?? []) add('datree', id, rule.id);
  }
  return out;
}

/** The rules a result answers to: its own id in their crosswalk, else (Datree) the ids of its concept in other tools. */
function rulesOf(index: Map<string, string[]>, r: ExternalResult, concept: Concept | undefined): Set<string> {
  const own = index.get(key(r.tool, r.normalizedId));
  if (own) return new Set(own);
  const out = new Set<string>();
  for (const tool of TOOL_ORDER) {
    if (tool === r.tool) continue;
    for (const id of concept?.[tool] ?? []) for (const ruleId of index.get(key(tool, id)) ?? []) out.add(ruleId);
  }
  return out;
}

function sameResource(a: ExternalResource, b: ExternalResource): boolean {
  return (
    a.kind.toLowerCase() === b.kind.toLowerCase() &&
    a.name === b.name &&
    (a.namespace === undefined || b.namespace === undefined || a.namespace === b.namespace)
  );
}

/** Same container when both name it; else when both paths point into the same `containers[i]`; else unknown, so compatible. */
function sameContainer(aName: string | undefined, aPath: string | undefined, bName: string | undefined, bPath: string | undefined): boolean {
  if (aName !== undefined && bName !== undefined) return aName === bName;
  const a = containerSlot(aPath);
  const b = containerSlot(bPath);
  return a === undefined || b === undefined || a === b;
}

function span(r: ExternalResult): [number, number] | undefined {
  return r.line === undefined ? undefined : [r.line, r.endLine ?? r.line];
}

function matchesFinding(item: Item, f: Finding): boolean {
  if (item.r.file !== f.file) return false;
  if (item.resource) {
    if (!f.resource || !sameResource(item.resource, f.resource)) return false;
  } else {
    // No resource (a Trivy message that names none): the finding must lie in the lines Trivy points at.
    const s = span(item.r);
    if (!s || f.line < s[0] || f.line > s[1]) return false;
  }
  return sameContainer(item.r.container, item.r.path, f.container, pathToString(f.path));
}

function sameSubject(a: Item, b: Item): boolean {
  if (a.r.file !== b.r.file) return false;
  if (a.resource || b.resource) {
    if (!a.resource || !b.resource || !sameResource(a.resource, b.resource)) return false;
  } else {
    const sa = span(a.r);
    const sb = span(b.r);
    if (!sa || !sb || sa[0] > sb[1] || sb[0] > sa[1]) return false;
  }
  return sameContainer(a.r.container, a.r.path, b.r.container, b.r.path);
}

function sameConcept(a: Item, b: Item): boolean {
  if (a.r.tool === b.r.tool && a.r.normalizedId === b.r.normalizedId) return true;
  if (a.concept !== undefined && a.concept === b.concept) return true;
  for (const r of a.rules) if (b.rules.has(r)) return true;
  return false;
}

function refsOf(items: readonly Item[]): ExternalRef[] {
  const seen = new Set<string>();
  const out: ExternalRef[] = [];
  for (const { r } of items) {
    if (seen.has(key(r.tool, r.normalizedId))) continue;
    seen.add(key(r.tool, r.normalizedId));
    out.push({ tool: r.tool, id: r.normalizedId });
  }
  return out;
}

/** Stable identity of a tool-only finding: as `engine/fingerprint.ts`, with the container index replaced by its name. */
export function externalFingerprint(
  ruleId: string,
  file: string,
  resource: ExternalResource | undefined,
  container: string | undefined,
  path: string | undefined,
  line: number,
): string {
  // Trivy says `default` for an object without namespace; the other tools say nothing.
  const ns = resource?.namespace === 'default' ? '' : (resource?.namespace ?? '');
  // Without a resource only the line tells two results in one file apart.
  const who = resource ? `${resource.kind}/${ns}/${resource.name}` : `@${line}`;
  const where =
    path && container !== undefined ? path.replace(/\b(containers|initContainers|ephemeralContainers)\[\d+\]/, `$1[name=${container}]`) : (path ?? '');
  return hash('sha256', [ruleId, file, who, container ?? '', where].join('\u0000'), 'hex').slice(0, 16);
}

function groupSeverity(group: readonly Item[], rulesById: ReadonlyMap<string, Rule>): Severity {
  const rated = group.filter((i) => RATED.has(i.r.tool)).map((i) => i.r.severity);
  if (rated.length > 0) return rated.reduce((a, b) => (severityRank(b) > severityRank(a) ? b : a));
  for (const i of group) for (const id of i.rules) if (rulesById.has(id)) return (rulesById.get(id) as Rule).meta.severity;
  return UNRATED_SEVERITY;
}

function toFinding(group: readonly Item[], rulesById: ReadonlyMap<string, Rule>): Finding {
  const p = (group[0] as Item).r;
  const ruleId = `${p.tool}/${p.normalizedId}`;
  const withLine = group.find((i) => i.r.line !== undefined)?.r;
  const located = group.find((i) => i.located)?.located;
  const line = withLine?.line ?? located?.line ?? 1;
  const column = withLine ? (withLine.column ?? 1) : (located?.column ?? 1);
  const endLine = withLine ? (withLine.endLine ?? line) : (located?.endLine ?? line);
  const container = group.find((i) => i.r.container !== undefined)?.r.container;
  const path = group.find((i) => i.r.path)?.r.path;
  const resource = group.find((i) => i.resource)?.resource;
  const finding: Finding = {
    ruleId,
    severity: groupSeverity(group, rulesById),
    title: p.title,
    message: p.message,
    file: p.file,
    line,
    column,
    endLine,
    path: path ? parsePath(path) : [],
    fingerprint: externalFingerprint(ruleId, p.file, resource, container, path, line),
    sources: [...new Set(group.map((i) => i.r.tool))],
  };
  const resourceId = group.find((i) => i.located?.resource)?.located?.resource;
  if (resourceId) finding.resource = resourceId;
  if (container !== undefined) finding.container = container;
  return finding;
}

export function mergeExternal(findings: readonly Finding[], runs: readonly ScannerRun[], rules: readonly Rule[], options: MergeOptions = {}): MergeResult {
  const index = ruleIndex(rules);
  const rulesById = new Map(rules.map((r) => [r.id, r]));
  const order = (t: ScannerTool) => TOOL_ORDER.indexOf(t);
  const items: Item[] = runs
    .flatMap((run) => run.results)
    .sort((a, b) => order(a.tool) - order(b.tool))
    .map((r) => {
      const concept = conceptOf(r.tool, r.normalizedId);
      const item: Item = { r, rules: rulesOf(index, r, concept) };
      if (concept) item.concept = concept;
      const located = options.locate?.(r.file, r.resource, r.path, r.line);
      if (located) item.located = located;
      const resource = r.resource ?? (located?.resource && resourceOf(located.resource.kind, located.resource.name, located.resource.namespace));
      if (resource) item.resource = resource;
      return item;
    });

  const also = new Map<string, ExternalRef[]>();
  // A result merges only into findings of its file that carry one of its rules and, when it names a resource, are
  // about an object of that name (matchesFinding and the rule test): looked up by file, rule id and name instead
  // of trying every finding, so the merge stays linear in results however many objects a file holds.
  const byFileRule = new Map<string, Map<string, number[]>>();
  const add = (byRule: Map<string, number[]>, key: string, i: number) => {
    const list = byRule.get(key);
    if (!list) byRule.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  findings.forEach((f, i) => {
    let byRule = byFileRule.get(f.file);
    if (!byRule) {
      byRule = new Map();
      byFileRule.set(f.file, byRule);
    }
    for (const id of f.alsoFor ? [f.ruleId, ...f.alsoFor] : [f.ruleId]) {
      add(byRule, id, i);
      if (f.resource) add(byRule, `${id}\u0000${f.resource.name}`, i);
    }
  });
  const merged = new Map<number, Item[]>();
  const rest: Item[] = [];
  for (const item of items) {
    let hit = false;
    const byRule = item.rules.size > 0 ? byFileRule.get(item.r.file) : undefined;
    if (byRule) {
      const seen = new Set<number>();
      for (const ruleId of item.rules) {
        for (const i of byRule.get(item.resource ? `${ruleId}\u0000${item.resource.name}` : ruleId) ?? []) {
          if (seen.has(i)) continue;
          seen.add(i);
          if (!matchesFinding(item, findings[i] as Finding)) continue;
          const list = merged.get(i);
          if (list) list.push(item);
          else merged.set(i, [item]);
          hit = true;
        }
      }
    }
    if (!hit) rest.push(item);
  }

  const outFindings = findings.map((f, i) => {
    const agreeing = merged.get(i);
    if (!agreeing) return f;
    const refs = refsOf(agreeing);
    also.set(f.fingerprint, [...(also.get(f.fingerprint) ?? []), ...refs]);
    return { ...f, sources: [...new Set([...f.sources, ...agreeing.map((m) => m.r.tool)])] };
  });

  // A result joins the first group (in the order groups were made) whose first result is about the same concept
  // and subject. sameSubject holds only in one file, and only between two results that name objects of the same
  // name or two that name none: the groups are kept apart by that, and only the result's own are tried.
  const groups: Item[][] = [];
  const groupsBySubject = new Map<string, Item[][]>();
  for (const item of rest) {
    const subject = `${item.r.file}\u0000${item.resource ? `=${item.resource.name}` : '@'}`;
    let candidates = groupsBySubject.get(subject);
    if (!candidates) {
      candidates = [];
      groupsBySubject.set(subject, candidates);
    }
    const g = candidates.find((g) => sameConcept(item, g[0] as Item) && sameSubject(item, g[0] as Item));
    if (g) g.push(item);
    else {
      const created = [item];
      candidates.push(created);
      groups.push(created);
    }
  }
  const extra = groups.map((g) => {
    const f = toFinding(g, rulesById);
    also.set(f.fingerprint, [...(also.get(f.fingerprint) ?? []), ...refsOf(g)]);
    return f;
  });
  extra.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)));
  return { findings: outFindings, extra, also };
}

/** Scanner errors and notices as minpriv notices (not about one file), for the check summary. */
export function scannerNotices(runs: readonly ScannerRun[]): Notice[] {
  return runs.flatMap((run) => [
    ...(run.error ? [{ kind: 'scanner' as const, file: '', message: run.error.message }] : []),
    ...run.notices.map((n) => ({ kind: 'scanner' as const, file: '', message: n.message })),
  ]);
}
