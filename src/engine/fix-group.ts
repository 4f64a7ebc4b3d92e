import { type Finding, type Path, pathToString } from '../core/types.js';
import type { ScannedFile } from './scan.js';

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

/**
 * The unit a finding's fix belongs to: its container when every op stays inside one container, else
 * its pod spec, else its object. Fixes of one unit become one edit (one suggestion).
 */
export function groupKeyOf(file: ScannedFile, f: Finding): string {
  const id = f.resource;
  const paths = (f.fix?.ops ?? []).map((op) => op.path);
  if (!id) return `?:${f.fingerprint}`;
  const w = file.workloads.find((x) => x.id.docIndex === id.docIndex && pathToString(x.id.basePath) === pathToString(id.basePath));
  const candidates: Path[] = [...(w?.containers.map((c) => c.path) ?? []), ...(w?.podSpecPath ? [w.podSpecPath] : []), id.basePath];
  const unit = candidates.find((p) => paths.every((op) => startsWith(op, p))) ?? [];
  return `${id.docIndex}:${pathToString(unit)}`;
}
