import { posix } from 'node:path';
import type { Path } from '../core/types.js';
import { isObj, type Obj } from '../core/workload.js';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION_NAMES.has(posix.basename(path));
}

/**
 * Files that a kustomization lists as patches (`patches`, `patchesStrategicMerge`,
 * `patchesJson6902`), resolved against the kustomization's folder. Their documents are partial.
 */
export function patchFilesOf(kustomizationPath: string, doc: unknown): string[] {
  if (!isObj(doc)) return [];
  const dir = posix.dirname(kustomizationPath);
  const out: string[] = [];
  const add = (p: unknown): void => {
    if (typeof p === 'string' && !p.includes('\n') && /\.ya?ml$/.test(p)) out.push(posix.normalize(posix.join(dir, p)));
  };
  for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
    const list = doc[key];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry === 'string') add(entry);
      else if (isObj(entry)) add(entry.path);
    }
  }
  return out;
}

/**
 * The kustomization files that may sit beside `paths` (every name kustomize accepts, in each file's
 * folder), minus the paths themselves: read for context only, they say which changed files are patches.
 */
export function kustomizationsBeside(paths: readonly string[]): string[] {
  return kustomizationCandidates(paths, false);
}

/**
 * As kustomizationsBeside, plus every ancestor folder up to the root of the relative paths: a kustomization
 * may list `patches/x.yaml` from a parent folder. Absolute or `../` paths get their own folder only, since
 * what lies above them is outside the tree being scanned.
 */
export function kustomizationsAbove(paths: readonly string[]): string[] {
  return kustomizationCandidates(paths, true);
}

function kustomizationCandidates(paths: readonly string[], ancestors: boolean): string[] {
  const have = new Set(paths);
  const out = new Set<string>();
  const dirs = new Set<string>();
  for (const p of paths) {
    let dir = posix.dirname(p);
    const climb = ancestors && !posix.isAbsolute(p) && !posix.normalize(p).startsWith('../');
    for (;;) {
      if (dirs.has(dir)) break;
      dirs.add(dir);
      for (const name of KUSTOMIZATION_NAMES) {
        const candidate = dir === '.' ? name : `${dir}/${name}`;
        if (!have.has(candidate)) out.add(candidate);
      }
      if (!climb || dir === '.') break;
      dir = posix.dirname(dir);
    }
  }
  return [...out];
}

/** A patch written inline in a kustomization (`patch: |`, or a string item of `patchesStrategicMerge`). */
export interface InlinePatch {
  /** Path of the patch string in the kustomization document. */
  path: Path;
  text: string;
}

/** The inline patches of a kustomization document, in source order. */
export function inlinePatchesOf(doc: unknown): InlinePatch[] {
  const out: EmbeddedPatches = { inline: [], unread: [] };
  patchBlock(doc, [], out);
  return out.inline;
}

/** Kustomize patches a GitOps object carries for what it deploys, and the ones minpriv cannot read (object-valued, legacy). */
export interface EmbeddedPatches {
  /** Patches written as text (`patch: |`): checked like a kustomization's inline patches. */
  inline: InlinePatch[];
  /** Paths of patches given as objects (`patchesStrategicMerge` items, `patchesJson6902` op lists): named in a notice. */
  unread: Path[];
}

const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io/';
const FLUX_HELM_GROUP = 'helm.toolkit.fluxcd.io/';
const ARGO_GROUP = 'argoproj.io/';

/**
 * The patches of a kustomize `patches`-style block at `at` (a kustomization, a Flux Kustomization's spec, a
 * post-renderer's kustomize, an Argo source's kustomize), in source order: text patches (`patch: |`, or a string item of
 * `patchesStrategicMerge` that holds a document; a one-line string is a file name), and the paths of patches given as
 * objects (a `patchesStrategicMerge` item that is the patch, a `patchesJson6902` entry whose `patch` is an op list).
 */
