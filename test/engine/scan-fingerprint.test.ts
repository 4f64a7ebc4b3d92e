import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Path, pathToString, type ResourceId } from '../../src/core/types.js';
import { fingerprint } from '../../src/engine/fingerprint.js';

/** The fingerprint as first specified: an independent, obviously-correct reference. */
function reference(ruleId: string, file: string, resource: ResourceId | undefined, container: string | undefined, path: Path): string {
  const named = [...path];
  if (container !== undefined) {
    for (let i = 0; i < named.length - 1; i++) {
      const seg = named[i];
      if ((seg === 'containers' || seg === 'initContainers' || seg === 'ephemeralContainers') && typeof named[i + 1] === 'number')
        named[i + 1] = `name=${container}`;
    }
  }
  const who = resource ? `${resource.kind}/${resource.namespace ?? ''}/${resource.name}` : '';
  const key = [ruleId, file, who, container ?? '', pathToString(named)].join('\u0000');
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

const id: ResourceId = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', file: 'a.yaml', docIndex: 0, basePath: [] };

describe('fingerprint', () => {
  it('is pinned: a change here changes every fingerprint users have already seen', () => {
    expect(
      fingerprint('privileged-container', 'apps/web.yaml', id, 'web', ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged']),
    ).toBe('743b1f1305cc5f7d');
    expect(fingerprint('yaml-syntax', 'broken.yaml', undefined, undefined, [])).toBe('d5c70ac1fe8b9227');
  });

  it('equals the reference for any path, container and resource', () => {
    const seg = fc.oneof(
      fc.constantFrom('spec', 'containers', 'initContainers', 'ephemeralContainers', 'securityContext', 'a-b', '_x', 'x.y', '1st', '', 'name=c', 'é'),
      fc.string(),
      fc.nat(20),
    );
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 10 }), fc.option(fc.string(), { nil: undefined }), fc.boolean(), (path, container, withId) => {
        const r = withId ? id : undefined;
        expect(fingerprint('rule', 'f.yaml', r, container, path)).toBe(reference('rule', 'f.yaml', r, container, path));
      }),
      { numRuns: 2000, seed: 20261129 },
    );
  });
});
