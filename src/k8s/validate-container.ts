/**
 * Container-level API-server validation: security context, profile fields, volumes and volume mounts.
 * Ported from kubernetes/kubernetes pkg/apis/core/validation/validation.go at 000f2605 (see `validate.ts`).
 */
import type { Path } from '../core/types.js';
import type { Obj } from '../core/workload.js';
import {
  asList,
  asObj,
  asStr,
  type ContainerAt,
  dns1123LabelErrors,
  fieldError,
  isSet,
  isTrue,
  notSupported,
  type ValidationError,
  validateId,
  validateLocalDescendingPath,
} from './validate-shared.js';

/** validation.go `validateSeccompProfileField` (with `validateSeccompProfileType`). */
export function validateSeccompProfileField(sp: unknown, path: Path): ValidationError[] {
  const source = 'validateSeccompProfileField';
  if (!isSet(sp)) return [];
  const profile = asObj(sp) ?? {};
  const out: ValidationError[] = [];
  const type = asStr(profile.type);
  if (type === '') out.push(fieldError([...path, 'type'], 'Required value', 'type is required when seccompProfile is set', source));
  else if (!['Localhost', 'RuntimeDefault', 'Unconfined'].includes(type)) {
    out.push(notSupported([...path, 'type'], type, ['Localhost', 'RuntimeDefault', 'Unconfined'], source));
  }
  const lpPath = [...path, 'localhostProfile'];
  if (type === 'Localhost') {
    if (!isSet(profile.localhostProfile)) out.push(fieldError(lpPath, 'Required value', 'must be set when seccomp type is Localhost', source));
    else out.push(...validateLocalDescendingPath(asStr(profile.localhostProfile), lpPath, source));
  } else if (isSet(profile.localhostProfile)) {
    out.push(fieldError(lpPath, 'Invalid value', 'can only be set when seccomp type is Localhost', source));
  }
  return out;
}

/** validation.go `ValidateAppArmorProfileField`. */
export function validateAppArmorProfileField(p: unknown, path: Path): ValidationError[] {
  const source = 'ValidateAppArmorProfileField';
  if (!isSet(p)) return [];
  const profile = asObj(p) ?? {};
  const type = asStr(profile.type);
  const lpPath = [...path, 'localhostProfile'];
  switch (type) {
    case 'Localhost': {
      if (!isSet(profile.localhostProfile)) return [fieldError(lpPath, 'Required value', 'must be set when AppArmor type is Localhost', source)];
      const lp = asStr(profile.localhostProfile);
      const out: ValidationError[] = [];
      if (lp.trim() !== lp) out.push(fieldError(lpPath, 'Invalid value', 'must not be padded with whitespace', source));
      else if (lp === '') out.push(fieldError(lpPath, 'Required value', 'must be set when AppArmor type is Localhost', source));
      // PATH_MAX - 1; Go counts bytes.
      if (new TextEncoder().encode(lp).length > 4095) out.push(fieldError(lpPath, 'Too long', 'may not be more than 4095 bytes', source));
      return out;
    }
    case 'RuntimeDefault':
    case 'Unconfined':
      return isSet(profile.localhostProfile) ? [fieldError(lpPath, 'Invalid value', 'can only be set when AppArmor type is Localhost', source)] : [];
    case '':
      return [fieldError([...path, 'type'], 'Required value', 'type is required when appArmorProfile is set', source)];
    default:
      return [notSupported([...path, 'type'], type, ['Localhost', 'RuntimeDefault', 'Unconfined'], source)];
  }
}

/**
 * validation.go `ValidateSecurityContext` (container level), less the cluster-policy check on `privileged`
 * and the content of `windowsOptions`. Note: only the literal capability `CAP_SYS_ADMIN` conflicts with
 * `allowPrivilegeEscalation: false`; the usual spelling `SYS_ADMIN` is accepted by the API server.
 */
