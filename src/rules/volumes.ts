import type { FixIntent, Path } from '../core/types.js';
import { isObj, type Obj, type Workload } from '../core/workload.js';
import { podPath, removeItems } from './helpers.js';

export interface VolumeRef {
  index: number;
  name: string;
  path: Path;
  value: Obj;
}

/** The pod's volumes that are mappings. */
export function podVolumes(w: Workload): VolumeRef[] {
  const list = w.podSpec?.volumes;
  if (!Array.isArray(list)) return [];
  const out: VolumeRef[] = [];
  list.forEach((value, index) => {
    if (!isObj(value)) return;
    const name = typeof value.name === 'string' ? value.name : `volumes[${index}]`;
    out.push({ index, name, path: podPath(w, 'volumes', index), value });
  });
  return out;
}

/** The volume source keys of a volume (everything but its name). */
export function volumeTypes(v: VolumeRef): string[] {
  return Object.keys(v.value).filter((k) => k !== 'name' && v.value[k] !== null && v.value[k] !== undefined);
}

/** "`/var/run/docker.sock`" or "" for messages about a hostPath volume. */
export function hostPathOf(v: VolumeRef): string {
  const p = isObj(v.value.hostPath) ? v.value.hostPath.path : undefined;
  return typeof p === 'string' ? ` (\`${p}\`)` : '';
}

/** Remove a volume and every mount of it in every container, so the pod spec stays valid. */
export function removeVolumeFix(w: Workload, v: VolumeRef): FixIntent {
  const ops = removeItems(podPath(w, 'volumes'), [v.index]);
  for (const c of w.containers) {
    const mounts = c.value.volumeMounts;
    if (!Array.isArray(mounts)) continue;
    const hits = mounts.flatMap((m, i) => (isObj(m) && m.name === v.name ? [i] : []));
    ops.push(...removeItems([...c.path, 'volumeMounts'], hits));
  }
  return {
    confidence: 'review',
    title: `remove volume \`${v.name}\` and its mounts`,
    check: `the data on the node path${hostPathOf(v)} is no longer available to the containers; use a PersistentVolumeClaim, a ConfigMap or an emptyDir instead`,
    ops,
  };
}
