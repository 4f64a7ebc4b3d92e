import type { Obj } from '../core/workload.js';
import type { PolicyRule } from './rule.js';
import type { BoundSubject, RoleRef } from './subjects.js';

/**
 * One RBAC object to index: Role, ClusterRole, RoleBinding, ClusterRoleBinding or ServiceAccount (other kinds are
 * ignored). `ref` is the caller's provenance handle (file, line…), passed through untouched.
 */
export interface RbacObject<T = unknown> {
  kind: string;
  name: string;
  namespace?: string;
  value: Obj;
  ref?: T;
}

/** Where a grant applies: everywhere (ClusterRoleBinding), or in one namespace (RoleBinding). */
export type Scope = { cluster: true } | { namespace: string };

/** A rule as written in a role, with its index in that role's `rules` list. */
export interface SourcedRule<T> {
  rule: PolicyRule;
  index: number;
  /** The role whose `rules[index]` holds the rule; for an aggregated role, the contributing role. */
  origin: RoleInfo<T>;
}

export interface RoleInfo<T> {
  kind: 'Role' | 'ClusterRole';
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  /** Effective rules: the role's own, or for an aggregated ClusterRole the union the controller writes. */
  rules: SourcedRule<T>[];
  /** True when the role has an `aggregationRule`: its own `rules` are then overwritten by the controller. */
  aggregated: boolean;
  /** Names of the ClusterRoles whose rules were aggregated, in the controller's order. */
  aggregatedFrom: string[];
  /** Why a selector could not be compiled (the API server rejects such a role; its selectors then select nothing). */
  aggregationErrors: string[];
  builtin: boolean;
  ref?: T;
}

export type Unresolved = 'not-found' | 'unsupported-kind' | 'missing-name';

export interface BindingInfo<T> {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  /** Set for a RoleBinding. */
  namespace?: string;
  roleRef: RoleRef;
  /** The referenced role, or why there is none: an unresolved binding grants nothing (until such a role appears). */
  role: RoleInfo<T> | { unresolved: Unresolved };
  subjects: BoundSubject[];
  builtin: boolean;
  ref?: T;
}

/** A rule granted by a binding, with where it applies and where it comes from. */
export interface Grant<T> {
  rule: PolicyRule;
  scope: Scope;
  binding: BindingInfo<T>;
  /** The role the binding references. */
  role: RoleInfo<T>;
  /** Where the rule is written (differs from `role` for aggregated roles). */
  source: SourcedRule<T>;
}

/** A grant reaching a subject through one of the binding's subjects (itself, or a group it belongs to). */
export interface Permission<T> extends Grant<T> {
  subject: BoundSubject;
}

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';
export interface SubjectRef {
  kind: SubjectKind;
  name: string;
  /** Required for a ServiceAccount. */
  namespace?: string;
}

export function isResolved<T>(role: BindingInfo<T>['role']): role is RoleInfo<T> {
  return !('unresolved' in role);
}
