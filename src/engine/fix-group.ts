import type { K8sObject } from '../core/object.js';
import { type Finding, type Path, pathToString } from '../core/types.js';
import { isWorkload } from '../core/workload.js';
import type { ScannedFile } from './scan.js';

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

/** The file's objects by document and path in it: the first of each, as `objects.find` gives it. */
export type ObjectsById = ReadonlyMap<string, K8sObject>;

const objectKey = (docIndex: number, basePath: Path): string => `${docIndex}:${pathToString(basePath)}`;

/**
 * The file's objects by id, built once per file (a lookup per finding was a scan of every object of the
 * file: quadratic in a bundle of hundreds of documents).
 */
export function objectsById(file: ScannedFile): ObjectsById {
  const out = new Map<string, K8sObject>();
  for (const o of file.objects) {
    const key = objectKey(o.id.docIndex, o.id.basePath);
    if (!out.has(key)) out.set(key, o);
  }
  return out;
}

/**
 * The unit a finding's fix belongs to, as its rule declares it (`meta.fixUnit`, carried on the fix). By
 * default: its container when every op stays inside one container, else its pod spec, else its object.
 * `rule-entry`: the item of the object's `rules` list the ops are in. Fixes of one unit become one edit
 * (one suggestion); a unit the ops do not fit in falls back to the next larger one.
 */
export function groupKeyOf(file: ScannedFile, f: Finding, objects: ObjectsById = objectsById(file)): string {
  const id = f.resource;
  const paths = (f.fix?.ops ?? []).map((op) => op.path);
  if (!id) return `?:${f.fingerprint}`;
  const o = objects.get(objectKey(id.docIndex, id.basePath));
  const w = o && isWorkload(o) ? o : undefined;
  const declared = f.fix?.unit;
  const entry = paths[0]?.[id.basePath.length + 1];
  const entries: Path[] = declared === 'rule-entry' && typeof entry === 'number' ? [[...id.basePath, 'rules', entry]] : [];
  const containers = declared === undefined || declared === 'container' ? (w?.containers.map((c) => c.path) ?? []) : [];
  const pod = declared !== 'object' && declared !== 'rule-entry' && w ? [w.podSpecPath] : [];
  const candidates: Path[] = [...entries, ...containers, ...pod, id.basePath];
  const unit = candidates.find((p) => paths.every((op) => startsWith(op, p))) ?? [];
  return `${id.docIndex}:${pathToString(unit)}`;
}
