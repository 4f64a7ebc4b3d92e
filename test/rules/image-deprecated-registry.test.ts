import { describe, expect, it } from 'vitest';
import type { ImagePolicy } from '../../src/core/rule.js';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';
import rule from '../../src/rules/image-deprecated-registry.js';
import { yaml } from './tester.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const pod = (image: string) => yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: web
  spec:
    containers:
      - name: app
        image: ${image}
`;

/** The image each finding's fix writes (undefined: no fix), and the file after every fix, verified. */
function fixed(image: string, images: ImagePolicy = {}): { to: (string | undefined)[]; text: string } {
  const content = pod(image);
  const options = { ruleset: [rule], images };
  const out = scan([{ path: 'p.yaml', content }], options);
  const file = out.files.get('p.yaml');
  if (!file) throw new Error('not scanned');
  const { fixes, declined } = buildFixes(file, out.findings, { scan: options, includeReview: false });
  expect(declined).toEqual([]);
  const text = applyLineEdits(
    content,
    fixes.map((f) => f.edit),
  );
  return { to: out.findings.map((f) => f.fix?.ops.map((o) => (o.op === 'set' ? String(o.value) : o.op)).join()), text };
}

describe('image-deprecated-registry: k8s.gcr.io', () => {
  it('moves to registry.k8s.io, tag and digest kept, as a safe fix', () => {
    const out = scan([{ path: 'p.yaml', content: pod('k8s.gcr.io/pause:3.9') }], { ruleset: [rule] });
    expect(out.findings.map((f) => [f.line, f.message, f.fix?.confidence])).toEqual([
      [
        8,
        'container `app` image `k8s.gcr.io/pause:3.9` comes from `k8s.gcr.io`: the Kubernetes project froze it in April 2023 (no new images, tags or fixes); its images are served from `registry.k8s.io`: pull `registry.k8s.io/pause:3.9`',
        'safe',
      ],
    ]);
    // The edit layer quotes a string with `:` (always valid YAML, if not always needed).
    expect(fixed('k8s.gcr.io/pause:3.9').text).toBe(pod('"registry.k8s.io/pause:3.9"'));
    expect(fixed(`k8s.gcr.io/ingress-nginx/controller:v1.1.1@${DIGEST}`).to).toEqual([`registry.k8s.io/ingress-nginx/controller:v1.1.1@${DIGEST}`]);
    expect(fixed('k8s.gcr.io/pause').to).toEqual(['registry.k8s.io/pause']);
  });

  it('not a look-alike, and not registry.k8s.io itself', () => {
    expect(fixed('notk8s.gcr.io/pause:3.9').to).toEqual([]);
    expect(fixed('gcr.io/k8s.gcr.io/pause:3.9').to).toEqual([]);
    expect(fixed('registry.k8s.io/pause:3.9').to).toEqual([]);
  });
});

describe('image-deprecated-registry: images.mirrors', () => {
  const mirrors = {
    'docker.io': 'registry.corp.example/dockerhub/',
    'docker.io/bitnami': 'registry.corp.example/bitnami',
    'registry.k8s.io': 'registry.corp.example/k8s',
  };

  it('only when the configuration gives mirrors', () => {
    expect(fixed('nginx:1.27').to).toEqual([]);
  });

  it('rewrites the canonical name under the longest matching prefix, keeping path, tag and digest', () => {
    expect(fixed('nginx:1.27', { mirrors }).to).toEqual(['registry.corp.example/dockerhub/library/nginx:1.27']);
    expect(fixed(`grafana/grafana@${DIGEST}`, { mirrors }).to).toEqual([`registry.corp.example/dockerhub/grafana/grafana@${DIGEST}`]);
    expect(fixed('bitnami/redis:7.2', { mirrors }).to).toEqual(['registry.corp.example/bitnami/redis:7.2']);
    expect(fixed('bitnamilegacy/redis:7.2', { mirrors }).to).toEqual(['registry.corp.example/dockerhub/bitnamilegacy/redis:7.2']);
    expect(fixed('ghcr.io/acme/web:1.0', { mirrors }).to).toEqual([]);
    expect(fixed('nginx:1.27', { mirrors }).text).toBe(pod('"registry.corp.example/dockerhub/library/nginx:1.27"'));
  });

  it('a retired registry moves first, then through the mirror of its successor', () => {
    const out = scan([{ path: 'p.yaml', content: pod('k8s.gcr.io/pause:3.9') }], { ruleset: [rule], images: { mirrors } });
    expect(out.findings.map((f) => f.message)).toEqual([
      'container `app` image `k8s.gcr.io/pause:3.9` comes from `k8s.gcr.io`: the Kubernetes project froze it in April 2023 (no new images, tags or fixes); its images are served from `registry.k8s.io`, and is under `registry.k8s.io`, which `images.mirrors` sends through `registry.corp.example/k8s`: pull `registry.corp.example/k8s/pause:3.9`',
    ]);
  });

  it('an image already on its mirror is left alone, even when the mirror lies under the prefix', () => {
    const nested = { 'ghcr.io/acme': 'ghcr.io/acme/mirror' };
    expect(fixed('ghcr.io/acme/mirror/web:1.0', { mirrors: nested }).to).toEqual([]);
    expect(fixed('ghcr.io/acme/web:1.0', { mirrors: nested }).to).toEqual(['ghcr.io/acme/mirror/web:1.0']);
  });

  it('a mirror that gives no valid reference is reported without a fix', () => {
    const out = scan([{ path: 'p.yaml', content: pod('nginx:1.27') }], { ruleset: [rule], images: { mirrors: { 'docker.io': 'Registry.Corp/Hub' } } });
    expect(out.findings.map((f) => [f.message, f.fix])).toEqual([
      [
        'container `app` image `nginx:1.27` is under `docker.io`, which `images.mirrors` sends through `Registry.Corp/Hub`; the mirror gives `Registry.Corp/Hub/library/nginx:1.27`, which is not a valid image reference',
        undefined,
      ],
    ]);
  });
});
