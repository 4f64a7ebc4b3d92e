/**
 * Pod-level API-server validation: pod security context, sysctls, host namespaces, user namespaces,
 * Windows HostProcess, and the OS-specific field bans. Ported from kubernetes/kubernetes
 * pkg/apis/core/validation/validation.go at 000f2605 (see `validate.ts`). Paths are where the field
 * sits in a v1 manifest: `hostNetwork`, `hostPID`, `hostIPC`, `hostUsers` and `shareProcessNamespace`
 * are spec fields in v1 (Go keeps them in the internal `PodSecurityContext`).
 */
import type { Path } from '../core/types.js';
import type { Obj } from '../core/workload.js';
import { validateAppArmorProfileField, validateSeccompProfileField } from './validate-container.js';
import { asList, asObj, asStr, containersOf, fieldError, isSet, isTrue, notSupported, type ValidationError, validateId } from './validate-shared.js';

const SYSCTL_SEGMENT = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const sysctlContainSlashRegexp = new RegExp(`^(${SYSCTL_SEGMENT}[\\./])*${SYSCTL_SEGMENT}$`);
const SYSCTL_MAX_LENGTH = 253;

/** validation.go `IsValidSysctlName`. */
export function isValidSysctlName(name: string): boolean {
  return name.length <= SYSCTL_MAX_LENGTH && sysctlContainSlashRegexp.test(name);
}

