import { defineRule } from '../core/rule.js';
import { isParseError } from '../k8s/image-ref.js';
import { describe } from './helpers.js';
import { forEachImage, isMutable } from './image-helpers.js';

export default defineRule({
  id: 'image-mutable-tag',
  meta: {
    title: 'Image has no tag or a mutable tag',
    description:
      'Every container image must name a version: no image without a tag, and no tag listed in `images.disallowedTags` (default `latest`), unless the image is pinned by digest. An image that is not a valid reference is reported here too.',
    rationale:
      'A missing or floating tag runs whatever the registry serves when a node pulls it: a rollout, a rescheduled pod or a new node can start different code than was reviewed, and a compromised tag reaches the cluster without any change in Git.',
    remediation:
      'Pin a version tag (`nginx:1.27.3`), better with its digest (`nginx:1.27.3@sha256:…`): Renovate’s `pinDigests` keeps both current, and `crane digest <image>` prints the digest.',
    severity: 'medium',
    category: 'supply-chain',
    standards: {
      kubeLinter: ['latest-tag'],
      trivy: ['KSV-0013'],
      polaris: ['tagNotSpecified'],
      checkov: ['CKV_K8S_14'],
      datree: ['CONTAINERS_MISSING_IMAGE_VALUE_VERSION'],
    },
    fixable: false,
  },
  check: forEachImage((c, image, ctx) => {
    const { ref, path, text } = image;
    const at = `${describe(c)} image \`${text}\``;
    if (isParseError(ref)) {
      ctx.report({ path, container: c.name, message: `${at} is not a valid image reference: ${ref.error}` });
      return;
    }
    if (!isMutable(ref, ctx.images)) return;
    const how = 'pin a version, better with its digest (Renovate’s `pinDigests`, or `crane digest <image>`)';
    const message =
      ref.tag === undefined
        ? `${at} has no tag: Kubernetes pulls \`${ref.familiar}:latest\`, whatever that is when a node pulls it; ${how}`
        : `${at} uses the mutable tag \`${ref.tag}\`: what runs changes whenever the tag moves; ${how}`;
    ctx.report({ path, container: c.name, message });
  }),
});