function patchBlock(block: unknown, at: Path, out: EmbeddedPatches): void {
  if (!isObj(block)) return;
  for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
    const list = block[key];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      if (typeof entry === 'string' && entry.includes('\n')) out.inline.push({ path: [...at, key, i], text: entry });
      else if (isObj(entry) && typeof entry.patch === 'string') out.inline.push({ path: [...at, key, i, 'patch'], text: entry.patch });
      else if (key === 'patchesStrategicMerge' ? isObj(entry) : key === 'patchesJson6902' && isObj(entry) && Array.isArray(entry.patch))
        out.unread.push([...at, key, i]);
    });
  }
}

/**
 * The kustomize patches that Flux and Argo CD objects apply to what they deploy: a Flux Kustomization's `spec.patches`
 * (kustomize.toolkit.fluxcd.io), a HelmRelease's `spec.postRenderers[].kustomize` (helm.toolkit.fluxcd.io), and the
 * `kustomize` block of an Argo CD Application's `spec.source` or `spec.sources[]` (argoproj.io, ApplicationSet
 * templates included). They change pod specs as a kustomization's inline patches do.
 */
export function embeddedPatchesOf(doc: unknown): EmbeddedPatches {
  const out: EmbeddedPatches = { inline: [], unread: [] };
  if (!isObj(doc) || typeof doc.apiVersion !== 'string' || !isObj(doc.spec)) return out;
  const spec = doc.spec;
  if (doc.apiVersion.startsWith(FLUX_KUSTOMIZE_GROUP) && doc.kind === 'Kustomization') patchBlock(spec, ['spec'], out);
  else if (doc.apiVersion.startsWith(FLUX_HELM_GROUP) && doc.kind === 'HelmRelease' && Array.isArray(spec.postRenderers)) {
    spec.postRenderers.forEach((r, i) => {
      if (isObj(r)) patchBlock(r.kustomize, ['spec', 'postRenderers', i, 'kustomize'], out);
    });
  } else if (doc.apiVersion.startsWith(ARGO_GROUP) && (doc.kind === 'Application' || doc.kind === 'ApplicationSet')) {
    const appSpec = doc.kind === 'ApplicationSet' ? (isObj(spec.template) ? spec.template.spec : undefined) : spec;
    const base: Path = doc.kind === 'ApplicationSet' ? ['spec', 'template', 'spec'] : ['spec'];
    if (!isObj(appSpec)) return out;
    if (isObj(appSpec.source)) patchBlock(appSpec.source.kustomize, [...base, 'source', 'kustomize'], out);
    if (Array.isArray(appSpec.sources)) {
      appSpec.sources.forEach((src, i) => {
        if (isObj(src)) patchBlock(src.kustomize, [...base, 'sources', i, 'kustomize'], out);
      });
    }
  }
  return out;
}

/**
 * True when an Argo CD Application's Helm source sets a field minpriv would check on the rendered pods (`helm.values`,
 * `helm.valuesObject`, `helm.parameters`): chart inputs, named in a notice as a HelmRelease's values are.
 */
export function argoHelmSetsSecurityFields(obj: Obj): boolean {
  const spec = obj.kind === 'ApplicationSet' && isObj(obj.spec) && isObj(obj.spec.template) ? obj.spec.template.spec : obj.spec;
  if (!isObj(spec)) return false;
  const sources = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])];
  return sources.some((src) => isObj(src) && isObj(src.helm) && setsSecurityFields([src.helm.values, src.helm.valuesObject, src.helm.parameters]));
}

/** One `add`/`replace` op of a JSON6902 patch, as the partial object it would write. */
export interface JsonPatchValue {
  /** Index of the op in the patch list. */
  index: number;
  /** The op's target as a document path (`-` read as index 0). */
  pointer: Path;
  /** A partial manifest holding only `value` at `pointer`, with a kind that places its pod spec. */
  object: Obj;
}

/** True for a JSON6902 patch: a non-empty list whose items all have a string `op` and `path`. */
export function isJsonPatch(doc: unknown): doc is Obj[] {
  return Array.isArray(doc) && doc.length > 0 && doc.every((op) => isObj(op) && typeof op.op === 'string' && typeof op.path === 'string');
}

