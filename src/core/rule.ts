import type { FixIntent, Path, PssLevel, Severity } from './types.js';
import type { KubeVersion } from './version.js';
import type { ContainerRef, Workload } from './workload.js';

export type RuleCategory = 'pod-security' | 'syntax';

export interface RuleStandards {
  /** Pod Security Standards: level and PSA check id (e.g. `allowPrivilegeEscalation`). */
  pss?: { level: PssLevel; control: string };
  kubeLinter?: string[];
  trivy?: string[];
  kubescape?: string[];
  polaris?: string[];
  checkov?: string[];
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

export interface RuleContext {
  workload: Workload;
  pssVersion: KubeVersion;
  report(r: Report): void;
}

export interface Rule {
  id: string;
  meta: RuleMeta;
  /** Absent for rules the engine itself reports (e.g. `yaml-syntax`). */
  check?: (ctx: RuleContext) => void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** Run `fn` for every container of the pod spec: containers, initContainers and ephemeralContainers. */
export function forEachContainer(fn: (c: ContainerRef, ctx: RuleContext) => void): (ctx: RuleContext) => void {
  return (ctx) => {
    for (const c of ctx.workload.containers) fn(c, ctx);
  };
}
