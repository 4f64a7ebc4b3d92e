import type { Obj } from '../core/workload.js';
import type { RbacObject } from './types.js';

/** Compact spelling of the bootstrap catalogue: space-separated lists, expanded to the API's shape. */

export const READ = 'get list watch';
export const WRITE = 'create delete deletecollection patch update';
export const READ_WRITE = 'create delete deletecollection get list patch update watch';
export const EVENTS = 'create patch update';
export const AGGREGATE_TO = 'rbac.authorization.k8s.io/aggregate-to-';

/** A resource rule. `apiGroups` is a list because `''` (core) does not survive splitting. */
export function r(apiGroups: string[], resources: string, verbs: string, resourceName?: string): Obj {
  const rule: Obj = { apiGroups, resources: resources.split(' '), verbs: verbs.split(' ') };
  if (resourceName !== undefined) rule.resourceNames = [resourceName];
  return rule;
}

/** A non-resource URL rule. */
export function urls(nonResourceURLs: string, verbs: string): Obj {
  return { nonResourceURLs: nonResourceURLs.split(' '), verbs: verbs.split(' ') };
}

/** A bootstrap ClusterRole: every one carries `kubernetes.io/bootstrapping: rbac-defaults` (policy.go `addClusterRoleLabel`). */
export function clusterRole(name: string, rules: Obj[], opts: { labels?: Record<string, string>; aggregateFrom?: string } = {}): RbacObject<never> {
  const value: Obj = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...opts.labels } },
  };
  if (opts.aggregateFrom) value.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [opts.aggregateFrom]: 'true' } }] };
  else value.rules = rules;
  return { kind: 'ClusterRole', name, value };
}

/** A bootstrap ClusterRoleBinding (policy.go `clusterRoleBindings`): `[kind, name]`, or `['ServiceAccount', name, namespace]`. */
export function clusterRoleBinding(
  role: string,
  ...subjects: [kind: 'User' | 'Group' | 'ServiceAccount', name: string, namespace?: string][]
): RbacObject<never> {
  const subs = subjects.map(([kind, name, namespace]) =>
    kind === 'ServiceAccount' ? { kind, name, namespace } : { kind, name, apiGroup: 'rbac.authorization.k8s.io' },
  );
  const value: Obj = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: role, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: subs,
  };
  return { kind: 'ClusterRoleBinding', name: role, value };
}
