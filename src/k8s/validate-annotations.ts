/**
 * The deprecated seccomp and AppArmor annotations: their values, and their agreement with the
 * `seccompProfile` / `appArmorProfile` fields. Ported from kubernetes/kubernetes
 * pkg/apis/core/validation/validation.go at 000f2605 (see `validate.ts`). Both agreement checks run in
 * `ValidatePodTemplateSpec` as well as `ValidatePodCreate`, so a workload template is refused too.
 */

import { stringMap } from '../core/object.js';
import type { Path } from '../core/types.js';
import type { Obj } from '../core/workload.js';
import { asObj, asStr, containersOf, fieldError, isSet, type ValidationError, validateLocalDescendingPath } from './validate-shared.js';

// k8s.io/api/core/v1 annotation_key_constants.go
const SECCOMP_POD_KEY = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const APPARMOR_CONTAINER_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const RUNTIME_DEFAULT = 'runtime/default';
const DOCKER_DEFAULT = 'docker/default';
const UNCONFINED = 'unconfined';
const LOCALHOST_PREFIX = 'localhost/';

const annotationPath = (key: string): Path => ['metadata', 'annotations', key];

/** validation.go `ValidateSeccompProfile`. */
function validateSeccompProfile(p: string, path: Path): ValidationError[] {
  if (p === RUNTIME_DEFAULT || p === DOCKER_DEFAULT || p === UNCONFINED) return [];
  if (p.startsWith(LOCALHOST_PREFIX)) return validateLocalDescendingPath(p.slice(LOCALHOST_PREFIX.length), path, 'ValidateSeccompProfile');
  return [fieldError(path, 'Invalid value', 'must be a valid seccomp profile', 'ValidateSeccompProfile')];
}

/** validation.go `ValidateSeccompPodAnnotations` and `ValidateAppArmorPodAnnotations` (part of `ValidatePodSpecificAnnotations`). */
export function validateProfileAnnotations(spec: Obj, podMeta: Obj | undefined): ValidationError[] {
  const annotations = stringMap(podMeta, 'annotations');
  const out: ValidationError[] = [];
  const seccompPod = annotations[SECCOMP_POD_KEY];
  if (seccompPod !== undefined) out.push(...validateSeccompProfile(seccompPod, annotationPath(SECCOMP_POD_KEY)));
  for (const [k, p] of Object.entries(annotations)) {
    if (k.startsWith(SECCOMP_CONTAINER_PREFIX)) out.push(...validateSeccompProfile(p, annotationPath(k)));
  }
  const names = new Set(containersOf(spec, 'visit').map((c) => c.name));
  for (const [k, p] of Object.entries(annotations)) {
    if (!k.startsWith(APPARMOR_CONTAINER_PREFIX)) continue;
    const source = 'ValidateAppArmorPodAnnotations';
    if (!names.has(k.slice(APPARMOR_CONTAINER_PREFIX.length))) out.push(fieldError(annotationPath(k), 'Invalid value', 'container not found', source));
    // ValidateAppArmorProfileFormat
    if (p !== '' && p !== RUNTIME_DEFAULT && p !== UNCONFINED && !p.startsWith(LOCALHOST_PREFIX)) {
      out.push(fieldError(annotationPath(k), 'Invalid value', `invalid AppArmor profile name: ${JSON.stringify(p)}`, source));
    }
  }
  return out;
}

/** validation.go `validateSeccompAnnotationsAndFieldsMatch`. */
function seccompMismatch(annotation: string, profile: Obj, path: Path): ValidationError[] {
  const source = 'validateSeccompAnnotationsAndFieldsMatch';
  const typeError = [fieldError([...path, 'type'], 'Forbidden', 'seccomp type in annotation and field must match', source)];
  switch (profile.type) {
    case 'Unconfined':
      return annotation === UNCONFINED ? [] : typeError;
    case 'RuntimeDefault':
      return annotation === RUNTIME_DEFAULT || annotation === DOCKER_DEFAULT ? [] : typeError;
    case 'Localhost':
      if (!annotation.startsWith(LOCALHOST_PREFIX)) return typeError;
      if (!isSet(profile.localhostProfile) || annotation.slice(LOCALHOST_PREFIX.length) !== asStr(profile.localhostProfile)) {
        return [fieldError([...path, 'localhostProfile'], 'Forbidden', 'seccomp profile in annotation and field must match', source)];
      }
      return [];
    default:
      return [];
  }
}

/** validation.go `validateSeccompAnnotationsAndFields`: where both the annotation and the field are set, they must agree. */
export function validateSeccompAnnotationsAndFields(spec: Obj, podMeta: Obj | undefined): ValidationError[] {
  const annotations = stringMap(podMeta, 'annotations');
  const out: ValidationError[] = [];
  const podProfile = asObj(asObj(spec.securityContext)?.seccompProfile);
  const podAnnotation = annotations[SECCOMP_POD_KEY];
  if (podProfile !== undefined && podAnnotation !== undefined) {
    out.push(...seccompMismatch(podAnnotation, podProfile, ['securityContext', 'seccompProfile']));
  }
  for (const ctr of containersOf(spec, 'visit')) {
    const profile = asObj(asObj(ctr.c.securityContext)?.seccompProfile);
    const annotation = annotations[SECCOMP_CONTAINER_PREFIX + ctr.name];
    if (profile !== undefined && annotation !== undefined) {
      out.push(...seccompMismatch(annotation, profile, [...ctr.path, 'securityContext', 'seccompProfile']));
    }
  }
  return out;
}

/**
 * validation.go `validateAppArmorAnnotationsAndFieldsMatchOnCreate`: a container's effective profile
 * (its own, else the pod's) must agree with its annotation. Skipped for Windows pods.
 */
export function validateAppArmorAnnotationsAndFieldsMatch(spec: Obj, podMeta: Obj | undefined): ValidationError[] {
  const source = 'validateAppArmorAnnotationsAndFieldsMatchOnCreate';
  if (asObj(spec.os)?.name === 'windows') return [];
  const annotations = stringMap(podMeta, 'annotations');
  const podProfile = asObj(asObj(spec.securityContext)?.appArmorProfile);
  const out: ValidationError[] = [];
  for (const ctr of containersOf(spec, 'visit')) {
    const profile = asObj(asObj(ctr.c.securityContext)?.appArmorProfile) ?? podProfile;
    const annotation = annotations[APPARMOR_CONTAINER_PREFIX + ctr.name];
    if (profile === undefined || annotation === undefined) continue;
    const path = [...ctr.path, 'securityContext', 'appArmorProfile'];
    const typeError = fieldError([...path, 'type'], 'Forbidden', 'apparmor type in annotation and field must match', source);
    if (profile.type === 'Unconfined' && annotation !== UNCONFINED) out.push(typeError);
    else if (profile.type === 'RuntimeDefault' && annotation !== RUNTIME_DEFAULT) out.push(typeError);
    else if (profile.type === 'Localhost') {
      if (!annotation.startsWith(LOCALHOST_PREFIX)) out.push(typeError);
      else if (!isSet(profile.localhostProfile) || annotation.slice(LOCALHOST_PREFIX.length) !== asStr(profile.localhostProfile)) {
        out.push(fieldError([...path, 'localhostProfile'], 'Forbidden', 'apparmor profile in annotation and field must match', source));
      }
    }
  }
  return out;
}