/** component-helpers node/util/sysctl `NormalizeName`: `net/ipv4/conf/eno2.100/rp_filter` → `net.ipv4.conf.eno2/100.rp_filter`. */
function normalizeSysctlName(val: string): string {
  const first = val.search(/[./]/);
  if (first === -1 || val[first] === '.') return val;
  return val.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

const SYSCTL_NAME_TO_NS: Readonly<Record<string, 'IPC'>> = {
  'kernel.sem': 'IPC',
  'kernel.shmall': 'IPC',
  'kernel.shmmax': 'IPC',
  'kernel.shmmni': 'IPC',
  'kernel.shm_rmid_forced': 'IPC',
  'kernel.shm': 'IPC',
  'kernel.msgmax': 'IPC',
  'kernel.msgmnb': 'IPC',
  'kernel.msgmni': 'IPC',
  'kernel.msg': 'IPC',
};

/** component-helpers node/util/sysctl namespace.go `GetNamespace` (with `namespaceOf`). */
function sysctlNamespace(sysctl: string): 'IPC' | 'Net' | '' {
  let name = normalizeSysctlName(sysctl);
  const star = name.indexOf('*');
  if (star !== -1) name = name.slice(0, star);
  if (Object.hasOwn(SYSCTL_NAME_TO_NS, name)) return SYSCTL_NAME_TO_NS[name] ?? '';
  if (name.startsWith('net.')) return 'Net';
  if (name.startsWith('fs.mqueue.')) return 'IPC';
  return '';
}

/** validation.go `validateSysctls` with `ValidateHostSysctl` (as on create: namespaced sysctls are refused with host namespaces). */
function validateSysctls(spec: Obj, sysctls: unknown[], path: Path): ValidationError[] {
  const source = 'validateSysctls';
  const names = new Set<string>();
  const out: ValidationError[] = [];
  sysctls.forEach((s, i) => {
    const name = asStr(asObj(s)?.name);
    const namePath = [...path, i, 'name'];
    if (name === '') out.push(fieldError(namePath, 'Required value', '', source));
    else if (!isValidSysctlName(name)) {
      out.push(
        fieldError(namePath, 'Invalid value', `must have at most ${SYSCTL_MAX_LENGTH} characters and match regex ${sysctlContainSlashRegexp.source}`, source),
      );
    } else if (names.has(name)) out.push(fieldError(namePath, 'Duplicate value', JSON.stringify(name), source));
    const ns = sysctlNamespace(name);
    if (isTrue(spec.hostNetwork) && ns === 'Net') {
      out.push(fieldError(namePath, 'Invalid value', "may not be specified when 'hostNetwork' is true", 'ValidateHostSysctl'));
    } else if (isTrue(spec.hostIPC) && ns === 'IPC') {
      out.push(fieldError(namePath, 'Invalid value', "may not be specified when 'hostIPC' is true", 'ValidateHostSysctl'));
    }
    names.add(name);
  });
  return out;
}

/**
 * validation.go `validatePodSpecSecurityContext`, less the enum checks of fsGroupChangePolicy,
 * supplementalGroupsPolicy and seLinuxChangePolicy and the content of windowsOptions.
 */
export function validatePodSecurityContext(spec: Obj): ValidationError[] {
  const source = 'validatePodSpecSecurityContext';
  const psc = asObj(spec.securityContext) ?? {};
  const base = ['securityContext'];
  const out: ValidationError[] = [
    ...validateId(psc.fsGroup, [...base, 'fsGroup'], source),
    ...validateId(psc.runAsUser, [...base, 'runAsUser'], source),
    ...validateId(psc.runAsGroup, [...base, 'runAsGroup'], source),
  ];
  asList(psc.supplementalGroups).forEach((gid, g) => {
    out.push(...validateId(gid, [...base, 'supplementalGroups', g], source));
  });
  if (isTrue(spec.shareProcessNamespace) && isTrue(spec.hostPID)) {
    out.push(fieldError(['shareProcessNamespace'], 'Invalid value', 'ShareProcessNamespace and HostPID cannot both be enabled', source));
  }
  const sysctls = asList(psc.sysctls);
  if (sysctls.length !== 0) out.push(...validateSysctls(spec, sysctls, [...base, 'sysctls']));
  out.push(...validateSeccompProfileField(psc.seccompProfile, [...base, 'seccompProfile']));
  out.push(...validateAppArmorProfileField(psc.appArmorProfile, [...base, 'appArmorProfile']));
  return out;
}

const asPort = (v: unknown): number => (typeof v === 'number' ? v : 0);

/**
 * validation.go `validatePodHostNetworkDeps`, after the defaulting a Pod gets first
 * (pkg/apis/core/v1/defaults.go `defaultHostNetworkPorts`: hostPort 0 becomes containerPort). So for
 * Pods and templates alike, a set hostPort must equal containerPort; an unset one is fine.
 */
export function validatePodHostNetworkDeps(spec: Obj, resourceIsPod: boolean): ValidationError[] {
  if (!isTrue(spec.hostNetwork)) return [];
  const out: ValidationError[] = [];
  asList(spec.containers).forEach((c, i) => {
    asList(asObj(c)?.ports).forEach((p, j) => {
      const port = asObj(p) ?? {};
      const cp = asPort(port.containerPort);
      let hp = asPort(port.hostPort);
      if (resourceIsPod && hp === 0) hp = cp;
      if ((resourceIsPod || hp !== 0) && hp !== cp) {
        const path = ['containers', i, 'ports', j, 'hostPort'];
        out.push(fieldError(path, 'Invalid value', 'must match `containerPort` when `hostNetwork` is true', 'validatePodHostNetworkDeps'));
      }
    });
  });
  return out;
}

/** validation.go `validateHostUsers`: a user-namespaced pod may not share the host's network, PID or IPC namespace. */
export function validateHostUsers(spec: Obj): ValidationError[] {
  if (spec.hostUsers !== false) return [];
  const out: ValidationError[] = [];
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (isTrue(spec[key])) out.push(fieldError([key], 'Forbidden', 'when `pod.Spec.HostUsers` is false', 'validateHostUsers'));
  }
  return out;
}

/** validation.go `validateWindowsHostProcessPod`, less the cluster-policy check (`--allow-privileged`). */
export function validateWindowsHostProcessPod(spec: Obj): ValidationError[] {
  const source = 'validateWindowsHostProcessPod';
  const podHP = asObj(asObj(spec.securityContext)?.windowsOptions)?.hostProcess;
  const podHostProcess = typeof podHP === 'boolean' ? podHP : undefined;
  const out: ValidationError[] = [];
  let containerCount = 0;
  let hostProcessCount = 0;
  for (const ctr of containersOf(spec, 'visit')) {
    containerCount++;
    const hp = asObj(asObj(ctr.c.securityContext)?.windowsOptions)?.hostProcess;
    const containerHostProcess = typeof hp === 'boolean' ? hp : undefined;
    if (podHostProcess !== undefined && containerHostProcess !== undefined && podHostProcess !== containerHostProcess) {
      const path = [...ctr.path, 'securityContext', 'windowsOptions', 'hostProcess'];
      out.push(fieldError(path, 'Invalid value', `pod hostProcess value must be identical if both are specified, was ${podHostProcess}`, source));
    }
    if (containerHostProcess === true || (containerHostProcess === undefined && podHostProcess === true)) hostProcessCount++;
  }
  if (hostProcessCount > 0) {
    if (hostProcessCount !== containerCount) {
      out.push(fieldError([], 'Invalid value', 'If pod contains any hostProcess containers then all containers must be HostProcess containers', source));
    }
    if (!isTrue(spec.hostNetwork)) {
      out.push(fieldError(['hostNetwork'], 'Invalid value', 'hostNetwork must be true if pod contains any hostProcess containers', source));
    }
  }
  return out;
}

