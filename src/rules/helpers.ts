import type { FixOp, Path } from '../core/types.js';
import { atLeast, type KubeVersion } from '../core/version.js';
import type { ContainerRef, Obj, Workload } from '../core/workload.js';
import { isObj } from '../core/workload.js';

// Shared by every absent securityContext: rules only read it, and one object per container and rule
// was most of what the rules allocated on a large scan.
const NONE: Obj = Object.freeze({});

/** The container's securityContext, or an empty object (read-only). */
export function containerSc(c: ContainerRef): Obj {
  const sc = c.value.securityContext;
  return isObj(sc) ? sc : NONE;
}

/** The pod-level securityContext, or an empty object (read-only). */
export function podSc(w: Workload): Obj {
  const sc = w.podSpec?.securityContext;
  return isObj(sc) ? sc : NONE;
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

/**
 * The pod runs Windows HostProcess containers (pod or any container sets `windowsOptions.hostProcess`).
 * Kubernetes then requires `hostNetwork: true` and refuses `runAsNonRoot: true`, so fixes of those wait.
 */
export function runsHostProcess(w: Workload): boolean {
  if (hostProcessOn(w.podSpec?.securityContext)) return true;
  for (const c of w.containers) if (hostProcessOn(c.value.securityContext)) return true;
  return false;
}

function hostProcessOn(sc: unknown): boolean {
  return isObj(sc) && isObj(sc.windowsOptions) && isOn(sc.windowsOptions.hostProcess);
}

/**
 * The container cannot run as root: its effective `runAsUser` (the container's, else the pod's, as the kubelet
 * merges them in pkg/securitycontext/util.go `DetermineEffectiveSecurityContext`) is a user other than 0, or,
 * with none set, its effective `runAsNonRoot` is true (the kubelet then refuses to start it as root:
 * pkg/kubelet/kuberuntime/security_context_others.go `verifyRunAsNonRoot`). Otherwise the image decides.
 */
export function runsAsNonRoot(w: Workload, c: ContainerRef): boolean {
  const own = containerSc(c);
  const pod = podSc(w);
  const user = own.runAsUser ?? pod.runAsUser;
  if (typeof user === 'number') return user > 0;
  return (own.runAsNonRoot ?? pod.runAsNonRoot) === true;
}

/** "container `app`" or "init container `setup`", for messages. */
export function describe(c: ContainerRef): string {
  const what = c.list === 'initContainers' ? 'init container' : c.list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${what} \`${c.name}\``;
}

/** A value as it would read in YAML: plain words bare, anything ambiguous JSON-quoted. */
export function fmt(v: unknown): string {
  if (typeof v === 'string') return /^[A-Za-z_][\w./-]*$/.test(v) && !/^(true|false|yes|no|on|off|null)$/i.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

/** Kubernetes reads a boolean field as on when it is present and not false/null; odd values fail closed. */
export function isOn(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false;
}

/** "`a`, `b`" for messages. */
export function codeList(items: readonly string[]): string {
  return items.map((i) => `\`${i}\``).join(', ');
}

export function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** Remove ops for items of one list, highest index first so no removal shifts a later one. */
export function removeItems(listPath: Path, indexes: readonly number[]): FixOp[] {
  return [...new Set(indexes)].sort((a, b) => b - a).map((i) => ({ op: 'remove' as const, path: [...listPath, i] }));
}

/** The items of a list as text with their index; non-string items keep a readable form so they fail closed. */
export function listItems(v: unknown): { index: number; value: string }[] {
  if (!Array.isArray(v)) return [];
  return v.map((item, index) => ({ index, value: typeof item === 'string' ? item : (JSON.stringify(item) ?? String(item)) }));
}

/** The PSS version a rule starts at, for `meta.since`. */
export function v1(minor: number): KubeVersion {
  return { major: 1, minor };
}

/** The control exists at the scanned PSS version (PSA `MinimumVersion`). */
export function appliesAt(v: KubeVersion, since: KubeVersion): boolean {
  return atLeast(v, since.minor);
}
