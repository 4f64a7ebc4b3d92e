/** Kubernetes RBAC semantics, ported from Kubernetes' own source: pure functions and data, no I/O. */
export { aggregateClusterRoles, aggregationSelectors } from './aggregate.js';
export { BUILTIN_CLUSTER_ROLE_BINDINGS } from './builtin-bindings.js';
export { BUILTIN_CLUSTER_ROLES } from './builtin-roles.js';
export { breakdownRule, covers, nonResourceURLCovers, ruleCovers } from './covers.js';
export {
  apiGroupMatches,
  isResourceRequest,
  type NonResourceAttrs,
  nonResourceURLMatches,
  type RequestAttrs,
  type ResourceAttrs,
  resourceMatches,
  resourceNameMatches,
  ruleAllows,
  rulesAllow,
  verbMatches,
} from './evaluation.js';
export { createRbacIndex, type RbacIndex, type RbacIndexOptions, type ServiceAccountInfo } from './resolver.js';
export { classifyRule, type RiskId, type RiskMatch } from './risk.js';
export { makeRule, normalizeRule, normalizeRules, type PolicyRule, type RuleField, ruleKey } from './rule.js';
export { compileSelector, labelsOf, selectorMatches } from './selector.js';
export { type BoundSubject, identityKeys, normalizeSubject, type RoleRef, serviceAccountGroups, serviceAccountUsername } from './subjects.js';
export type { BindingInfo, Grant, Permission, RbacObject, RoleInfo, Scope, SourcedRule, SubjectKind, SubjectRef, Unresolved } from './types.js';
export { isResolved } from './types.js';
