import { pushTo } from '../core/multimap.js';
import { isObj } from '../core/workload.js';
import { aggregateClusterRoles, aggregationSelectors } from './aggregate.js';
import { BUILTIN_CLUSTER_ROLE_BINDINGS } from './builtin-bindings.js';
import { BUILTIN_CLUSTER_ROLES } from './builtin-roles.js';
import { isResourceRequest, type RequestAttrs, ruleAllows } from './evaluation.js';
import { normalizeRules, type PolicyRule } from './rule.js';
import { type CompiledSelector, labelsOf } from './selector.js';
import { type BoundSubject, identityKeys, normalizeRoleRef, normalizeSubject, subjectKey } from './subjects.js';
import type { BindingInfo, Grant, Permission, RbacObject, RoleInfo, SubjectRef, Unresolved } from './types.js';
import { isResolved } from './types.js';

export interface RbacIndexOptions {
  /** Add the bootstrap ClusterRoles and ClusterRoleBindings (default true). An input object of the same name replaces one. */
  builtins?: boolean;
  /** Namespace of a Role, RoleBinding or ServiceAccount that names none (default `default`, as `kubectl apply` without `-n`). */
  defaultNamespace?: string;
}

export interface ServiceAccountInfo<T> {
  name: string;
  namespace: string;
  ref?: T;
}

export interface RbacIndex<T> {
  roles: RoleInfo<T>[];
  bindings: BindingInfo<T>[];
  serviceAccounts: ServiceAccountInfo<T>[];
  /** A Role (namespace required) or ClusterRole by name. */
  role(kind: 'Role' | 'ClusterRole', name: string, namespace?: string): RoleInfo<T> | undefined;
  /** Bindings whose roleRef resolves to this role. */
  bindingsTo(role: RoleInfo<T>): BindingInfo<T>[];
  /** The rules a binding grants, with scope; none if its role is unresolved. */
  grantsOf(binding: BindingInfo<T>): Grant<T>[];
  subjectsOf(binding: BindingInfo<T>): BoundSubject[];
  /**
   * Everything a User, Group or ServiceAccount is granted, directly or through its groups (see `identityKeys`);
   * `groups` adds memberships only an identity provider knows, `implicitGroups: false` drops `system:authenticated`.
   */
  permissionsOf(subject: SubjectRef, opts?: { implicitGroups?: boolean; groups?: readonly string[] }): Permission<T>[];
  /** Binding subjects allowed to make the request, one entry per (binding, subject), with the first rule that allows it. */
  whoCan(attrs: RequestAttrs): Permission<T>[];
}

const roleKey = (kind: string, name: string, namespace?: string): string => (kind === 'Role' ? `Role/${namespace}/${name}` : `ClusterRole/${name}`);

