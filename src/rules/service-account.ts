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

/**
 * The ServiceAccount of the scan with that name in `namespace`. A workload written without a namespace (kustomize
 * or `kubectl -n` sets it) takes a ServiceAccount of that name from any namespace.
 */
export function findServiceAccount(index: ObjectIndex, name: string, namespace: string | undefined): K8sObject | undefined {
  const found = index.get('ServiceAccount', name, namespace);
  if (found || namespace !== undefined) return found;
  return index.ofKind('ServiceAccount').find((sa) => sa.id.name === name);
}

/**
 * Some RoleBinding or ClusterRoleBinding of the scan names the ServiceAccount as a subject: its pods are meant to call
 * the Kubernetes API. (A binding to the `system:serviceaccounts` groups says nothing about one workload.)
 */
export function isBound(index: ObjectIndex, name: string, namespace: string | undefined): boolean {
  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    for (const b of index.ofKind(kind)) {
      const subjects = b.value.subjects;
      if (!Array.isArray(subjects)) continue;
      for (const s of subjects) {
        if (!isObj(s)) continue;
        if (s.kind !== 'ServiceAccount' || s.name !== name) continue;
        const ns = typeof s.namespace === 'string' ? s.namespace : kind === 'RoleBinding' ? b.id.namespace : undefined;
        if (namespace === undefined || ns === undefined || ns === namespace) return true;
      }
    }
  }
  return false;
}
