import type { Path } from '../core/types.js';
import { atLeast, type KubeVersion } from '../core/version.js';
import type { ContainerRef, Obj, Workload } from '../core/workload.js';
import { isObj } from '../core/workload.js';

/** The container's securityContext, or an empty object. */
export function containerSc(c: ContainerRef): Obj {
  return isObj(c.value.securityContext) ? c.value.securityContext : {};
}

/** The pod-level securityContext, or an empty object. */
export function podSc(w: Workload): Obj {
  return isObj(w.podSpec?.securityContext) ? (w.podSpec?.securityContext as Obj) : {};
}

export function scPath(c: ContainerRef, ...rest: Path): Path {
  return [...c.path, 'securityContext', ...rest];
}

export function podScPath(w: Workload, ...rest: Path): Path {
  return [...(w.podSpecPath ?? []), 'securityContext', ...rest];
}

export function podPath(w: Workload, ...rest: Path): Path {
  return [...(w.podSpecPath ?? []), ...rest];
}

/** `spec.os.name: windows` pods are exempt from some restricted controls from 1.25 on. */
export function isWindowsExempt(w: Workload, v: KubeVersion): boolean {
  const os = w.podSpec?.os;
  return atLeast(v, 25) && isObj(os) && os.name === 'windows';
}

/** `spec.hostUsers: false` (user namespaces) relaxes some controls from 1.35 on. */
export function userNamespaced(w: Workload, v: KubeVersion): boolean {
  return atLeast(v, 35) && w.podSpec?.hostUsers === false;
}

/** "container `app`" or "init container `setup`", for messages. */
export function describe(c: ContainerRef): string {
  const what = c.list === 'initContainers' ? 'init container' : c.list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${what} \`${c.name}\``;
}

export function fmt(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
}
