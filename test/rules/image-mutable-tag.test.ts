import { describe, expect, it } from 'vitest';
import type { ImagePolicy } from '../../src/core/rule.js';
import { scan } from '../../src/engine/scan.js';
import rule from '../../src/rules/image-mutable-tag.js';
import { yaml } from './tester.js';

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
const messages = (image: string, images: ImagePolicy = {}) =>
  scan([{ path: 'p.yaml', content: pod(image) }], { ruleset: [rule], images }).findings.map((f) => [f.line, f.message]);
const HOW = 'pin a version, better with its digest (Renovate’s `pinDigests`, or `crane digest <image>`)';

describe('image-mutable-tag', () => {
  it('no tag: says which image Kubernetes pulls', () => {
    expect(messages('nginx')).toEqual([
      [8, `container \`app\` image \`nginx\` has no tag: Kubernetes pulls \`nginx:latest\`, whatever that is when a node pulls it; ${HOW}`],
    ]);
  });

  it('`latest`, and a configured list of mutable tags instead of the default', () => {
    expect(messages('ghcr.io/acme/web:latest')).toEqual([
      [8, `container \`app\` image \`ghcr.io/acme/web:latest\` uses the mutable tag \`latest\`: what runs changes whenever the tag moves; ${HOW}`],
    ]);
    expect(messages('ghcr.io/acme/web:main', { disallowedTags: ['main', 'latest'] })).toHaveLength(1);
    expect(messages('ghcr.io/acme/web:main')).toEqual([]);
    // Tags are case-sensitive, as registries treat them.
    expect(messages('ghcr.io/acme/web:Latest')).toEqual([]);
    // Without `latest` in the list, `latest` is a tag like another; no tag at all still counts.
    expect(messages('ghcr.io/acme/web:latest', { disallowedTags: ['main'] })).toEqual([]);
    expect(messages('ghcr.io/acme/web', { disallowedTags: [] })).toHaveLength(1);
  });

  it('a digest pins the image whatever the tag says', () => {
    expect(messages(`nginx:latest@sha256:${'ab'.repeat(32)}`)).toEqual([]);
  });

  it('an invalid reference is its own finding, with the parser’s reason', () => {
    expect(messages('Nginx:1.27')).toEqual([
      [8, 'container `app` image `Nginx:1.27` is not a valid image reference: invalid reference format: repository name (library/Nginx) must be lowercase'],
    ]);
    expect(messages('"nginx:1.27 "')).toEqual([[8, 'container `app` image `nginx:1.27 ` is not a valid image reference: invalid reference format']]);
    expect(messages(`nginx@sha256:${'a'.repeat(63)}`)).toEqual([
      [8, `container \`app\` image \`nginx@sha256:${'a'.repeat(63)}\` is not a valid image reference: invalid checksum digest length`],
    ]);
  });
});
