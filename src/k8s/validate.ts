/**
 * What the Kubernetes API server would refuse in a pod spec or an RBAC rule, so the fix engine can decline
 * a fix whose result would not apply. Pure, never throws on odd shapes: a value of the wrong JSON type (a
 * decoding error at the API server) reads as absent. Paths are where the field sits in a v1 manifest,
 * relative to the pod spec, or `metadata.…` for the pod (template) metadata.
 *
 * Source: kubernetes/kubernetes pkg/apis/core/validation/validation.go (and validation_test.go) at 000f2605,
 * the order of `ValidatePodTemplateSpec` / `ValidatePodCreate`; pkg/apis/rbac/validation/validation.go at
 * 1dc8b4f2; pkg/kubelet/kuberuntime/security_context_{others,windows}.go for `kubeletRejects`.
 *
 * Ported (Go function → file):
 * - ValidateSecurityContext: runAsUser/runAsGroup ranges, procMount values and `Unmasked` needing
 *   `hostUsers: false`, allowPrivilegeEscalation=false with privileged=true or with `CAP_SYS_ADMIN` added
 *   (that literal only: `SYS_ADMIN` passes), validateSeccompProfileField, ValidateAppArmorProfileField
 *   → validate-container.ts
 * - ValidateVolumes (names: required, DNS-1123 label, unique; exactly one volume source), ValidateVolumeMounts
 *   (name required and found, mountPath required and unique), validateMountPropagation (Bidirectional only for
 *   privileged containers), validateMountRecursiveReadOnly → validate-container.ts
 * - validatePodSpecSecurityContext (fsGroup, runAsUser, runAsGroup, supplementalGroups ranges;
 *   shareProcessNamespace with hostPID; validateSysctls with IsValidSysctlName and ValidateHostSysctl;
 *   seccomp and AppArmor fields), validatePodHostNetworkDeps (hostPort = containerPort), validateHostUsers,
 *   validateWindowsHostProcessPod, validateOS / validateLinux / validateWindows → validate-pod.ts
 * - ValidateSeccompPodAnnotations, ValidateAppArmorPodAnnotations, validateSeccompAnnotationsAndFields(Match),
 *   validateAppArmorAnnotationsAndFieldsMatchOnCreate → validate-annotations.ts
 * - ValidatePolicyRule → validate-rbac.ts
 *
 * Left out, on purpose (a least-privilege fix does not touch them, or they depend on the cluster):
 * object metadata and names, container names/uniqueness, images, ports and protocols, env/envFrom,
 * resources and quantities, probes and lifecycle, restart/DNS policies, affinity, tolerations, topology
 * spread, resource claims, the content of each volume source, subPath/subPathExpr and volumeDevices,
 * windowsOptions content (GMSA, runAsUserName), fsGroupChangePolicy / supplementalGroupsPolicy /
 * seLinuxChangePolicy enums, ephemeral-container field rules, update-time rules, feature-gated options, and
 * cluster policy (`--allow-privileged` for privileged and hostProcess). RBAC: bindings and aggregation rules.
 *
 * Not API validation, found while porting: `runAsNonRoot: true` with `runAsUser: 0` is accepted by the API
 * server and refused by the kubelet at container start (CreateContainerConfigError); see `kubeletRejects`.
 */
import type { Obj } from '../core/workload.js';
import { validateAppArmorAnnotationsAndFieldsMatch, validateProfileAnnotations, validateSeccompAnnotationsAndFields } from './validate-annotations.js';
import { validateSecurityContext, validateVolumeMounts, validateVolumes } from './validate-container.js';
import { validateHostUsers, validatePodHostNetworkDeps, validatePodOS, validatePodSecurityContext, validateWindowsHostProcessPod } from './validate-pod.js';
import { asObj, asStr, containersOf, fieldError, isSet, type ValidationError } from './validate-shared.js';

export { isValidSysctlName } from './validate-pod.js';
export { validatePolicyRule } from './validate-rbac.js';
export type { ValidationError } from './validate-shared.js';

