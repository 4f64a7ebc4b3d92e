import { trimRightStars } from './evaluation.js';
import { makeRule, type PolicyRule } from './rule.js';

/**
 * Escalation check: do the owner's rules allow everything the servant's rules allow? Ported from kubernetes/kubernetes@04791b4
 * `staging/src/k8s.io/component-helpers/auth/rbac/validation/policy_comparator.go` (moved there from
 * `pkg/registry/rbac/validation/policy_comparator.go`). It is syntactic, like the API server's: an owner `*` covers any
 * servant value and `*\/sub` covers `res/sub`, but an enumeration never covers a servant `*`.
 */

/** policy_comparator.go `Covers`: the servant rules broken down to atoms, and those no single owner rule covers. */
export function covers(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): { covers: boolean; uncovered: PolicyRule[] } {
  const uncovered: PolicyRule[] = [];
  for (const servantRule of servant) {
    for (const subrule of breakdownRule(servantRule)) {
      if (!owner.some((ownerRule) => ruleCovers(ownerRule, subrule))) uncovered.push(subrule);
    }
  }
  return { covers: uncovered.length === 0, uncovered };
}

/**
 * policy_comparator.go `BreakdownRule`: one rule per (group, resource, verb[, resourceName]) and per (nonResourceURL, verb).
 * A rule with no apiGroups or no resources yields no resource atoms, whatever else it says.
 */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const subrules: PolicyRule[] = [];
  for (const group of rule.apiGroups) {
    for (const resource of rule.resources) {
      for (const verb of rule.verbs) {
        if (rule.resourceNames.length > 0) {
          for (const resourceName of rule.resourceNames) {
            subrules.push(makeRule({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [resourceName] }));
          }
        } else {
          subrules.push(makeRule({ apiGroups: [group], resources: [resource], verbs: [verb] }));
        }
      }
    }
  }
  for (const nonResourceURL of rule.nonResourceURLs) {
    for (const verb of rule.verbs) subrules.push(makeRule({ nonResourceURLs: [nonResourceURL], verbs: [verb] }));
  }
  return subrules;
}

function has(set: readonly string[], ele: string): boolean {
  return set.includes(ele);
}

function hasAll(set: readonly string[], contains: readonly string[]): boolean {
  const owning = new Set(set);
  return contains.every((ele) => owning.has(ele));
}

/** policy_comparator.go `resourceCoversAll`. */
function resourceCoversAll(setResources: readonly string[], coversResources: readonly string[]): boolean {
  if (has(setResources, '*') || hasAll(setResources, coversResources)) return true;
  for (const path of coversResources) {
    if (has(setResources, path)) continue;
    const slash = path.indexOf('/');
    if (slash < 0) return false;
    if (!has(setResources, `*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

/** policy_comparator.go `nonResourceURLCovers`. */
export function nonResourceURLCovers(ownerPath: string, subPath: string): boolean {
  if (ownerPath === subPath) return true;
  return ownerPath.endsWith('*') && subPath.startsWith(trimRightStars(ownerPath));
}

/** policy_comparator.go `nonResourceURLsCoversAll`. */
function nonResourceURLsCoversAll(set: readonly string[], coversURLs: readonly string[]): boolean {
  return coversURLs.every((path) => set.some((owner) => nonResourceURLCovers(owner, path)));
}

/** policy_comparator.go `ruleCovers`: does one owner rule cover one atom from `breakdownRule`? */
export function ruleCovers(ownerRule: PolicyRule, subRule: PolicyRule): boolean {
  const verbMatches = has(ownerRule.verbs, '*') || hasAll(ownerRule.verbs, subRule.verbs);
  const groupMatches = has(ownerRule.apiGroups, '*') || hasAll(ownerRule.apiGroups, subRule.apiGroups);
  const resourceMatches = resourceCoversAll(ownerRule.resources, subRule.resources);
  const nonResourceURLMatches = nonResourceURLsCoversAll(ownerRule.nonResourceURLs, subRule.nonResourceURLs);
  const resourceNameMatches =
    subRule.resourceNames.length === 0
      ? ownerRule.resourceNames.length === 0
      : ownerRule.resourceNames.length === 0 || hasAll(ownerRule.resourceNames, subRule.resourceNames);
  return verbMatches && groupMatches && resourceMatches && resourceNameMatches && nonResourceURLMatches;
}
