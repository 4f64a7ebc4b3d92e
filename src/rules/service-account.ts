import type { K8sObject, ObjectIndex } from '../core/object.js';
import type { Path } from '../core/types.js';
import { isObj, type Workload } from '../core/workload.js';
import { podPath } from './helpers.js';

export interface PodServiceAccount {
  name: string;
  /** Path of the field that names it, or where `serviceAccountName` belongs when the pod names none. */
  path: Path;
  /** The pod names it (else it runs as `default`). */
  named: boolean;
}

/** The pod's ServiceAccount: `serviceAccountName`, else the deprecated `serviceAccount`, else `default` (as the API server does). */
export function podServiceAccount(w: Workload): PodServiceAccount {
  for (const field of ['serviceAccountName', 'serviceAccount'] as const) {
    const v = w.podSpec?.[field];
    if (typeof v === 'string' && v !== '') return { name: v, path: podPath(w, field), named: true };
  }
  return { name: 'default', path: podPath(w, 'serviceAccountName'), named: false };
}

/** What the ServiceAccount rules ask of a scan, worked out once per scan (per object index), not once per workload. */
interface AccountView {
  /** The first ServiceAccount of each name, in the index's order. */
  firstByName: Map<string, K8sObject>;
  /** The namespaces ServiceAccounts of the scan are in (`undefined`: written without one). */
  namespaces: Set<string | undefined>;
  /** For each ServiceAccount name that bindings name as a subject, the namespace of each such subject. */
  bound: Map<string, (string | undefined)[]>;
}

const views = new WeakMap<ObjectIndex, AccountView>();

function accountView(index: ObjectIndex): AccountView {
  const cached = views.get(index);
  if (cached) return cached;
  const view: AccountView = { firstByName: new Map(), namespaces: new Set(), bound: new Map() };
  for (const sa of index.ofKind('ServiceAccount')) {
    if (!view.firstByName.has(sa.id.name)) view.firstByName.set(sa.id.name, sa);
    view.namespaces.add(sa.id.namespace);
  }
  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    for (const b of index.ofKind(kind)) {
      const subjects = b.value.subjects;
      if (!Array.isArray(subjects)) continue;
      for (const s of subjects) {
        if (!isObj(s) || s.kind !== 'ServiceAccount' || typeof s.name !== 'string') continue;
        const ns = typeof s.namespace === 'string' ? s.namespace : kind === 'RoleBinding' ? b.id.namespace : undefined;
        const list = view.bound.get(s.name);
        if (list) list.push(ns);
        else view.bound.set(s.name, [ns]);
      }
    }
  }
  views.set(index, view);
  return view;
}

/**
 * The ServiceAccount of the scan with that name in `namespace`. A workload written without a namespace (kustomize
 * or `kubectl -n` sets it) takes a ServiceAccount of that name from any namespace.
 */
export function findServiceAccount(index: ObjectIndex, name: string, namespace: string | undefined): K8sObject | undefined {
  const found = index.get('ServiceAccount', name, namespace);
  if (found || namespace !== undefined) return found;
  return accountView(index).firstByName.get(name);
}

/** Some ServiceAccount of the scan is in `namespace` (`undefined`: one written without a namespace). */
export function hasAccountIn(index: ObjectIndex, namespace: string | undefined): boolean {
  return accountView(index).namespaces.has(namespace);
}

/**
 * Some RoleBinding or ClusterRoleBinding of the scan names the ServiceAccount as a subject: its pods are meant to call
 * the Kubernetes API. (A binding to the `system:serviceaccounts` groups says nothing about one workload.)
 */
export function isBound(index: ObjectIndex, name: string, namespace: string | undefined): boolean {
  const subjects = accountView(index).bound.get(name);
  return subjects?.some((ns) => namespace === undefined || ns === undefined || ns === namespace) ?? false;
}
