import { defineRule } from '../core/rule.js';
import { describe } from './helpers.js';
import { digestExempt, forEachValidImage } from './image-helpers.js';

export default defineRule({
  id: 'image-digest',
  meta: {
    title: 'Image not pinned by digest',
    description:
      'Every container image must be pinned by digest (`image@sha256:…`), except images matched by `images.digestExempt`. The `minpriv` profile runs this rule; `images.requireDigest: true` runs it under every profile.',
    rationale:
      'A tag is a pointer the registry can move: whoever can push to the repository can change what the cluster runs without a change in Git. A digest names the content itself, so what was reviewed is what runs.',
    remediation:
      'Append the digest of the reviewed image (`nginx:1.27.3@sha256:…`). minpriv cannot look it up offline: let Renovate pin and update digests (`pinDigests`, Kubernetes manifests included), or print it with `crane digest <image>`.',
    severity: 'low',
    category: 'supply-chain',
    standards: { kubescape: ['C-0306'], checkov: ['CKV_K8S_43'], datree: ['CONTAINERS_MISSING_IMAGE_VALUE_DIGEST'] },
    fixable: false,
  },
  check: forEachValidImage((c, { ref, path, text }, ctx) => {
    if (ref.digest !== undefined || digestExempt(ref, ctx.images)) return;
    const pinned = `${ref.familiar}${ref.tag === undefined ? ':<version>' : ''}@sha256:…`;
    ctx.report({
      path,
      container: c.name,
      message: `${describe(c)} image \`${text}\` is not pinned by digest: pin it as \`${pinned}\` (Renovate’s \`pinDigests\` keeps digests current; \`crane digest ${ref.familiar}\` prints one)`,
    });
  }),
});
