import { posix } from 'node:path';
import { isObj } from '../core/workload.js';

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
  const have = new Set(paths);
  const out = new Set<string>();
  for (const p of paths) {
    const dir = posix.dirname(p);
    for (const name of KUSTOMIZATION_NAMES) {
      const candidate = dir === '.' ? name : `${dir}/${name}`;
      if (!have.has(candidate)) out.add(candidate);
    }
  }
  return [...out];
}