/** Build the index: roles by (kind, namespace, name), aggregation resolved, bindings resolved and indexed by subject. */
export function createRbacIndex<T>(objects: readonly RbacObject<T>[], options: RbacIndexOptions = {}): RbacIndex<T> {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const inputs: { obj: RbacObject<T>; builtin: boolean }[] = objects.map((obj) => ({ obj, builtin: false }));
  if (options.builtins ?? true) {
    for (const obj of [...BUILTIN_CLUSTER_ROLES, ...BUILTIN_CLUSTER_ROLE_BINDINGS]) inputs.push({ obj, builtin: true });
  }
  const nsOf = (obj: RbacObject<T>): string => obj.namespace || defaultNamespace;

  const roles: RoleInfo<T>[] = [];
  const roleByKey = new Map<string, RoleInfo<T>>();
  const selectorsOf = new Map<RoleInfo<T>, CompiledSelector[]>();
  const serviceAccounts: ServiceAccountInfo<T>[] = [];
  for (const { obj, builtin } of inputs) {
    if (obj.kind === 'ServiceAccount') serviceAccounts.push({ name: obj.name, namespace: nsOf(obj), ...refOf(obj) });
    if (obj.kind !== 'Role' && obj.kind !== 'ClusterRole') continue;
    const namespace = obj.kind === 'Role' ? nsOf(obj) : undefined;
    const key = roleKey(obj.kind, obj.name, namespace);
    // First definition wins, so input objects shadow the built-ins of the same name.
    if (roleByKey.has(key)) continue;
    const role: RoleInfo<T> = {
      kind: obj.kind,
      name: obj.name,
      ...(namespace === undefined ? {} : { namespace }),
      labels: labelsOf(obj.value),
      rules: [],
      aggregated: false,
      aggregatedFrom: [],
      aggregationErrors: [],
      builtin,
      ...refOf(obj),
    };
    role.rules = normalizeRules(obj.value.rules).map(({ rule, index }) => ({ rule, index, origin: role }));
    const aggregation = obj.kind === 'ClusterRole' ? aggregationSelectors(obj.value) : undefined;
    if (aggregation) {
      role.aggregated = true;
      role.aggregationErrors = aggregation.errors;
      selectorsOf.set(role, aggregation.selectors);
    }
    roles.push(role);
    roleByKey.set(key, role);
  }
  aggregateClusterRoles(
    roles.filter((r) => r.kind === 'ClusterRole'),
    selectorsOf,
  );

  const bindings: BindingInfo<T>[] = [];
  const seenBindings = new Set<string>();
  const bySubject = new Map<string, { binding: BindingInfo<T>; subject: BoundSubject }[]>();
  const byRole = new Map<RoleInfo<T>, BindingInfo<T>[]>();
  const clusterBindings: BindingInfo<T>[] = [];
  const bindingsByNamespace = new Map<string, BindingInfo<T>[]>();
  for (const { obj, builtin } of inputs) {
    if (obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding') continue;
    const namespace = obj.kind === 'RoleBinding' ? nsOf(obj) : undefined;
    const key = `${obj.kind}/${namespace ?? ''}/${obj.name}`;
    if (seenBindings.has(key)) continue;
    seenBindings.add(key);
    const roleRef = normalizeRoleRef(obj.value.roleRef);
    const subjectList = Array.isArray(obj.value.subjects) ? obj.value.subjects : [];
    const binding: BindingInfo<T> = {
      kind: obj.kind,
      name: obj.name,
      ...(namespace === undefined ? {} : { namespace }),
      roleRef,
      role: resolveRoleRef(roleByKey, obj.kind, roleRef, namespace),
      subjects: subjectList.map((s, i) => normalizeSubject(isObj(s) ? s : {}, i, namespace)),
      builtin,
      ...refOf(obj),
    };
    bindings.push(binding);
    if (namespace === undefined) clusterBindings.push(binding);
    else pushTo(bindingsByNamespace, namespace, binding);
    if (isResolved(binding.role)) pushTo(byRole, binding.role, binding);
    for (const subject of binding.subjects) {
      const k = subjectKey(subject);
      if (k !== undefined) pushTo(bySubject, k, { binding, subject });
    }
  }

  const grantsOf = (binding: BindingInfo<T>): Grant<T>[] => {
    const role = binding.role;
    if (!isResolved(role)) return [];
    const scope = binding.namespace === undefined ? ({ cluster: true } as const) : { namespace: binding.namespace };
    return role.rules.map((source) => ({ rule: source.rule, scope, binding, role, source }));
  };

  return {
    roles,
    bindings,
    serviceAccounts,
    role: (kind, name, namespace) => roleByKey.get(roleKey(kind, name, namespace)),
    bindingsTo: (role) => byRole.get(role) ?? [],
    grantsOf,
    subjectsOf: (binding) => binding.subjects,
    permissionsOf(subject, opts = {}) {
      // rule.go `appliesTo`: a binding counts once, through its first subject that matches the identity.
      const first = new Map<BindingInfo<T>, BoundSubject>();
      const keys = [...identityKeys(subject, opts.implicitGroups ?? true), ...(opts.groups ?? []).map((g) => `g:${g}`)];
      for (const key of keys) {
        for (const { binding, subject: s } of bySubject.get(key) ?? []) {
          const prev = first.get(binding);
          if (!prev || s.index < prev.index) first.set(binding, s);
        }
      }
      const out: Permission<T>[] = [];
      for (const [binding, s] of first) {
        for (const grant of grantsOf(binding)) {
          const rule = heldThrough(grant);
          if (rule) out.push({ ...grant, rule, subject: s });
        }
      }
      return out;
    },
    whoCan(attrs) {
      // rule.go `VisitRulesFor`: ClusterRoleBindings always, RoleBindings only of the request's namespace.
      const namespace = isResourceRequest(attrs) ? attrs.namespace : undefined;
      const candidates = namespace ? [...clusterBindings, ...(bindingsByNamespace.get(namespace) ?? [])] : clusterBindings;
      const out: Permission<T>[] = [];
      for (const binding of candidates) {
        const grant = grantsOf(binding).find((g) => ruleAllows(g.rule, attrs));
        if (!grant) continue;
        for (const subject of binding.subjects) if (subjectKey(subject) !== undefined) out.push({ ...grant, subject });
      }
      return out;
    },
  };
}

/** rule.go `GetRoleReferenceRules`: a RoleBinding's Role is looked up in the binding's namespace; a ClusterRoleBinding takes ClusterRoles only. */
function resolveRoleRef<T>(
  roleByKey: ReadonlyMap<string, RoleInfo<T>>,
  bindingKind: 'RoleBinding' | 'ClusterRoleBinding',
  roleRef: { kind: string; name: string },
  namespace: string | undefined,
): RoleInfo<T> | { unresolved: Unresolved } {
  if (roleRef.name === '') return { unresolved: 'missing-name' };
  const supported = roleRef.kind === 'ClusterRole' || (roleRef.kind === 'Role' && bindingKind === 'RoleBinding');
  if (!supported) return { unresolved: 'unsupported-kind' };
  return roleByKey.get(roleKey(roleRef.kind, roleRef.name, namespace)) ?? { unresolved: 'not-found' };
}

function refOf<T>(obj: RbacObject<T>): { ref?: T } {
  return obj.ref === undefined ? {} : { ref: obj.ref };
}

/**
 * What a grant's rule lets its subjects do. A RoleBinding answers only requests in its namespace, and a request for a
 * non-resource URL has none (rule.go `VisitRulesFor` visits RoleBindings only for the request's namespace), so the
 * `nonResourceURLs` of a ClusterRole bound by a RoleBinding grant nothing: a rule of only those is no permission, and
 * the resource part of a rule that (invalidly) names both is all it grants.
 */
function heldThrough<T>(grant: Grant<T>): PolicyRule | undefined {
  const rule = grant.rule;
  if ('cluster' in grant.scope || rule.nonResourceURLs.length === 0) return rule;
  return rule.resources.length > 0 ? { ...rule, nonResourceURLs: [] } : undefined;
}
