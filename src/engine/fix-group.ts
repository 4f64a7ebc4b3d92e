import { type Finding, type Path, pathToString } from '../core/types.js';
import { isWorkload } from '../core/workload.js';
import type { ScannedFile } from './scan.js';

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

/**
 * The unit a finding's fix belongs to, as its rule declares it (`meta.fixUnit`, carried on the fix). By
 * default: its container when every op stays inside one container, else its pod spec, else its object.
 * `rule-entry`: the item of the object's `rules` list the ops are in. Fixes of one unit become one edit
 * (one suggestion); a unit the ops do not fit in falls back to the next larger one.
 */
export function groupKeyOf(file: ScannedFile, f: Finding): string {
  const id = f.resource;
  const paths = (f.fix?.ops ?? []).map((op) => op.path);
  if (!id) return `?:${f.fingerprint}`;
  const o = file.objects.find((x) => x.id.docIndex === id.docIndex && pathToString(x.id.basePath) === pathToString(id.basePath));
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
