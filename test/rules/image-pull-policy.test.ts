import { describe, expect, it } from 'vitest';
import type { ImagePolicy } from '../../src/core/rule.js';
import { scan } from '../../src/engine/scan.js';
import rule from '../../src/rules/image-pull-policy.js';
import { yaml } from './tester.js';

const pod = (image: string, policy?: string) => yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: web
  spec:
    containers:
      - name: app
        image: ${image}${policy ? `\n        imagePullPolicy: ${policy}` : ''}
`;
const found = (image: string, policy?: string, images: ImagePolicy = {}) =>
  scan([{ path: 'p.yaml', content: pod(image, policy) }], { ruleset: [rule], images }).findings.map((f) => [f.line, f.message]);

describe('image-pull-policy', () => {
  it('missing with `latest` or no tag: the effective policy is Always', () => {
    // A missing field is reported on the container that lacks it.
    expect(found('nginx')).toEqual([
      [
        7,
        'container `app` runs `nginx` (no tag) without `imagePullPolicy`: the effective policy is `Always`, the Kubernetes default for `:latest` and untagged images only; set it, so it stays when the tag becomes another moving one',
      ],
    ]);
    expect(found('nginx:latest')).toHaveLength(1);
  });

  it('missing with another mutable tag: the effective policy is IfNotPresent', () => {
    expect(found('ghcr.io/acme/web:stable', undefined, { disallowedTags: ['latest', 'stable'] })).toEqual([
      [
        7,
        'container `app` runs `ghcr.io/acme/web:stable` (mutable tag `stable`) without `imagePullPolicy`: the effective policy is `IfNotPresent`, the Kubernetes default for any tag but `latest`: each node keeps the `stable` it pulled first',
      ],
    ]);
  });

  it('explicit IfNotPresent or Never with a mutable tag; the fix sets Always for review', () => {
    const out = scan([{ path: 'p.yaml', content: pod('nginx:latest', 'IfNotPresent') }], { ruleset: [rule] });
    expect(out.findings.map((f) => [f.line, f.message, f.fix])).toEqual([
      [
        9,
        'container `app` runs `nginx:latest` (mutable tag `latest`) with `imagePullPolicy: IfNotPresent`: nodes keep the copy of the tag they pulled first',
        {
          confidence: 'review',
          title: 'set `imagePullPolicy: Always`',
          check: 'every pod start then needs the registry: a node that cannot reach it cannot start the pod (pinning a version or digest avoids both)',
          ops: [{ op: 'set', path: ['spec', 'containers', 0, 'imagePullPolicy'], value: 'Always' }],
        },
      ],
    ]);
    expect(found('nginx', 'Never')).toHaveLength(1);
  });

  it('a pinned version or digest, or Always, is fine', () => {
    expect(found('nginx:1.27.3')).toEqual([]);
    expect(found('nginx:1.27.3', 'IfNotPresent')).toEqual([]);
    expect(found(`nginx:latest@sha256:${'cd'.repeat(32)}`)).toEqual([]);
    expect(found('nginx', 'Always')).toEqual([]);
  });
});
