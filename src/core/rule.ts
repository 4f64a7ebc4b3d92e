import type { K8sObject, ObjectIndex } from './object.js';
import type { FixIntent, FixUnit, Path, PssLevel, Severity } from './types.js';
import type { KubeVersion } from './version.js';
import type { ContainerRef, Workload } from './workload.js';

/** What a rule is about; profiles select rules by category. */
export const RULE_CATEGORIES = ['pod-security', 'rbac', 'supply-chain', 'service-account', 'exposure', 'secrets', 'hygiene', 'syntax'] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

/**
 * What a rule runs on (kube-linter's `scope.objectKinds`, Polaris' `target`): every object with a pod spec
 * (`workloads`, the default), or the objects of the listed kinds.
 */
export type RuleTarget = 'workloads' | { kinds: readonly string[] };

export interface RuleStandards {
  /** Pod Security Standards: level and PSA check id (e.g. `allowPrivilegeEscalation`). */
  pss?: { level: PssLevel; control: string };
  kubeLinter?: string[];
  trivy?: string[];
  kubescape?: string[];
  polaris?: string[];
  checkov?: string[];
  /** Datree rule ids (`datree.skip/<id>` annotations). */
  datree?: string[];
}

export interface RuleMeta {
  title: string;
  description: string;
  rationale: string;
  remediation: string;
  severity: Severity;
  category: RuleCategory;
  standards: RuleStandards;
  fixable: boolean;
  /** At the restricted level this rule replaces the baseline rule with that id (as PSA does). */
  overrides?: string;
  /**
   * First PSS version the control exists in (PSA `MinimumVersion`). Before it the rule reports nothing
   * and its `overrides` does not apply, so the overridden baseline rule still runs.
   */
  since?: KubeVersion;
  /** Old ids that still select this rule (suppressions, config). */
  aliases?: string[];
  /**
   * The part of an object whose fixes become one edit (one suggestion). Default: the container when every
   * op stays inside one, else the pod spec, else the object.
   */
  fixUnit?: FixUnit;
}

export interface Report {
  /** Path of the offending key, or of the missing field. */
  path: Path;
  message: string;
  container?: string;
  /** The finding is about a field that is absent: not reported for partial manifests (patches). */
  missing?: boolean;
  fix?: FixIntent;
  /**
   * Severity of this finding when it is not the rule's: a restricted finding that stands in for a baseline
   * one takes the baseline rule's severity. It can raise the rule's severity, never lower it; a configured
   * severity of the rule wins over both.
   */
  severity?: Severity;
  /**
   * Ids of the rules this finding also answers for (the baseline rule a restricted one stands in for): their
   * suppressions and `off` settings cover it too, and a configured severity of theirs replaces `severity`.
   */
  alsoFor?: string[];
  /** Path of the last node the finding covers, when it spans more than `path` (several list items). */
  endAt?: Path;
}

/** The `images:` block of the configuration, as the supply-chain rules read it. */
export interface ImagePolicy {
  /** Canonical registry or repository prefixes, matched on whole components; empty or absent: any registry. */
  allowedRegistries?: readonly string[];
  /** Tags that move (default `latest`); an image without a tag always counts as mutable. */
  disallowedTags?: readonly string[];
  /** Report images not pinned by digest under every profile. */
  requireDigest?: boolean;
  /** Globs (picomatch) on the canonical name (`docker.io/library/nginx`) of images that need no digest. */
  digestExempt?: readonly string[];
  /** Registry or repository prefix → the prefix of its mirror: a safe rewrite. */
  mirrors?: Readonly<Record<string, string>>;
}

/** What every rule sees: the object, the other objects of the scan, and where to report. */
export interface ObjectContext {
  object: K8sObject;
  /**
   * Every complete object of the scan. Only for rules that set `needsIndex`: the scan then reads every file
   * before it runs any rule (streaming scans give an index that throws).
   */
  index: ObjectIndex;
  pssVersion: KubeVersion;
  /** The configured image policy (`{}` when none). */
  images: ImagePolicy;
  report(r: Report): void;
}

/** What a workload rule sees: the object's pod-spec view as well. */
export interface RuleContext extends ObjectContext {
  workload: Workload;
}

interface RuleBase {
  id: string;
  meta: RuleMeta;
  /** The rule reads `ctx.index` (other objects of the scan). */
  needsIndex?: boolean;
}

/** A rule over pod specs: runs on every object with a pod spec, patches included. */
export interface WorkloadRule extends RuleBase {
  appliesTo?: 'workloads';
  /** Absent for rules the engine itself reports (e.g. `yaml-syntax`). */
  check?: (ctx: RuleContext) => void;
}

/** A rule over objects of some kinds (ClusterRole, Service, ...). */
export interface ObjectRule extends RuleBase {
  appliesTo: { kinds: readonly string[] };
  check: (ctx: ObjectContext) => void;
}

export type Rule = WorkloadRule | ObjectRule;

/** A rule over pod specs (the default target). */
export function defineRule(rule: WorkloadRule): WorkloadRule {
  return rule;
}

/** A rule over the objects of some kinds. */
export function defineObjectRule(rule: ObjectRule): ObjectRule {
  return rule;
}

export function isObjectRule(rule: Rule): rule is ObjectRule {
  return typeof rule.appliesTo === 'object';
}

/** Run `fn` for every container of the pod spec: containers, initContainers and ephemeralContainers. */
export function forEachContainer(fn: (c: ContainerRef, ctx: RuleContext) => void): (ctx: RuleContext) => void {
  return (ctx) => {
    for (const c of ctx.workload.containers) fn(c, ctx);
  };
}
