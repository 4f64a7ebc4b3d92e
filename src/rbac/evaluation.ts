import type { PolicyRule } from './rule.js';

/**
 * Matching of one request against one rule, ported from kubernetes/kubernetes@03bf11a
 * `pkg/apis/rbac/v1/evaluation_helpers.go` and `plugin/pkg/auth/authorizer/rbac/rbac.go` (`RuleAllows`, `RulesAllow`).
 * Every comparison is exact and case-sensitive; the only wildcards are `*` (whole field), `*\/<subresource>` in
 * resources, and a trailing `*` in nonResourceURLs. `pods/*` is not a wildcard: it matches only a request for the
 * literal resource `pods/*`.
 */

/** A request for an API object: `resource` is the plural (`pods`), `subresource` the part after it (`exec`). */
export interface ResourceAttrs {
  verb: string;
  /** `''` is the core group. */
  apiGroup: string;
  resource: string;
  subresource?: string;
  /** Object name; absent for list, watch, create and deletecollection, so a rule with resourceNames does not allow them. */
  name?: string;
  /** Absent for cluster-scoped resources. */
  namespace?: string;
}

/** A request for a non-resource URL such as `/healthz`; never namespaced. */
export interface NonResourceAttrs {
  verb: string;
  path: string;
}

export type RequestAttrs = ResourceAttrs | NonResourceAttrs;

export function isResourceRequest(attrs: RequestAttrs): attrs is ResourceAttrs {
  return !('path' in attrs);
}

/** evaluation_helpers.go `VerbMatches`. */
export function verbMatches(rule: PolicyRule, requestedVerb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === requestedVerb);
}

/** evaluation_helpers.go `APIGroupMatches`. */
export function apiGroupMatches(rule: PolicyRule, requestedGroup: string): boolean {
  return rule.apiGroups.some((g) => g === '*' || g === requestedGroup);
}

/** evaluation_helpers.go `ResourceMatches`: `*`, the exact `resource[/subresource]`, or `*\/subresource`. */
export function resourceMatches(rule: PolicyRule, combinedRequestedResource: string, requestedSubresource: string): boolean {
  for (const ruleResource of rule.resources) {
    if (ruleResource === '*') return true;
    if (ruleResource === combinedRequestedResource) return true;
    if (requestedSubresource.length === 0) continue;
    if (ruleResource.length === requestedSubresource.length + 2 && ruleResource.startsWith('*/') && ruleResource.endsWith(requestedSubresource)) {
      return true;
    }
  }
  return false;
}

/** evaluation_helpers.go `ResourceNameMatches`: an empty list matches every name, including none. */
export function resourceNameMatches(rule: PolicyRule, requestedName: string): boolean {
  if (rule.resourceNames.length === 0) return true;
  return rule.resourceNames.includes(requestedName);
}

/** Go `strings.TrimRight(s, "*")`. */
export function trimRightStars(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '*') end--;
  return s.slice(0, end);
}

/** evaluation_helpers.go `NonResourceURLMatches`: `*`, exact, or a prefix ending in `*`. */
export function nonResourceURLMatches(rule: PolicyRule, requestedURL: string): boolean {
  for (const ruleURL of rule.nonResourceURLs) {
    if (ruleURL === '*') return true;
    if (ruleURL === requestedURL) return true;
    if (ruleURL.endsWith('*') && requestedURL.startsWith(trimRightStars(ruleURL))) return true;
  }
  return false;
}

/** The resource as rules name it: `pods` or `pods/exec`. */
export function combinedResource(attrs: ResourceAttrs): string {
  const sub = attrs.subresource ?? '';
  return sub.length > 0 ? `${attrs.resource}/${sub}` : attrs.resource;
}

/** rbac.go `RuleAllows`. The request's namespace is not looked at: scope is the binding's business. */
export function ruleAllows(rule: PolicyRule, attrs: RequestAttrs): boolean {
  if (isResourceRequest(attrs)) {
    return (
      verbMatches(rule, attrs.verb) &&
      apiGroupMatches(rule, attrs.apiGroup) &&
      resourceMatches(rule, combinedResource(attrs), attrs.subresource ?? '') &&
      resourceNameMatches(rule, attrs.name ?? '')
    );
  }
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path);
}

/** rbac.go `RulesAllow`. */
export function rulesAllow(rules: readonly PolicyRule[], attrs: RequestAttrs): boolean {
  return rules.some((rule) => ruleAllows(rule, attrs));
}
