import { describe, expect, it } from 'vitest';
import type { ImagePolicy } from '../../src/core/rule.js';
import { scan } from '../../src/engine/scan.js';
import imageDeprecatedRegistry from '../../src/rules/image-deprecated-registry.js';
import imageDigest from '../../src/rules/image-digest.js';
import imageMutableTag from '../../src/rules/image-mutable-tag.js';
import imagePullPolicy from '../../src/rules/image-pull-policy.js';
import imageRegistry from '../../src/rules/image-registry.js';

const ruleset = [imageDeprecatedRegistry, imageDigest, imageMutableTag, imagePullPolicy, imageRegistry];
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

/** The image rules that fire on one container image, sorted. */
function firing(image: string, images: ImagePolicy = {}): string[] {
  const text = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: p',
    'spec:',
    '  containers:',
    '    - name: app',
    `      image: ${JSON.stringify(image)}`,
    '',
  ].join('\n');
  const out = scan([{ path: 'p.yaml', content: text }], { ruleset, images });
  expect(out.notices).toEqual([]);
  return out.findings.map((f) => f.ruleId).sort();
}

// Reference semantics from distribution/reference (see test/k8s/image-ref.test.ts): `nginx` is
// docker.io/library/nginx with no tag; a digest pins whatever the tag says.
describe('image rules by reference, no image policy', () => {
  it.each([
    ['nginx', ['image-digest', 'image-mutable-tag', 'image-pull-policy']],
    ['nginx:latest', ['image-digest', 'image-mutable-tag', 'image-pull-policy']],
    ['nginx:1.27.3', ['image-digest']],
    [`nginx@${DIGEST}`, []],
    [`nginx:latest@${DIGEST}`, []],
    ['k8s.gcr.io/pause:3.9', ['image-deprecated-registry', 'image-digest']],
    ['K8S.GCR.IO/pause:3.9', ['image-deprecated-registry', 'image-digest']],
    ['registry.k8s.io/pause:3.9', ['image-digest']],
    ['evilgcr.io/x:1.0', ['image-digest']],
    ['localhost:5000/app', ['image-digest', 'image-mutable-tag', 'image-pull-policy']],
    ['localhost:5000/app:2.1', ['image-digest']],
    ['Nginx:1.27', ['image-mutable-tag']],
    ['ghcr.io/Acme/web:1.0', ['image-mutable-tag']],
    [`nginx@sha256:${'0'.repeat(10)}`, ['image-mutable-tag']],
  ])('%s', (image, rules) => {
    expect(firing(image)).toEqual(rules);
  });
});

describe('image rules by reference, with a policy', () => {
  const images: ImagePolicy = {
    allowedRegistries: ['gcr.io', 'localhost:5000', 'docker.io/library'],
    disallowedTags: ['latest', 'stable'],
    digestExempt: ['localhost:5000/**'],
  };

  it.each([
    ['nginx', ['image-digest', 'image-mutable-tag', 'image-pull-policy']],
    ['nginx:stable', ['image-digest', 'image-mutable-tag', 'image-pull-policy']],
    ['nginx:1.27.3', ['image-digest']],
    [`nginx@${DIGEST}`, []],
    ['bitnami/redis:7.2', ['image-digest', 'image-registry']],
    ['gcr.io/proj/app:1.0', ['image-digest']],
    ['evilgcr.io/x:1.0', ['image-digest', 'image-registry']],
    ['gcr.io.evil.com/x:1.0', ['image-digest', 'image-registry']],
    ['k8s.gcr.io/pause:3.9', ['image-deprecated-registry', 'image-digest', 'image-registry']],
    ['localhost:5000/app', ['image-mutable-tag', 'image-pull-policy']],
    ['localhost:5000/app:2.1', []],
    ['localhost:5001/app:2.1', ['image-digest', 'image-registry']],
    ['Nginx:1.27', ['image-mutable-tag']],
  ])('%s', (image, rules) => {
    expect(firing(image, images)).toEqual(rules);
  });
});

describe('containers of every kind', () => {
  it('init and ephemeral containers are checked like the others; a container without an image is skipped', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      'spec:',
      '  initContainers:',
      '    - name: init',
      '      image: busybox',
      '  containers:',
      '    - name: app',
      '      image: ghcr.io/acme/web:1.0',
      '    - name: filled-in-later',
      '  ephemeralContainers:',
      '    - name: debug',
      '      image: nicolaka/netshoot:latest',
      '',
    ].join('\n');
    const out = scan([{ path: 'p.yaml', content: text }], { ruleset: [imageMutableTag] });
    expect(out.findings.map((f) => [f.ruleId, f.line, f.container])).toEqual([
      ['image-mutable-tag', 8, 'init'],
      ['image-mutable-tag', 15, 'debug'],
    ]);
  });

  it('an image that is not a string is not a valid reference, and nothing crashes', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: [a, b]\n';
    const out = scan([{ path: 'p.yaml', content: text }], { ruleset });
    expect(out.notices).toEqual([]);
    expect(out.findings.map((f) => f.message)).toEqual(['container `app` image `["a","b"]` is not a valid image reference: invalid reference format']);
  });
});
