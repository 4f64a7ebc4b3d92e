import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import rule from '../../src/rules/image-registry.js';
import { yaml } from './tester.js';

const pod = (image: string) => yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: web
  spec:
    initContainers:
      - name: init
        image: ${image}
    containers:
      - name: app
        image: registry.corp.example/web:1.0
`;
const found = (image: string, allowedRegistries?: string[]) =>
  scan([{ path: 'p.yaml', content: pod(image) }], { ruleset: [rule], images: allowedRegistries ? { allowedRegistries } : {} }).findings.map((f) => [
    f.line,
    f.container,
  ]);
const ALLOWED = ['registry.corp.example', 'ghcr.io/acme', 'docker.io/library', 'localhost:5000'];

describe('image-registry', () => {
  it('reports nothing until allowedRegistries is configured (an empty list allows everything)', () => {
    expect(found('evilgcr.io/x:1.0')).toEqual([]);
    expect(found('evilgcr.io/x:1.0', [])).toEqual([]);
  });

  it.each([
    ['registry.corp.example/team/app:1.0', true],
    ['ghcr.io/acme/web:1.0', true],
    ['ghcr.io/acme:1.0', true],
    ['ghcr.io/acme-evil/web:1.0', false],
    ['ghcr.io/acmeinc/web:1.0', false],
    ['nginx:1.27', true],
    ['library/nginx:1.27', true],
    ['index.docker.io/library/nginx:1.27', true],
    ['bitnami/redis:7.2', false],
    ['registry.corp.example.evil.io/app:1.0', false],
    ['evilregistry.corp.example/app:1.0', false],
    ['localhost:5000/app', true],
    ['localhost:5001/app', false],
    ['localhost/app', false],
  ])('%s allowed: %s', (image, allowed) => {
    expect(found(image, ALLOWED)).toEqual(allowed ? [] : [[8, 'init']]);
  });

  it('names the registry and the allowed list', () => {
    const out = scan([{ path: 'p.yaml', content: pod('evilgcr.io/x:1.0') }], { ruleset: [rule], images: { allowedRegistries: ['gcr.io'] } });
    expect(out.findings.map((f) => [f.ruleId, f.line, f.message])).toEqual([
      [
        'image-registry',
        8,
        'init container `init` image `evilgcr.io/x:1.0` (`evilgcr.io/x`) comes from `evilgcr.io`, not from an allowed registry (`images.allowedRegistries`: `gcr.io`)',
      ],
      [
        'image-registry',
        11,
        'container `app` image `registry.corp.example/web:1.0` (`registry.corp.example/web`) comes from `registry.corp.example`, not from an allowed registry (`images.allowedRegistries`: `gcr.io`)',
      ],
    ]);
  });
});
