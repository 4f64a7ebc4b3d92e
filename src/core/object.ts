import type { Path, ResourceId } from './types.js';

export type Obj = Record<string, unknown>;

/**
 * Any parsed Kubernetes object: a Deployment, a ClusterRole, a Service, a CRD. Rules read `value` (the
 * untrusted document, never trusted to have the right shape) and report paths inside it.
 */
export interface K8sObject {
  id: ResourceId;
  value: Obj;
  /**
   * The document is a partial manifest (a kustomize patch, or an object without apiVersion/kind): only the
   * fields it sets are known, so absent fields are not findings.
   */
  partial: boolean;
}

/** A label selector as Kubernetes writes it (`metav1.LabelSelector`). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * Every complete object of one scan, read-only, for rules that need other objects (a binding needs its
 * role, a workload its ServiceAccount and Namespace). Partial manifests (patches) are not in it: they do
 * not define an object.
 */
export interface ObjectIndex {
  /** Every object of the kind, in scan order. */
  ofKind(kind: string): readonly K8sObject[];
  /**
   * The object of that kind and name in `namespace`. An object written without a namespace (kustomize or
   * `kubectl -n` sets it at deploy time) matches any namespace when no object names it exactly.
   * Cluster-scoped kinds: leave `namespace` undefined.
   */
  get(kind: string, name: string, namespace?: string): K8sObject | undefined;
  /** Objects of the kind whose `metadata.labels` match the selector (matchLabels and matchExpressions). */
  selectByLabels(kind: string, selector: LabelSelector): K8sObject[];
  /** Namespaces the scan's objects live in or declare (`kind: Namespace`). */
  readonly namespaces: ReadonlySet<string>;
  readonly size: number;
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Read a nested value without trusting the shape of untrusted input. */
export function getIn(value: unknown, path: Path): unknown {
  let cur: unknown = value;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (!isObj(cur) || !Object.hasOwn(cur, seg)) return undefined;
      cur = cur[seg];
    }
  }
  return cur;
}

/** `metadata.labels` (or `annotations`) as strings only: anything else in untrusted input is ignored. */
export function stringMap(meta: unknown, key: 'labels' | 'annotations'): Record<string, string> {
  const m = isObj(meta) ? meta[key] : undefined;
  if (!isObj(m)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'string') out[k] = v;
  return out;
}
