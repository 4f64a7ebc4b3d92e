import { defineRule } from '../core/rule.js';
import { registryMatches } from '../k8s/image-ref.js';
import { codeList, describe } from './helpers.js';
import { forEachValidImage } from './image-helpers.js';

export default defineRule({
  id: 'image-registry',
  meta: {
    title: 'Image from a registry that is not allowed',
    description:
      'When `images.allowedRegistries` is configured, every container image must come from one of its registries or repository prefixes. Names are compared in canonical form (`nginx` is `docker.io/library/nginx`) on whole components: `gcr.io` allows `gcr.io/proj/app`, not `evilgcr.io/app`, and `ghcr.io/acme` does not allow `ghcr.io/acme-evil/app`.',
    rationale:
      'An image is code that runs with the pod’s privileges. A registry outside the ones the organisation controls or trusts can serve anything, and a look-alike name (`evilgcr.io`, a typo-squatted Docker Hub namespace) is easy to miss in review.',
    remediation:
      'Pull the image from an allowed registry (push or mirror it there; `images.mirrors` gives a one-click rewrite), or add its registry to `images.allowedRegistries` if it is trusted.',
    severity: 'high',
    category: 'supply-chain',
    standards: { trivy: ['KSV-0125'], kubescape: ['C-0078'] },
    fixable: false,
  },
  check: forEachValidImage((c, { ref, path, text }, ctx) => {
    const allowed = ctx.images.allowedRegistries ?? [];
    if (allowed.length === 0 || allowed.some((a) => registryMatches(ref, a))) return;
    ctx.report({
      path,
      container: c.name,
      message: `${describe(c)} image \`${text}\` (\`${ref.name}\`) comes from \`${ref.domain}\`, not from an allowed registry (\`images.allowedRegistries\`: ${codeList(allowed)})`,
    });
  }),
});
