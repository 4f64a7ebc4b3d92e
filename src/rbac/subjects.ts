import { isObj } from '../core/workload.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS = 'system:anonymous';
export const ALL_SERVICE_ACCOUNTS = 'system:serviceaccounts';

/** A subject of a binding, defaulted as the API server stores it. */
export interface BoundSubject {
  kind: string;
  name: string;
  /** For a ServiceAccount: its namespace after defaulting to the RoleBinding's (empty in a ClusterRoleBinding if not given). */
  namespace?: string;
  apiGroup: string;
  /** Index in the binding's `subjects` list. */
  index: number;
  /** Why the API server would reject this subject (validation.go `validateRoleBindingSubject`); it still counts as the authorizer reads it. */
  problem?: string;
}

export interface RoleRef {
  kind: string;
  name: string;
  apiGroup: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Defaulting of pkg/apis/rbac/v1/defaults.go `SetDefaults_RoleBinding`/`SetDefaults_ClusterRoleBinding`: an empty apiGroup is rbac's. */
export function normalizeRoleRef(value: unknown): RoleRef {
  const ref = isObj(value) ? value : {};
  return { kind: str(ref.kind), name: str(ref.name), apiGroup: str(ref.apiGroup) || RBAC_GROUP };
}

/**
 * Read one subject: defaults of pkg/apis/rbac/v1/defaults.go `SetDefaults_Subject` (User and Group get the rbac apiGroup,
 * ServiceAccount the core one), the ServiceAccount namespace defaulting of pkg/registry/rbac/validation/rule.go
 * `appliesToUser` (a RoleBinding's own namespace), and the checks of pkg/apis/rbac/validation/validation.go
 * `validateRoleBindingSubject` reported as `problem`.
 */
export function normalizeSubject(value: unknown, index: number, bindingNamespace: string | undefined): BoundSubject {
  const s = isObj(value) ? value : {};
  const kind = str(s.kind);
  const name = str(s.name);
  const given = str(s.apiGroup);
  let apiGroup = given;
  if (given === '' && (kind === 'User' || kind === 'Group')) apiGroup = RBAC_GROUP;
  const out: BoundSubject = { kind, name, apiGroup, index };
  let problem: string | undefined;
  if (name === '') problem = 'subject name is required';
  if (kind === 'ServiceAccount') {
    const namespace = str(s.namespace) || bindingNamespace || '';
    out.namespace = namespace;
    if (apiGroup !== '') problem ??= `apiGroup of a ServiceAccount subject must be "", not ${JSON.stringify(apiGroup)}`;
    if (bindingNamespace === undefined && str(s.namespace) === '') problem ??= 'a ServiceAccount subject of a ClusterRoleBinding needs a namespace';
  } else if (kind === 'User' || kind === 'Group') {
    if (apiGroup !== RBAC_GROUP) problem ??= `apiGroup of a ${kind} subject must be ${RBAC_GROUP}`;
  } else {
    problem ??= `unsupported subject kind ${JSON.stringify(kind)}`;
  }
  if (problem) out.problem = problem;
  return out;
}

/** staging/src/k8s.io/apiserver/pkg/authentication/serviceaccount/util.go `MakeUsername`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** util.go `MakeGroupNames`. */
export function serviceAccountGroups(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS, `system:serviceaccounts:${namespace}`];
}

/** An identity as the authorizer sees it: `user.Info` name and groups. */
export interface Identity {
  user?: string;
  groups: string[];
}

/**
 * The identity a binding subject resolves to when it matches (rule.go `appliesToUser`): a User its name, a Group its
 * name, a ServiceAccount the user `system:serviceaccount:<ns>:<name>` (`serviceaccount.MatchesUsername`). A
 * ServiceAccount without a namespace, or an unknown kind, matches nobody.
 */
export function subjectKey(subject: Pick<BoundSubject, 'kind' | 'name' | 'namespace'>): string | undefined {
  switch (subject.kind) {
    case 'User':
      return `u:${subject.name}`;
    case 'Group':
      return `g:${subject.name}`;
    case 'ServiceAccount':
      return subject.namespace ? `u:${serviceAccountUsername(subject.namespace, subject.name)}` : undefined;
    default:
      return undefined;
  }
}

/**
 * The keys under which a subject's permissions are found. A ServiceAccount authenticates as its username with the groups
 * of `ServiceAccountInfo.UserInfo` plus `system:authenticated`, which
 * staging/src/k8s.io/apiserver/pkg/authentication/group/authenticated_group_adder.go adds to every authenticated user
 * except `system:anonymous` (who is in `system:unauthenticated`). A Group is only itself.
 */
export function identityKeys(subject: { kind: 'User' | 'Group' | 'ServiceAccount'; name: string; namespace?: string }, implicitGroups = true): string[] {
  if (subject.kind === 'Group') return [`g:${subject.name}`];
  const groups: string[] = [];
  let user = subject.name;
  if (subject.kind === 'ServiceAccount') {
    const ns = subject.namespace ?? '';
    user = serviceAccountUsername(ns, subject.name);
    groups.push(...serviceAccountGroups(ns));
  }
  if (implicitGroups) groups.push(user === ANONYMOUS ? ALL_UNAUTHENTICATED : ALL_AUTHENTICATED);
  return [`u:${user}`, ...groups.map((g) => `g:${g}`)];
}
