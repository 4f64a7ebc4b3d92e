import type { K8sObject, Obj } from './object.js';
import type { Path } from './types.js';

export { getIn, isObj, type K8sObject, type Obj } from './object.js';

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerRef {
  name: string;
  list: ContainerList;
  index: number;
  /** Path of the container inside the document. */
  path: Path;
  value: Obj;
}

/**
 * The pod-spec view of an object: a Kubernetes object whose pod spec (or pod template) has been located,
 * built in `k8s/` for the workload kinds (Pod, Deployment, CronJob, ..., and custom kinds with a pod template).
 */
export interface Workload extends K8sObject {
  /** Path of the pod spec inside the document. */
  podSpecPath: Path;
  podSpec: Obj;
  /** Path of the pod (or pod template) metadata. */
  podMetaPath: Path;
  podMeta?: Obj;
  containers: ContainerRef[];
}

export function isWorkload(o: K8sObject): o is Workload {
  return (o as Partial<Workload>).podSpec !== undefined;
}
