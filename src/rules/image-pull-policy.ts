import { defineRule } from '../core/rule.js';
import { describe, fmt } from './helpers.js';
import { forEachValidImage, isMutable } from './image-helpers.js';

export default defineRule({
  id: 'image-pull-policy',
  meta: {
    title: 'Mutable image tag without `imagePullPolicy: Always`',
    description:
      'A container whose image has no tag or a mutable tag (`images.disallowedTags`, default `latest`) and no digest must set `imagePullPolicy: Always`. Kubernetes defaults the policy to `Always` only for `:latest` and untagged images, and to `IfNotPresent` for any other tag.',
    rationale:
      'With `IfNotPresent` each node keeps the copy of a moving tag it pulled first: nodes run different images under one name, and a fixed image never reaches nodes that cached the old one. Left implicit, the policy changes silently when the tag does.',
    remediation:
      'Pin a version or digest, which makes the policy irrelevant; until then set `imagePullPolicy: Always`, so every pod start runs what the tag points to now.',
    severity: 'low',
    category: 'supply-chain',
    standards: { kubescape: ['C-0075'], polaris: ['pullPolicyNotAlways'], checkov: ['CKV_K8S_15'] },
    fixable: true,
  },
  check: forEachValidImage((c, { ref, text }, ctx) => {
    if (!isMutable(ref, ctx.images)) return;
    const policy = c.value.imagePullPolicy;
    if (policy === 'Always') return;
    const path = [...c.path, 'imagePullPolicy'];
    const fix = {
      confidence: 'review' as const,
      title: 'set `imagePullPolicy: Always`',
      check: 'every pod start then needs the registry: a node that cannot reach it cannot start the pod (pinning a version or digest avoids both)',
      ops: [{ op: 'set' as const, path, value: 'Always' }],
    };
    const at = `${describe(c)} runs \`${text}\` (${ref.tag === undefined ? 'no tag' : `mutable tag \`${ref.tag}\``})`;
    if (policy === undefined || policy === null) {
      const latest = ref.tag === undefined || ref.tag === 'latest';
      const effect = latest
        ? 'the effective policy is `Always`, the Kubernetes default for `:latest` and untagged images only; set it, so it stays when the tag becomes another moving one'
        : `the effective policy is \`IfNotPresent\`, the Kubernetes default for any tag but \`latest\`: each node keeps the \`${ref.tag}\` it pulled first`;
      ctx.report({ path, container: c.name, missing: true, fix, message: `${at} without \`imagePullPolicy\`: ${effect}` });
      return;
    }
    ctx.report({ path, container: c.name, fix, message: `${at} with \`imagePullPolicy: ${fmt(policy)}\`: nodes keep the copy of the tag they pulled first` });
  }),
});