export function validateSecurityContext(scValue: unknown, path: Path, hostUsers: boolean): ValidationError[] {
  const source = 'ValidateSecurityContext';
  const sc = asObj(scValue);
  if (sc === undefined) return [];
  const out: ValidationError[] = [...validateId(sc.runAsUser, [...path, 'runAsUser'], source), ...validateId(sc.runAsGroup, [...path, 'runAsGroup'], source)];
  if (isSet(sc.procMount)) {
    const pm = asStr(sc.procMount);
    // ValidateProcMountType
    if (pm !== 'Default' && pm !== 'Unmasked') out.push(notSupported([...path, 'procMount'], pm, ['Default', 'Unmasked'], 'ValidateProcMountType'));
    if (hostUsers && pm === 'Unmasked') out.push(fieldError([...path, 'procMount'], 'Invalid value', '`hostUsers` must be false to use `Unmasked`', source));
  }
  out.push(...validateSeccompProfileField(sc.seccompProfile, [...path, 'seccompProfile']));
  if (sc.allowPrivilegeEscalation === false) {
    if (isTrue(sc.privileged)) {
      out.push(fieldError(path, 'Invalid value', 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true', source));
    }
    for (const cap of asList(asObj(sc.capabilities)?.add)) {
      if (cap === 'CAP_SYS_ADMIN') {
        out.push(fieldError(path, 'Invalid value', 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN', source));
      }
    }
  }
  out.push(...validateAppArmorProfileField(sc.appArmorProfile, [...path, 'appArmorProfile']));
  return out;
}

/** v1 `VolumeSource` members in the order validation.go `validateVolumeSource` checks them. */
const VOLUME_SOURCES = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'csi',
  'ephemeral',
  'image',
] as const;

/**
 * validation.go `ValidateVolumes`: names and the one-source rule (the content of each source is not
 * checked). Returns the names a mount may refer to: like Go, only volumes without errors.
 */
export function validateVolumes(volumes: unknown, path: Path): { names: Set<string>; errors: ValidationError[] } {
  const source = 'ValidateVolumes';
  const names = new Set<string>();
  const all = new Set<string>();
  const errors: ValidationError[] = [];
  asList(volumes).forEach((v, i) => {
    const vol = asObj(v) ?? {};
    const idx = [...path, i];
    const el: ValidationError[] = [];
    // validateVolumeSource
    let count = 0;
    for (const key of VOLUME_SOURCES) {
      if (!isSet(vol[key])) continue;
      if (count > 0) el.push(fieldError([...idx, key], 'Forbidden', 'may not specify more than 1 volume type', 'validateVolumeSource'));
      else count++;
    }
    if (count === 0) el.push(fieldError(idx, 'Required value', 'must specify a volume type', 'validateVolumeSource'));
    const name = asStr(vol.name);
    if (name === '') el.push(fieldError([...idx, 'name'], 'Required value', '', source));
    else for (const msg of dns1123LabelErrors(name)) el.push(fieldError([...idx, 'name'], 'Invalid value', msg, source));
    if (all.has(name)) el.push(fieldError([...idx, 'name'], 'Duplicate value', JSON.stringify(name), source));
    if (el.length === 0) names.add(name);
    all.add(name);
    errors.push(...el);
  });
  return { names, errors };
}

const MOUNT_PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];

/** validation.go `validateMountPropagation`. */
function validateMountPropagation(mp: unknown, container: Obj, path: Path): ValidationError[] {
  const source = 'validateMountPropagation';
  const value = asStr(mp);
  const out: ValidationError[] = [];
  if (!MOUNT_PROPAGATIONS.includes(value)) out.push(notSupported(path, value, MOUNT_PROPAGATIONS, source));
  const privileged = isTrue(asObj(container.securityContext)?.privileged);
  if (value === 'Bidirectional' && !privileged) {
    out.push(fieldError(path, 'Forbidden', 'Bidirectional mount propagation is available only to privileged containers', source));
  }
  return out;
}

/** validation.go `validateMountRecursiveReadOnly`. */
function validateMountRecursiveReadOnly(mount: Obj, path: Path): ValidationError[] {
  const source = 'validateMountRecursiveReadOnly';
  if (!isSet(mount.recursiveReadOnly)) return [];
  const rro = asStr(mount.recursiveReadOnly);
  if (rro === 'Disabled') return [];
  if (rro !== 'Enabled' && rro !== 'IfPossible') return [notSupported(path, rro, ['Disabled', 'Enabled', 'IfPossible'], source)];
  const out: ValidationError[] = [];
  if (!isTrue(mount.readOnly)) out.push(fieldError(path, 'Forbidden', 'may only be specified when readOnly is true', source));
  if (isSet(mount.mountPropagation) && mount.mountPropagation !== 'None') {
    out.push(fieldError(path, 'Forbidden', 'may only be specified when mountPropagation is None or not specified', source));
  }
  return out;
}

/**
 * validation.go `ValidateVolumeMounts`: name, mount path, uniqueness, propagation, recursive read-only
 * (subPath and volumeDevices overlap are left out). Go reports propagation and recursiveReadOnly errors at
 * `volumeMounts.mountPropagation` without the index; here the path keeps the index, to point at the line.
 */
export function validateVolumeMounts(ctr: ContainerAt, volumeNames: ReadonlySet<string>): ValidationError[] {
  const source = 'ValidateVolumeMounts';
  const base = [...ctr.path, 'volumeMounts'];
  const mountPoints = new Set<string>();
  const out: ValidationError[] = [];
  asList(ctr.c.volumeMounts).forEach((m, i) => {
    const mnt = asObj(m) ?? {};
    const idx = [...base, i];
    const name = asStr(mnt.name);
    const mountPath = asStr(mnt.mountPath);
    if (name === '') out.push(fieldError([...idx, 'name'], 'Required value', '', source));
    if (!volumeNames.has(name)) out.push(fieldError([...idx, 'name'], 'Not found', JSON.stringify(name), source));
    if (mountPath === '') out.push(fieldError([...idx, 'mountPath'], 'Required value', '', source));
    if (mountPoints.has(mountPath)) out.push(fieldError([...idx, 'mountPath'], 'Invalid value', 'must be unique', source));
    mountPoints.add(mountPath);
    if (isSet(mnt.mountPropagation)) out.push(...validateMountPropagation(mnt.mountPropagation, ctr.c, [...idx, 'mountPropagation']));
    out.push(...validateMountRecursiveReadOnly(mnt, [...idx, 'recursiveReadOnly']));
  });
  return out;
}
