import { describe, expect, it } from 'vitest';
import { isWorkload, type K8sObject, type Workload } from '../../src/core/workload.js';
import { scan } from '../../src/engine/scan.js';
import { objectsOfDocument, toObject } from '../../src/k8s/workload.js';

const deployment = (kind: string) => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name: 'web' },
  spec: {
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'app', image: 'nginx' }, 'junk', { image: 'x' }] },
    },
  },
});

function workload(o: K8sObject): Workload {
  if (!isWorkload(o)) throw new Error(`${o.id.kind} has no pod spec`);
  return o;
}

describe('toObject', () => {
  it('locates the pod template, its metadata and every container with its path', () => {
    const w = workload(toObject(deployment('Deployment'), 'a.yaml', 0, [], false));
    expect(w.podSpecPath).toEqual(['spec', 'template', 'spec']);
    expect(w.podMetaPath).toEqual(['spec', 'template', 'metadata']);
    expect(w.podMeta).toEqual({ labels: { app: 'web' } });
    expect(w.containers.map((c) => [c.name, c.list, c.index, c.path])).toEqual([
      ['app', 'containers', 0, ['spec', 'template', 'spec', 'containers', 0]],
      ['containers[2]', 'containers', 2, ['spec', 'template', 'spec', 'containers', 2]],
      ['init', 'initContainers', 0, ['spec', 'template', 'spec', 'initContainers', 0]],
    ]);
    expect(w.partial).toBe(false);
  });

  it('prefixes the paths of a List item with its place in the list', () => {
    const [item] = objectsOfDocument({
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', image: 'b' }] } }],
    });
    if (!item) throw new Error('no item');
    const w = workload(toObject(item.value, 'a.yaml', 0, item.basePath, false));
    expect(w.podSpecPath).toEqual(['items', 0, 'spec']);
    expect(w.podMetaPath).toEqual(['items', 0, 'metadata']);
    expect(w.containers[0]?.path).toEqual(['items', 0, 'spec', 'containers', 0]);
  });

  it('does not take the names of Object.prototype for workload kinds', () => {
    for (const kind of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const bare = toObject({ apiVersion: 'v1', kind, spec: { containers: [{ name: 'a', image: 'b' }] } }, 'a.yaml', 0, [], false);
      expect(isWorkload(bare)).toBe(false);
      // With a pod template it is a custom workload like any other.
      expect(workload(toObject(deployment(kind), 'a.yaml', 0, [], false)).containers).toHaveLength(3);
    }
  });

  it('scans a document whose kind is an Object.prototype name without throwing', () => {
    const out = scan([{ path: 'a.yaml', content: 'apiVersion: v1\nkind: constructor\nspec:\n  containers: [{name: a, image: b}]\n' }]);
    expect(out.resourcesScanned).toBe(0);
    expect(out.findings).toEqual([]);
  });
});
