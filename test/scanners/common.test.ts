import { describe, expect, it } from 'vitest';
import { bracketPath, containerSlot, parseJsonText, parsePath, pathResolver, pathSlot } from '../../src/scanners/common.js';

describe('pathResolver', () => {
  const resolve = pathResolver(
    new Map([
      ['/tmp/s/apps/web/deploy.yaml', 'apps/web/deploy.yaml'],
      ['/tmp/s/apps/api/deploy.yaml', 'apps/api/deploy.yaml'],
      ['/tmp/s/base/rbac.yaml', 'base/rbac.yaml'],
    ]),
  );

  it.each([
    ['/tmp/s/apps/web/deploy.yaml', 'apps/web/deploy.yaml'],
    ['apps/web/deploy.yaml', 'apps/web/deploy.yaml'],
    ['./apps/web/deploy.yaml', 'apps/web/deploy.yaml'],
    ['.\\apps\\web\\deploy.yaml', 'apps/web/deploy.yaml'],
    ['web/deploy.yaml', 'apps/web/deploy.yaml'],
    ['rbac.yaml', 'base/rbac.yaml'],
    // two files end with it: ambiguous, so unknown
    ['deploy.yaml', undefined],
    ['/elsewhere/base/rbac.yaml', undefined],
    ['unknown.yaml', undefined],
  ])('%s → %s', (printed, expected) => {
    expect(resolve(printed)).toBe(expected);
  });
});

describe('paths', () => {
  it('bracketPath turns Datree dotted indexes into brackets', () => {
    expect(bracketPath('spec.template.spec.containers.0.resources.limits')).toBe('spec.template.spec.containers[0].resources.limits');
    expect(bracketPath('metadata.labels.owner')).toBe('metadata.labels.owner');
  });

  it('parsePath splits keys and indexes', () => {
    expect(parsePath('spec.containers[1].volumeMounts[0].readOnly')).toEqual(['spec', 'containers', 1, 'volumeMounts', 0, 'readOnly']);
    expect(parsePath('')).toEqual([]);
  });

  it('pathSlot and containerSlot find the container or volume a path is in', () => {
    expect(pathSlot('spec.template.spec.initContainers[2].securityContext.privileged')).toBe('spec.template.spec.initContainers[2]');
    expect(pathSlot('spec.volumes[4].hostPath.path')).toBe('spec.volumes[4]');
    expect(pathSlot('spec.hostNetwork')).toBe('');
    expect(pathSlot(undefined)).toBe('');
    expect(containerSlot('spec.template.spec.containers[0].image')).toBe('containers[0]');
    expect(containerSlot('spec.volumes[0]')).toBeUndefined();
  });
});

describe('parseJsonText', () => {
  it('reads a document, also after a log line', () => {
    expect(parseJsonText(' {"a":1}\n')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonText('level=info msg=scanning\n{"a":1}\n')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonText('')).toEqual({ ok: false, why: 'empty output' });
    expect(parseJsonText('nope').ok).toBe(false);
  });
});
