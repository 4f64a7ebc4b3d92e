import { defineRule } from '../core/rule.js';
import { type ImageRef, isParseError, parseImageRef, registryMatches } from '../k8s/image-ref.js';
import { describe } from './helpers.js';
import { forEachValidImage, rewritePrefix } from './image-helpers.js';

// Registries their owners retired, and where the same images (same paths, tags and digests) are served now.
const RETIRED: Readonly<Record<string, { to: string; why: string }>> = {
  'k8s.gcr.io': { to: 'registry.k8s.io', why: 'the Kubernetes project froze it in April 2023 (no new images, tags or fixes)' },
};

/** The longest `images.mirrors` key the image is under, unless it already comes from that key's mirror. */
function mirrorOf(ref: ImageRef, mirrors: Readonly<Record<string, string>>): { from: string; to: string; image: string } | undefined {
  let best: { from: string; to: string; image: string } | undefined;
  for (const [from, to] of Object.entries(mirrors)) {
    const image = rewritePrefix(ref, from, to);
    if (image === undefined || registryMatches(ref, to)) continue;
    if (!best || from.length > best.from.length) best = { from, to, image };
  }
  return best;
}

export default defineRule({
  id: 'image-deprecated-registry',
  meta: {
    title: 'Image from a retired registry, or not through its mirror',
    description:
      'A container image must not come from a retired registry (`k8s.gcr.io`, replaced by `registry.k8s.io`), nor, when `images.mirrors` is configured, from a registry or repository the configuration sends through a mirror.',
    rationale:
      'A retired registry gets no new images or security fixes and may stop serving at any time, which stops pods from starting on new nodes. A configured mirror is where the organisation scans, caches and controls what runs.',
    remediation:
      'Pull the same image from its new home: `k8s.gcr.io/<path>` is `registry.k8s.io/<path>` with the same tags and digests; an image under an `images.mirrors` key moves under its mirror, path, tag and digest kept.',
    severity: 'medium',
    category: 'supply-chain',
    standards: { kubescape: ['C-0253'] },
    fixable: true,
  },
  check: forEachValidImage((c, { ref, path, text }, ctx) => {
    const reasons: string[] = [];
    let next = ref;
    const retired = RETIRED[ref.domain.toLowerCase()];
    if (retired) {
      const moved = parseImageRef(retired.to + ref.normalized.slice(ref.domain.length));
      if (isParseError(moved)) return;
      reasons.push(`comes from \`${ref.domain}\`: ${retired.why}; its images are served from \`${retired.to}\``);
      next = moved;
    }
    const mirror = mirrorOf(next, ctx.images.mirrors ?? {});
    const target = mirror ? parseImageRef(mirror.image) : next;
    if (mirror) reasons.push(`is under \`${mirror.from}\`, which \`images.mirrors\` sends through \`${mirror.to}\``);
    if (reasons.length === 0) return;
    const at = `${describe(c)} image \`${text}\` ${reasons.join(', and ')}`;
    if (isParseError(target)) {
      ctx.report({ path, container: c.name, message: `${at}; the mirror gives \`${mirror?.image}\`, which is not a valid image reference` });
      return;
    }
    const image = target.normalized;
    ctx.report({
      path,
      container: c.name,
      message: `${at}: pull \`${image}\``,
      fix: { confidence: 'safe', title: `pull \`${image}\``, ops: [{ op: 'set', path, value: image }] },
    });
  }),
});
