/** RBAC rule validation, ported from kubernetes/kubernetes pkg/apis/rbac/validation/validation.go at 1dc8b4f2. */
import type { Obj } from '../core/workload.js';
import { asList, fieldError, type ValidationError } from './validate-shared.js';

/**
 * validation.go `ValidatePolicyRule`, for one entry of a Role's (`namespaced`) or ClusterRole's `rules`.
 * Paths are relative to the rule. `["*"]` and `[""]` count as values; an empty list does not. (Older
 * releases also refused `resourceNames` with several resources; the current source does not.)
 */
export function validatePolicyRule(rule: Obj, namespaced: boolean): ValidationError[] {
  const source = 'ValidatePolicyRule';
  const r: Obj = rule !== null && typeof rule === 'object' ? rule : {};
  const out: ValidationError[] = [];
  if (asList(r.verbs).length === 0) out.push(fieldError(['verbs'], 'Required value', 'verbs must contain at least one value', source));
  if (asList(r.nonResourceURLs).length > 0) {
    if (namespaced) out.push(fieldError(['nonResourceURLs'], 'Invalid value', 'namespaced rules cannot apply to non-resource URLs', source));
    if (asList(r.apiGroups).length > 0 || asList(r.resources).length > 0 || asList(r.resourceNames).length > 0) {
      out.push(fieldError(['nonResourceURLs'], 'Invalid value', 'rules cannot apply to both regular resources and non-resource URLs', source));
    }
    return out;
  }
  if (asList(r.apiGroups).length === 0) {
    out.push(fieldError(['apiGroups'], 'Required value', 'resource rules must supply at least one api group', source));
  }
  if (asList(r.resources).length === 0) out.push(fieldError(['resources'], 'Required value', 'resource rules must supply at least one resource', source));
  return out;
}
