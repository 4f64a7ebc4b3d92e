import type { K8sObject } from '../core/object.js';
import type { RuleRegistry } from '../core/registry.js';
import { type ImagePolicy, isObjectRule, type ObjectContext, type Report, type Rule, type RuleContext } from '../core/rule.js';
import type { Finding, Notice, Path, Severity } from '../core/types.js';
import type { KubeVersion } from '../core/version.js';
import { isWorkload, type Workload } from '../core/workload.js';
import type { PlacedObject } from '../k8s/objects.js';
import { PathLocator, type Placed, positionIn } from '../yaml/locate.js';
import type { ParsedFile } from '../yaml/parse.js';
import { fingerprintFor, resourceKey } from './fingerprint.js';
import { standIn } from './profiles.js';
import { MINPRIV_SOURCES, type ReportOnly } from './report-only.js';
import { findSuppression, hasSuppressionAnnotations, ignoreComments } from './suppress.js';

type RuleSetting = 'off' | Severity;

/** Does the rule run on this object? */
export function applies(rule: Rule, o: K8sObject): boolean {
  if (!rule.check) return false;
  if (isObjectRule(rule)) return !!o.id.kind && rule.appliesTo.kinds.includes(o.id.kind);
  return isWorkload(o);
}

export interface RunState {
  version: KubeVersion;
  settings: Record<string, RuleSetting>;
  severityConfigured: ReadonlySet<Rule>;
  ruleIds: ReadonlyMap<Rule, string[]>;
  registry: RuleRegistry;
  images: ImagePolicy;
  now: string | undefined;
  findings: Finding[];
  notices: Notice[];
  resources: number;
  /** Set for a report-only scan: slims each finding as it is made. */
  reportOnly?: ReportOnly;
}

/**
 * Runs rules on the objects of one parsed file. One report callback per file, reading what it needs from
 * its fields: a closure per rule and object would cost more than the check itself on large scans.
 */
export class FileRun {
  private readonly comments;
  private readonly locator: PathLocator;
  private rule: Rule | undefined;
  private ids: string[] = [];
  private at: PlacedObject | undefined;
  private maySuppress = false;
  private annotated = false;
  /** `resourceKey` of the object being checked. */
  private who = '';
  private readonly ctx: RuleContext;

  constructor(
    private readonly state: RunState,
    parsed: ParsedFile,
    index: ObjectContext['index'],
  ) {
    this.comments = ignoreComments(parsed.text, parsed.lineStarts);
    this.locator = new PathLocator(parsed);
    this.ctx = {
      object: undefined as unknown as K8sObject,
      workload: undefined as unknown as Workload,
      index,
      pssVersion: state.version,
      images: state.images,
      report: (r) => this.report(r),
    };
  }

  /**
   * Run `rules` on one object; counts it as scanned when any of them applies, unless one of `counted`
   * (rules that ran on it earlier) did.
   */
  check(at: PlacedObject, rules: readonly Rule[], counted: readonly Rule[] = []): void {
    const o = at.object;
    let started = false;
    for (const rule of rules) {
      if (!applies(rule, o)) continue;
      if (!started) {
        started = true;
        if (!counted.some((r) => applies(r, o))) this.state.resources++;
        this.at = at;
        this.annotated = hasSuppressionAnnotations(o);
        this.who = resourceKey(o.id);
        this.maySuppress = this.comments.size > 0 || this.annotated;
        this.ctx.object = o;
        this.ctx.workload = o as Workload;
      }
      this.rule = rule;
      this.ids = this.state.ruleIds.get(rule) as string[];
      try {
        (rule.check as (ctx: RuleContext) => void)(this.ctx);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        this.state.notices.push({
          kind: 'rule-error',
          file: o.id.file,
          line: at.line(),
          message: `rule ${rule.id} failed on ${o.id.kind}/${o.id.name}: ${why}`,
        });
      }
    }
  }

  private report(r: Report): void {
    const rule = this.rule as Rule;
    const { object: w, root, place } = this.at as PlacedObject;
    const state = this.state;
    const settings = state.settings;
    if (r.missing && w.partial) {
      // A patch leaves what it does not set to its base, so a field it lacks is no finding; one it deletes is.
      const deleted = deletedByPatch(w.value, r.path, w.id.basePath.length);
      if (!deleted) return;
      // Keys written beside `$patch: delete` are deleted with it: no fix can add the field there.
      if (deleted === 'delete' && r.fix) r = { ...r, fix: undefined };
    }
    let at: Placed;
    if (place) at = positionIn(place, r.path, r.endAt);
    else {
      const loc = this.locator;
      loc.position(root, r.path);
      const { line, column } = loc;
      let endLine = loc.endLine;
      if (r.endAt) {
        loc.position(root, r.endAt);
        endLine = Math.max(endLine, loc.endLine);
      }
      at = { path: r.path, line, column, endLine };
    }
    const stand = r.alsoFor || r.severity ? standIn(rule, r, settings, state.severityConfigured.has(rule), state.registry) : undefined;
    const path = w.id.file;
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
      fingerprint: fingerprintFor(rule.id, path, this.who, r.container, at.path),
      sources: MINPRIV_SOURCES,
    };
    if (r.container !== undefined) f.container = r.container;
    // A patch's fields are not where the fix engine would write: no fix through a patch's text.
    if (r.fix && !place) f.fix = state.reportOnly ? r.fix : rule.meta.fixUnit ? { ...r.fix, unit: rule.meta.fixUnit } : r.fix;
    if (rule.meta.standards.pss) f.pss = rule.meta.standards.pss;
    if (r.alsoFor && r.alsoFor.length > 0) f.alsoFor = [...r.alsoFor];
    if (stand?.off) f.suppressed = stand.off;
    else if (this.maySuppress) {
      const sup = findSuppression(
        {
          ruleIds: stand ? [...this.ids, ...stand.ids] : this.ids,
          standards: stand ? stand.standards : (rule.meta.standards as Record<string, string[] | undefined>),
          line: at.line,
          container: r.container,
          now: state.now,
        },
        this.annotated ? w : undefined,
        this.comments,
      );
      if (sup && 'expired' in sup) f.message += ` (${sup.expired})`;
      else if (sup) f.suppressed = sup;
    }
    state.reportOnly?.finding(f);
    state.findings.push(f);
  }
}

/**
 * How a patch deletes what `path` names, or a mapping above it: an explicit `null` (a strategic merge patch's
 * deletion, as a JSON merge patch's), or a mapping with the directive `$patch: delete` (gone, whatever else it holds)
 * or `$patch: replace` (only the keys the patch repeats remain), per kustomize's strategic merge
 * (k8s.io/apimachinery pkg/util/strategicpatch: `deleteDirective`, `replaceDirective`); undefined when it does not.
 * `skip`: the leading segments that lead to the object in its document (a `List` item).
 */
function deletedByPatch(value: unknown, path: Path, skip: number): 'null' | 'delete' | 'replace' | undefined {
  let node: unknown = value;
  for (let i = skip; i < path.length; i++) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[path[i] as string | number];
    if (node === null) return 'null';
    if (node === undefined) return undefined;
    if (typeof node === 'object' && !Array.isArray(node)) {
      const directive = (node as Record<string, unknown>).$patch;
      if (directive === 'delete' || directive === 'replace') return directive;
    }
  }
  return undefined;
}
