import type { K8sObject } from '../core/object.js';
import { type Finding, type Path, pathToString } from '../core/types.js';
import { isWorkload } from '../core/workload.js';
import type { ScannedFile } from './scan.js';

function startsWith(path: Path, prefix: Path): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/** The file's objects by document and path in it: the first of each, as `objects.find` gives it. */
export type ObjectsById = ReadonlyMap<string, K8sObject>;

/** `docIndex:path` of an object, as `keyOf` writes it (the ids of one object share their base path). */
const objectKey = (docIndex: number, basePath: Path): string => keyOf(docIndex, basePath);

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
 * The group keys of the unit paths (`docIndex:path`), which the findings of one object share (the same
 * arrays): each written once, and then the same string, whose hash the map of groups has worked out already.
 */
const unitKeys = new WeakMap<Path, string[]>();

function keyOf(docIndex: number, path: Path): string {
  let keys = unitKeys.get(path);
  if (!keys) {
    keys = [];
    unitKeys.set(path, keys);
  }
  let k = keys[docIndex];
  if (k === undefined) {
    k = `${docIndex}:${pathToString(path)}`;
    keys[docIndex] = k;
  }
  return k;
}

/**
 * The unit a finding's fix belongs to, as its rule declares it (`meta.fixUnit`, carried on the fix). By
 * default: its container when every op stays inside one container, else its pod spec, else its object.
 * `rule-entry`: the item of the object's `rules` list the ops are in. Fixes of one unit become one edit
 * (one suggestion); a unit the ops do not fit in falls back to the next larger one. The candidates are
 * tried in that order, the first that holds every op's path wins (no list of them is built: this runs per finding).
 */
export function groupKeyOf(file: ScannedFile, f: Finding, objects: ObjectsById = objectsById(file)): string {
  const id = f.resource;
  if (!id) return `?:${f.fingerprint}`;
  const ops = f.fix?.ops ?? [];
  const fits = (p: Path): boolean => {
    for (const op of ops) if (!startsWith(op.path, p)) return false;
    return true;
  };
  const key = (p: Path): string => keyOf(id.docIndex, p);
  const o = objects.get(objectKey(id.docIndex, id.basePath));
  const w = o && isWorkload(o) ? o : undefined;
  const declared = f.fix?.unit;
  if (declared === 'rule-entry') {
    const entry = ops[0]?.path[id.basePath.length + 1];
    if (typeof entry === 'number') {
      const p: Path = [...id.basePath, 'rules', entry];
      if (fits(p)) return `${id.docIndex}:${pathToString(p)}`;
    }
  }
  if (w && (declared === undefined || declared === 'container')) for (const c of w.containers) if (fits(c.path)) return key(c.path);
  if (w && declared !== 'object' && declared !== 'rule-entry' && fits(w.podSpecPath)) return key(w.podSpecPath);
  if (fits(id.basePath)) return key(id.basePath);
  return `${id.docIndex}:`;
}
