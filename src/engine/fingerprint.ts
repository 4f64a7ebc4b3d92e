import { hash } from 'node:crypto';
import { type Path, pathToString, type ResourceId } from '../core/types.js';

/**
 * Stable identity of a finding: rule + file + kind/namespace/name + container + path. Container
 * indexes are replaced by names so that reordering containers or shifting lines changes nothing.
 */
export function fingerprint(ruleId: string, file: string, resource: ResourceId | undefined, container: string | undefined, path: Path): string {
  const named = container === undefined ? path : nameContainerIndex(path, container);
  const who = resource ? `${resource.kind}/${resource.namespace ?? ''}/${resource.name}` : '';
  const key = [ruleId, file, who, container ?? '', pathToString(named)].join('\u0000');
  // One-shot hash: same digest as createHash, without a Hash object per finding (big scans make tens of thousands).
  return hash('sha256', key, 'hex').slice(0, 16);
}

function nameContainerIndex(path: Path, container: string): Path {
  const out = [...path];
  for (let i = 0; i < out.length - 1; i++) {
    const seg = out[i];
    if ((seg === 'containers' || seg === 'initContainers' || seg === 'ephemeralContainers') && typeof out[i + 1] === 'number') {
      out[i + 1] = `name=${container}`;
    }
  }
  return out;
}
