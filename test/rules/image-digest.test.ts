import { describe, expect, it } from 'vitest';
import type { ImagePolicy } from '../../src/core/rule.js';
import { type ScanOptions, scan } from '../../src/engine/scan.js';
import rule from '../../src/rules/image-digest.js';
import { yaml } from './tester.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const pod = (...images: string[]) => yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: web
  spec:
    containers:
${images.map((image, i) => `      - name: c${i}\n        image: ${image}`).join('\n')}
`;
const lines = (text: string, options: ScanOptions) =>
  scan([{ path: 'p.yaml', content: text }], options)
    .findings.filter((f) => f.ruleId === 'image-digest')
    .map((f) => [f.line, f.severity]);

describe('image-digest', () => {
  it('says how to pin, since no digest can be looked up offline', () => {
    const out = scan([{ path: 'p.yaml', content: pod('nginx:1.27.3', 'ghcr.io/acme/web') }], { ruleset: [rule] });
    expect(out.findings.map((f) => [f.line, f.message, f.fix])).toEqual([
      [
        8,
        'container `c0` image `nginx:1.27.3` is not pinned by digest: pin it as `nginx:1.27.3@sha256:…` (Renovate’s `pinDigests` keeps digests current; `crane digest nginx:1.27.3` prints one)',
        undefined,
      ],
      [
        10,
        'container `c1` image `ghcr.io/acme/web` is not pinned by digest: pin it as `ghcr.io/acme/web:<version>@sha256:…` (Renovate’s `pinDigests` keeps digests current; `crane digest ghcr.io/acme/web` prints one)',
        undefined,
      ],
    ]);
  });

  it('digestExempt: globs on the canonical name, or plain prefixes on whole components', () => {
    const text = pod(
      'nginx:1.27',
      'registry.corp.example/dev/app:1',
      'registry.corp.example/devtools/app:1',
      'registry.corp.example/prod/app:1',
      `ghcr.io/acme/web:1@${DIGEST}`,
    );
    const exempt = (digestExempt: string[]) => lines(text, { ruleset: [rule], images: { digestExempt } }).map(([line]) => line);
    expect(exempt([])).toEqual([8, 10, 12, 14]);
    expect(exempt(['docker.io/library/*', 'registry.corp.example/dev/**'])).toEqual([12, 14]);
    expect(exempt(['registry.corp.example/dev/'])).toEqual([8, 12, 14]);
    // A familiar name is not a canonical one: `nginx` as a glob matches nothing.
    expect(exempt(['nginx'])).toEqual([8, 10, 12, 14]);
  });

  it('off in the PSS profiles, on in minpriv at low severity, and on in every profile with images.requireDigest', () => {
    const text = pod('ghcr.io/acme/web:1.4.2');
    const requireDigest: ImagePolicy = { requireDigest: true };
    expect(lines(text, { profile: 'pss-restricted' })).toEqual([]);
    expect(lines(text, { profile: 'pss-baseline' })).toEqual([]);
    expect(lines(text, { profile: 'minpriv' })).toEqual([[8, 'low']]);
    expect(lines(text, { profile: 'pss-baseline', images: requireDigest })).toEqual([[8, 'low']]);
    expect(lines(text, { profile: 'pss-restricted', images: requireDigest })).toEqual([[8, 'low']]);
    // A rule setting wins over requireDigest.
    expect(lines(text, { profile: 'pss-restricted', images: requireDigest, rules: { 'image-digest': 'high' } })).toEqual([[8, 'high']]);
    expect(lines(text, { profile: 'minpriv', images: requireDigest, rules: { 'image-digest': 'off' } })).toEqual([]);
  });
});
