import type { Path, ResourceId } from '../core/types.js';
import { type ContainerList, type ContainerRef, getIn, isObj, type Obj, type Workload } from '../core/workload.js';

/** Where each workload kind keeps its pod template. */
const POD_SPEC_PATHS: Record<string, { spec: Path; meta: Path }> = {
  Pod: { spec: ['spec'], meta: ['metadata'] },
  PodTemplate: { spec: ['template', 'spec'], meta: ['template', 'metadata'] },
  CronJob: { spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'], meta: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'] },
};
const TEMPLATE = { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] } as const;
for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']) {
  POD_SPEC_PATHS[kind] = TEMPLATE;
}

const CONTAINER_LISTS: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers'];

export interface DocumentObject {
  /** Path of the object in its document: [] or ['items', i] for a List. */
  basePath: Path;
  value: Obj;
}

/** The Kubernetes objects of one document: the document itself, or the items of a `kind: List`. */
export function objectsOfDocument(doc: unknown): DocumentObject[] {
  if (!isObj(doc)) return [];
  const kind = doc.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(doc.items)) {
    const out: DocumentObject[] = [];
    doc.items.forEach((item, i) => {
      if (isObj(item)) out.push({ basePath: ['items', i], value: item });
    });
    return out;
  }
  return [{ basePath: [], value: doc }];
}

function podPaths(obj: Obj): { spec: Path; meta: Path } | undefined {
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const known = POD_SPEC_PATHS[kind];
  if (known) return known;
  // Custom workloads with a pod template (Argo Rollouts, OpenKruise, ...): spec.template.spec.containers.
  if (Array.isArray(getIn(obj, ['spec', 'template', 'spec', 'containers']))) return TEMPLATE;
  return undefined;
}

export function resourceId(obj: Obj, file: string, docIndex: number, basePath: Path): ResourceId {
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  const id: ResourceId = {
    apiVersion: typeof obj.apiVersion === 'string' ? obj.apiVersion : '',
    kind: typeof obj.kind === 'string' ? obj.kind : '',
    name: typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : '',
    file,
    docIndex,
    basePath,
  };
  if (typeof meta.namespace === 'string') id.namespace = meta.namespace;
  return id;
}

/**
 * Build a workload from one object. `patch` marks objects that a kustomization lists as patches.
 * Objects without apiVersion/kind, or whose containers have no image, are partial manifests too.
 */
export function toWorkload(obj: Obj, file: string, docIndex: number, basePath: Path, patch: boolean): Workload {
  const id = resourceId(obj, file, docIndex, basePath);
  const w: Workload = { id, value: obj, containers: [], partial: patch || id.apiVersion === '' || id.kind === '' };
  const paths = podPaths(obj);
  if (!paths) return w;
  const spec = getIn(obj, paths.spec);
  if (!isObj(spec)) {
    // A workload without a pod spec can only be a patch of some other field.
    w.partial = true;
    return w;
  }
  w.podSpecPath = [...basePath, ...paths.spec];
  w.podSpec = spec;
  w.podMetaPath = [...basePath, ...paths.meta];
  const meta = getIn(obj, paths.meta);
  if (isObj(meta)) w.podMeta = meta;
  for (const list of CONTAINER_LISTS) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((c, index) => {
      if (!isObj(c)) return;
      const ref: ContainerRef = {
        name: typeof c.name === 'string' ? c.name : `${list}[${index}]`,
        list,
        index,
        path: [...(w.podSpecPath as Path), list, index],
        value: c,
      };
      w.containers.push(ref);
      if (list !== 'ephemeralContainers' && c.image === undefined) w.partial = true;
    });
  }
  return w;
}
