import { hash } from 'node:crypto';
import type { Path, ResourceId } from '../core/types.js';
import { flatString } from './report-only.js';

/**
 * Stable identity of a finding: rule + file + kind/namespace/name + container + path. Container
 * indexes are replaced by names so that reordering containers or shifting lines changes nothing.
 * Computed once per finding, so the key is built in one pass and hashed one-shot.
 */
export function fingerprint(ruleId: string, file: string, resource: ResourceId | undefined, container: string | undefined, path: Path): string {
  return fingerprintFor(ruleId, file, resourceKey(resource), container, path);
}

/** The resource's part of a fingerprint's key: the same for every finding on the object, so a scan makes it once per object. */
export function resourceKey(resource: ResourceId | undefined): string {
  return resource ? `${resource.kind}/${resource.namespace ?? ''}/${resource.name}` : '';
}

/** `fingerprint`, with the resource's part of the key (`resourceKey`) already made. */
export function fingerprintFor(ruleId: string, file: string, who: string, container: string | undefined, path: Path): string {
  const key = `${ruleId}\u0000${file}\u0000${who}\u0000${container ?? ''}\u0000${namedPathString(path, container)}`;
  // Flat: a slice would keep the whole 64-digit hex string alive in every finding.
  return flatString(hash('sha256', key, 'hex').slice(0, 16));
}

const CONTAINER_LISTS = new Set<unknown>(['containers', 'initContainers', 'ephemeralContainers']);

/** `[A-Za-z_][\w-]*`, without a regular expression. */
function isIdentifier(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && (i === 0 || !((c >= 48 && c <= 57) || c === 45))) return false;
  }
  return true;
}

/** `pathToString` of the path with each container index replaced by `name=<container>`. */
function namedPathString(path: Path, container: string | undefined): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    let seg = path[i] as string | number;
    if (container !== undefined && typeof seg === 'number' && i > 0 && CONTAINER_LISTS.has(path[i - 1])) seg = `name=${container}`;
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (isIdentifier(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