/** validation.go `validateLinux`: `windowsOptions` on a pod that says it is Linux. */
function validateLinux(spec: Obj): ValidationError[] {
  const msg = 'windows options cannot be set for a linux pod';
  const out: ValidationError[] = [];
  if (isSet(asObj(spec.securityContext)?.windowsOptions)) out.push(fieldError(['securityContext', 'windowsOptions'], 'Forbidden', msg, 'validateLinux'));
  for (const ctr of containersOf(spec, 'visit')) {
    if (isSet(asObj(ctr.c.securityContext)?.windowsOptions)) {
      out.push(fieldError([...ctr.path, 'securityContext', 'windowsOptions'], 'Forbidden', msg, 'validateLinux'));
    }
  }
  return out;
}

/** Pod-level fields in `validateWindows`' order: in the pod security context (`sc`) or on the spec (`spec`, or `specTrue` for plain bools). */
const WINDOWS_POD_FIELDS: readonly (readonly [string, 'sc' | 'spec' | 'specTrue'])[] = [
  ['appArmorProfile', 'sc'],
  ['seLinuxOptions', 'sc'],
  ['hostUsers', 'spec'],
  ['hostPID', 'specTrue'],
  ['hostIPC', 'specTrue'],
  ['seccompProfile', 'sc'],
  ['fsGroup', 'sc'],
  ['fsGroupChangePolicy', 'sc'],
  ['sysctls', 'sc'],
  ['shareProcessNamespace', 'spec'],
  ['runAsUser', 'sc'],
  ['runAsGroup', 'sc'],
  ['supplementalGroups', 'sc'],
  ['supplementalGroupsPolicy', 'sc'],
  ['seLinuxChangePolicy', 'sc'],
];
const WINDOWS_CONTAINER_SC_FIELDS = [
  'appArmorProfile',
  'seLinuxOptions',
  'seccompProfile',
  'capabilities',
  'readOnlyRootFilesystem',
  'privileged',
  'allowPrivilegeEscalation',
  'procMount',
  'runAsUser',
  'runAsGroup',
] as const;

/** validation.go `validateWindows`: Linux-only fields on a pod that says it is Windows. */
function validateWindows(spec: Obj): ValidationError[] {
  const msg = 'cannot be set for a windows pod';
  const out: ValidationError[] = [];
  const psc = asObj(spec.securityContext) ?? {};
  const forbid = (path: Path) => out.push(fieldError(path, 'Forbidden', msg, 'validateWindows'));
  for (const [key, where] of WINDOWS_POD_FIELDS) {
    if (where === 'sc') {
      // Go tests `len(Sysctls) > 0` but `!= nil` for the other lists.
      if (key === 'sysctls' ? asList(psc.sysctls).length > 0 : isSet(psc[key])) forbid(['securityContext', key]);
    } else if (where === 'spec' ? isSet(spec[key]) : isTrue(spec[key])) {
      forbid([key]);
    }
  }
  for (const ctr of containersOf(spec, 'visit')) {
    const sc = asObj(ctr.c.securityContext);
    if (sc === undefined) continue;
    for (const key of WINDOWS_CONTAINER_SC_FIELDS) if (isSet(sc[key])) forbid([...ctr.path, 'securityContext', key]);
  }
  return out;
}

/** validation.go `ValidatePodSpec`'s OS branch: `validateOS`, then `validateLinux` or `validateWindows`. */
export function validatePodOS(spec: Obj): ValidationError[] {
  if (!isSet(spec.os)) return [];
  const name = asStr(asObj(spec.os)?.name);
  if (name === '') return [fieldError(['os', 'name'], 'Required value', 'cannot be empty', 'validateOS')];
  if (name !== 'linux' && name !== 'windows') return [notSupported(['os'], name, ['linux', 'windows'], 'validateOS')];
  return name === 'linux' ? validateLinux(spec) : validateWindows(spec);
}