/** Kinds that place their pod spec where a JSON pointer's prefix says. */
const KIND_BY_PREFIX: { prefix: string[]; apiVersion: string; kind: string }[] = [
  { prefix: ['spec', 'jobTemplate'], apiVersion: 'batch/v1', kind: 'CronJob' },
  { prefix: ['spec', 'template'], apiVersion: 'apps/v1', kind: 'Deployment' },
  { prefix: ['template'], apiVersion: 'v1', kind: 'PodTemplate' },
  { prefix: ['spec'], apiVersion: 'v1', kind: 'Pod' },
];

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function parsePointer(pointer: string): Path | undefined {
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (s === '-' ? 0 : /^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/**
 * The `add` and `replace` ops of a JSON6902 patch whose value lands in a pod spec, each as a partial
 * manifest the rules can check. Other ops (remove, move, copy, test) cannot be judged from the patch alone.
 */
export function jsonPatchValues(ops: readonly Obj[]): JsonPatchValue[] {
  const out: JsonPatchValue[] = [];
  ops.forEach((op, index) => {
    if ((op.op !== 'add' && op.op !== 'replace') || !('value' in op)) return;
    const pointer = parsePointer(op.path as string);
    // Untrusted: no prototype keys, and no index that would make a huge sparse list.
    if (pointer?.some((seg) => (typeof seg === 'number' ? seg > 1000 : UNSAFE_KEYS.has(seg)))) return;
    const at = pointer && KIND_BY_PREFIX.find((k) => k.prefix.length <= pointer.length && k.prefix.every((seg, i) => pointer[i] === seg));
    if (!pointer || !at) return;
    const object: Obj = { apiVersion: at.apiVersion, kind: at.kind, metadata: { name: '' } };
    let holder: Obj | unknown[] = object;
    pointer.forEach((seg, i) => {
      const last = i === pointer.length - 1;
      const next: Obj | unknown[] = typeof pointer[i + 1] === 'number' ? [] : {};
      const child = last ? op.value : ((holder as Record<string | number, unknown>)[seg] ?? next);
      (holder as Record<string | number, unknown>)[seg] = child;
      holder = child as Obj | unknown[];
    });
    out.push({ index, pointer, object });
  });
  return out;
}

const SECURITY_KEYS = new Set([
  'privileged',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'hostPort',
  'hostPath',
  'hostProcess',
  'runAsUser',
  'runAsNonRoot',
  'allowPrivilegeEscalation',
  'capabilities',
  'procMount',
  'seccompProfile',
  'sysctls',
]);

/**
 * True when a Flux HelmRelease's `spec.values` set a field minpriv would check on the rendered pods. Those are chart
 * inputs, not pod specs, so they are named in a notice, never judged. (Its post-renderers' kustomize patches are
 * checked: `embeddedPatchesOf`.)
 */
export function helmValuesSetSecurityFields(obj: Obj): boolean {
  const spec = obj.spec;
  return isObj(spec) && setsSecurityFields([spec.values]);
}

/** Whether any of `roots` names a security field (as a key, or in a multi-line string such as a values file). */
function setsSecurityFields(roots: unknown[]): boolean {
  const stack: unknown[] = [...roots];
  // Bounded: values files can be large, and one hit is enough.
  for (let seen = 0; stack.length > 0 && seen < 10_000; seen++) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (isObj(v)) {
      for (const [k, child] of Object.entries(v)) {
        if (SECURITY_KEYS.has(k)) return true;
        // Argo CD `helm.parameters`: `{name: securityContext.privileged, value: "true"}`.
        if (k === 'name' && typeof child === 'string' && child.split('.').some((seg) => SECURITY_KEYS.has(seg))) return true;
        stack.push(child);
      }
    } else if (typeof v === 'string' && v.includes('\n') && /\b(privileged|hostNetwork|hostPID|hostIPC|runAsUser|allowPrivilegeEscalation)\b/.test(v))
      return true;
  }
  return false;
}