export interface ValidatePodSpecOptions {
  /** The object kind; `Pod` turns on the Pod-only rules (`ResourceIsPod`). */
  kind?: string;
}

/**
 * The API server's verdict on a pod spec and its metadata, for the rules a security fix can affect: in
 * the order of `ValidatePodTemplateSpec` (annotations, `ValidatePodSpec`, then the annotation/field agreement).
 */
export function validatePodSpec(podSpec: Obj, podMeta: Obj | undefined, opts: ValidatePodSpecOptions = {}): ValidationError[] {
  const spec = asObj(podSpec) ?? {};
  const meta = asObj(podMeta);
  // ValidatePodSpec: "The default for hostUsers is true".
  const hostUsers = spec.hostUsers !== false;
  const out = validateProfileAnnotations(spec, meta);
  const volumes = validateVolumes(spec.volumes, ['volumes']);
  out.push(...volumes.errors);
  for (const ctr of containersOf(spec, 'validate')) {
    out.push(...validateVolumeMounts(ctr, volumes.names));
    out.push(...validateSecurityContext(ctr.c.securityContext, [...ctr.path, 'securityContext'], hostUsers));
  }
  out.push(...validatePodHostNetworkDeps(spec, opts.kind === 'Pod'));
  out.push(...validatePodSecurityContext(spec));
  out.push(...validateWindowsHostProcessPod(spec));
  out.push(...validateHostUsers(spec));
  out.push(...validatePodOS(spec));
  out.push(...validateSeccompAnnotationsAndFields(spec, meta));
  out.push(...validateAppArmorAnnotationsAndFieldsMatch(spec, meta));
  return out;
}

/** pkg/securitycontext util.go `DetermineEffectiveSecurityContext`, for one field: the container's value, else the pod's. */
function effective(spec: Obj, containerSc: Obj | undefined, key: string, sub?: string): { value: unknown; at: 'container' | 'pod' } {
  const read = (sc: Obj | undefined) => (sub === undefined ? sc?.[key] : asObj(sc?.[key])?.[sub]);
  const own = read(containerSc);
  if (isSet(own)) return { value: own, at: 'container' };
  return { value: read(asObj(spec.securityContext)), at: 'pod' };
}

/**
 * What the API server accepts but the kubelet refuses when it starts the container
 * (CreateContainerConfigError): kuberuntime `verifyRunAsNonRoot`, for what the manifest alone decides.
 * Linux: an effective `runAsNonRoot: true` with an effective `runAsUser: 0`. Windows pods (`os.name:
 * windows`): `runAsNonRoot: true` with `windowsOptions.runAsUserName: ContainerAdministrator`. The image's
 * own user is unknown here, so "image will run as root" is not checked.
 */
export function kubeletRejects(podSpec: Obj): ValidationError[] {
  const spec = asObj(podSpec) ?? {};
  const windows = asObj(spec.os)?.name === 'windows';
  const out: ValidationError[] = [];
  for (const ctr of containersOf(spec, 'visit')) {
    const sc = asObj(ctr.c.securityContext);
    if (effective(spec, sc, 'runAsNonRoot').value !== true) continue;
    const at = (e: { at: 'container' | 'pod' }, ...tail: string[]) =>
      e.at === 'container' ? [...ctr.path, 'securityContext', ...tail] : ['securityContext', ...tail];
    if (!windows) {
      const user = effective(spec, sc, 'runAsUser');
      if (user.value === 0) {
        const msg = `container's runAsUser breaks non-root policy (container: ${ctr.name})`;
        out.push(fieldError(at(user, 'runAsUser'), 'Forbidden', msg, 'verifyRunAsNonRoot'));
      }
    } else {
      const user = effective(spec, sc, 'windowsOptions', 'runAsUserName');
      if (asStr(user.value) === 'ContainerAdministrator') {
        const msg = `container's runAsUser (ContainerAdministrator) which will be regarded as root identity and will break non-root policy (container: ${ctr.name})`;
        out.push(fieldError(at(user, 'windowsOptions', 'runAsUserName'), 'Forbidden', msg, 'verifyRunAsNonRoot'));
      }
    }
  }
  return out;
}
