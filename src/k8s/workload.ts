import type { K8sObject } from '../core/object.js';
import type { Path, ResourceId } from '../core/types.js';
import { type ContainerList, type ContainerRef, getIn, isObj, type Obj, type Workload } from '../core/workload.js';

interface PodPaths {
  spec: Path;
  meta: Path;
}

const TEMPLATE: PodPaths = { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] };
/** Where each workload kind keeps its pod template. A Map: a `kind: constructor` must not find Object's. */
const POD_SPEC_PATHS = new Map<string, PodPaths>([
  ['Pod', { spec: ['spec'], meta: ['metadata'] }],
  ['PodTemplate', { spec: ['template', 'spec'], meta: ['template', 'metadata'] }],
  ['CronJob', { spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'], meta: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'] }],
  ...['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'].map((kind): [string, PodPaths] => [kind, TEMPLATE]),
]);
const TEMPLATE_CONTAINERS: Path = [...TEMPLATE.spec, 'containers'];
const ROOT: Path = [];

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
  return [{ basePath: ROOT, value: doc }];
}

function podPaths(obj: Obj): PodPaths | undefined {
  const known = typeof obj.kind === 'string' ? POD_SPEC_PATHS.get(obj.kind) : undefined;
  if (known) return known;
  // Custom workloads with a pod template (Argo Rollouts, OpenKruise, ...): spec.template.spec.containers.
  if (Array.isArray(getIn(obj, TEMPLATE_CONTAINERS))) return TEMPLATE;
  return undefined;
}

/** `base` followed by `rest`; paths are read-only, so an empty base shares `rest` itself. */
function under(base: Path, rest: Path): Path {
  return base.length === 0 ? rest : [...base, ...rest];
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
 * Build the model of one object: a `Workload` (the pod-spec view) for objects with a pod spec, a plain
 * `K8sObject` otherwise. `patch` marks objects that a kustomization lists as patches. Objects without
 * apiVersion/kind, or whose containers have no image, are partial manifests too.
 */
export function toObject(obj: Obj, file: string, docIndex: number, basePath: Path, patch: boolean): K8sObject {
  const id = resourceId(obj, file, docIndex, basePath);
  const partial = patch || id.apiVersion === '' || id.kind === '';
  const paths = podPaths(obj);
  if (!paths) return { id, value: obj, partial };
  const spec = getIn(obj, paths.spec);
  // A workload without a pod spec can only be a patch of some other field.
  if (!isObj(spec)) return { id, value: obj, partial: true };
  const podSpecPath = under(basePath, paths.spec);
  const w: Workload = { id, value: obj, partial, podSpecPath, podSpec: spec, podMetaPath: under(basePath, paths.meta), containers: [] };
  const meta = getIn(obj, paths.meta);
  if (isObj(meta)) w.podMeta = meta;
  for (const list of CONTAINER_LISTS) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    for (let index = 0; index < items.length; index++) {
      const c: unknown = items[index];
      if (!isObj(c)) continue;
      const name = typeof c.name === 'string' ? c.name : `${list}[${index}]`;
      const ref: ContainerRef = { name, list, index, path: [...podSpecPath, list, index], value: c };
      w.containers.push(ref);
      if (list !== 'ephemeralContainers' && c.image === undefined) w.partial = true;
    }
  }
  return w;
}
