import type { Notice, SourceFile } from '../core/types.js';
import { getIn, isWorkload, type Workload } from '../core/workload.js';
import { findObjects, kustomizePatches } from '../k8s/objects.js';
import { positionOf } from '../yaml/locate.js';
import { DEFAULT_LIMITS, type ParseLimits, parseYamlFile } from '../yaml/parse.js';
import type { RbacObject } from './types.js';

/** Where an RBAC object is written. `ruleLines[i]` is the line of `rules[i]` (roles only), for pointing at the rule that grants. */
export interface ObjectRef {
  file: string;
  line: number;
  kind: string;
  name: string;
  ruleLines?: number[];
}

/** A workload and the ServiceAccount it runs as (`default` when its pod spec names none). */
export interface WorkloadRef {
  kind: string;
  namespace: string;
  name: string;
  file: string;
  line: number;
  serviceAccount: string;
}

export interface RbacInputs {
  objects: RbacObject<ObjectRef>[];
  workloads: WorkloadRef[];
  /** What was not read (templates, YAML errors) and objects defined twice: the first one by path counts. */
  notes: string[];
}

const RBAC_GROUP = 'rbac.authorization.k8s.io/';
const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
// A PodTemplate describes pods but runs none.
const NOT_RUNNING = new Set(['PodTemplate']);

/**
 * The RBAC objects (Roles, ClusterRoles, bindings, ServiceAccounts; `rbac.authorization.k8s.io` and core `v1` only) and the
 * workloads of some files, with their file and line. Partial manifests (kustomize patches) define nothing and are skipped;
 * objects without a namespace get `defaultNamespace`, as `kubectl apply` without `-n` would.
 */
export function rbacInputsOf(files: readonly SourceFile[], opts: { limits?: ParseLimits; defaultNamespace?: string } = {}): RbacInputs {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const defaultNamespace = opts.defaultNamespace ?? 'default';
  const { patches, parsed: kustomizations } = kustomizePatches(files, [], limits);
  const out: RbacInputs = { objects: [], workloads: [], notes: [] };
  const unread: Notice[] = [];
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const parsed = kustomizations.get(f.path) ?? parseYamlFile(f.path, f.content, limits);
    const found = findObjects(parsed, patches.has(f.path), limits);
    if (found.kind === 'template') unread.push(found.notice);
    if (found.kind === 'error') unread.push({ kind: 'skipped', file: f.path, message: found.parsed.error?.message ?? 'unreadable' });
    if (found.kind !== 'parsed') continue;
    for (const item of found.items) {
      if (!('object' in item)) continue;
      const { object, root } = item.object;
      const { id } = object;
      if (object.partial || id.name === '') continue;
      const rbac = RBAC_KINDS.has(id.kind) && id.apiVersion.startsWith(RBAC_GROUP);
      if (rbac || (id.kind === 'ServiceAccount' && id.apiVersion === 'v1')) {
        const namespaced = id.kind !== 'ClusterRole' && id.kind !== 'ClusterRoleBinding';
        const namespace = namespaced ? (id.namespace ?? defaultNamespace) : undefined;
        const key = `${id.kind}/${namespace ?? ''}/${id.name}`;
        const first = seen.get(key);
        if (first !== undefined) {
          duplicates.push(`${id.kind} ${namespace ? `${namespace}/` : ''}${id.name} (${f.path}; ${first} counts)`);
          continue;
        }
        seen.set(key, f.path);
        const ref: ObjectRef = { file: f.path, line: item.object.line(), kind: id.kind, name: id.name };
        const rules = getIn(object.value, ['rules']);
        if (Array.isArray(rules)) ref.ruleLines = rules.map((_, i) => positionOf(parsed, root, [...id.basePath, 'rules', i]).line);
        out.objects.push({ kind: id.kind, name: id.name, ...(namespace ? { namespace } : {}), value: object.value, ref });
      } else if (isWorkload(object) && !NOT_RUNNING.has(id.kind)) {
        out.workloads.push(workloadRef(object, defaultNamespace, item.object.line()));
      }
    }
  }
  if (unread.length > 0) {
    const list = unread.slice(0, 5).map((n) => `${n.file}${n.line ? `:${n.line}` : ''}`);
    out.notes.push(`${unread.length} YAML file(s) not read for RBAC (templates or YAML errors): ${list.join(', ')}${unread.length > 5 ? ', …' : ''}`);
  }
  if (duplicates.length > 0) {
    out.notes.push(
      `${duplicates.length} object(s) defined more than once; the first by path counts: ${duplicates.slice(0, 5).join(', ')}${duplicates.length > 5 ? ', …' : ''}`,
    );
  }
  return out;
}

function workloadRef(w: Workload, defaultNamespace: string, line: number): WorkloadRef {
  // `serviceAccount` is the deprecated alias the API server still copies into serviceAccountName.
  const named = w.podSpec.serviceAccountName ?? w.podSpec.serviceAccount;
  return {
    kind: w.id.kind,
    namespace: w.id.namespace ?? defaultNamespace,
    name: w.id.name,
    file: w.id.file,
    line,
    serviceAccount: typeof named === 'string' && named !== '' ? named : 'default',
  };
}
