import type { Path, ResourceId } from './types.js';

export type Obj = Record<string, unknown>;
export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerRef {
  name: string;
  list: ContainerList;
  index: number;
  /** Path of the container inside the document. */
  path: Path;
  value: Obj;
}

/** A Kubernetes object with its pod spec (if it has one) located. */
export interface Workload {
  id: ResourceId;
  value: Obj;
  /** Path of the pod spec inside the document; undefined for objects without one. */
  podSpecPath?: Path;
  podSpec?: Obj;
  /** Path of the pod (or pod template) metadata. */
  podMetaPath?: Path;
  podMeta?: Obj;
  containers: ContainerRef[];
  /**
   * The document is a partial manifest (a kustomize patch): only the fields it sets are known, so
   * absent fields are not findings.
   */
  partial: boolean;
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
