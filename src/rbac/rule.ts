import { isObj } from '../core/workload.js';

/**
 * One entry of a Role's or ClusterRole's `rules`, as `rbac.authorization.k8s.io/v1` `PolicyRule`. Every list is present
 * (an absent or null list is `[]`), so `[]` and a missing field compare equal, as `equality.Semantic.DeepEqual` does.
 */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

export const RULE_FIELDS = ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

function strings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string');
}

/**
 * Read a rule from untrusted YAML. A non-object gives `undefined`; a field that is not a list, and list items that are
 * not strings, are dropped (the API server would reject them, so they grant nothing).
 */
export function normalizeRule(value: unknown): PolicyRule | undefined {
  if (!isObj(value)) return undefined;
  return {
    verbs: strings(value.verbs),
    apiGroups: strings(value.apiGroups),
    resources: strings(value.resources),
    resourceNames: strings(value.resourceNames),
    nonResourceURLs: strings(value.nonResourceURLs),
  };
}

/** Normalise a `rules` list, keeping each rule's index in the source list (for locating it in the YAML). */
export function normalizeRules(value: unknown): { rule: PolicyRule; index: number }[] {
  if (!Array.isArray(value)) return [];
  const out: { rule: PolicyRule; index: number }[] = [];
  value.forEach((item, index) => {
    const rule = normalizeRule(item);
    if (rule) out.push({ rule, index });
  });
  return out;
}

/** A key equal for two rules exactly when the aggregation controller's `ruleExists` (Semantic.DeepEqual) finds them equal. */
export function ruleKey(rule: PolicyRule): string {
  return JSON.stringify(RULE_FIELDS.map((f) => rule[f]));
}

/** A rule with only the given fields set, the others empty. */
export function makeRule(fields: Partial<PolicyRule>): PolicyRule {
  return { verbs: [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [], ...fields };
}
