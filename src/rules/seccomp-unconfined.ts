import { defineRule } from '../core/rule.js';
import { getIn } from '../core/workload.js';
import { appliesAt, containerSc, describe, fmt, podSc, podScPath, scPath, v1 } from './helpers.js';
import { badSeccomp, runtimeDefaultFix, seccompTypeText } from './seccomp.js';

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION = 'container.seccomp.security.alpha.kubernetes.io/';

function validAnnotation(v: unknown): boolean {
  return v === 'runtime/default' || v === 'docker/default' || (typeof v === 'string' && v.startsWith('localhost/'));
}

export default defineRule({
  id: 'seccomp-unconfined',
  meta: {
    title: 'Seccomp profile is set, but not to RuntimeDefault or Localhost',
    description:
      'A seccomp profile, where set on the pod or a container, must be `RuntimeDefault` or `Localhost`; before PSS 1.19 the same applies to the seccomp alpha annotations.',
    rationale: 'An Unconfined container can make every system call, including the rarely needed ones behind most kernel privilege escalations.',
    remediation: 'Set `securityContext.seccompProfile.type` to `RuntimeDefault` (or to `Localhost` with a reviewed profile) wherever it is `Unconfined`.',
    severity: 'medium',
    category: 'pod-security',
    standards: {
      pss: { level: 'baseline', control: 'seccompProfile_baseline' },
      trivy: ['KSV-0104'],
      kubescape: ['C-0210'],
      polaris: ['linuxHardening'],
      checkov: ['CKV_K8S_31'],
    },
    fixable: true,
  },
  check: (ctx) => {
    const w = ctx.workload;
    if (!appliesAt(ctx.pssVersion, v1(19))) {
      // PSS 1.0-1.18 read the alpha annotations instead of the field.
      const ann = getIn(w.podMeta, ['annotations']);
      const keys = [POD_ANNOTATION, ...w.containers.map((c) => CONTAINER_ANNOTATION + c.name)];
      for (const key of keys) {
        const value = getIn(ann, [key]);
        if (value === undefined || validAnnotation(value)) continue;
        ctx.report({ path: [...(w.podMetaPath ?? []), 'annotations', key], message: `pod sets annotation \`${key}: ${fmt(value)}\`` });
      }
      return;
    }
    const pod = podSc(w).seccompProfile;
    if (badSeccomp(pod)) {
      const path = podScPath(w, 'seccompProfile');
      ctx.report({ path: [...path, 'type'], message: `pod sets ${seccompTypeText(pod)}`, fix: runtimeDefaultFix(path, 'pod') });
    }
    for (const c of w.containers) {
      const profile = containerSc(c).seccompProfile;
      if (!badSeccomp(profile)) continue;
      const path = scPath(c, 'seccompProfile');
      ctx.report({
        path: [...path, 'type'],
        container: c.name,
        message: `${describe(c)} sets ${seccompTypeText(profile)}`,
        fix: runtimeDefaultFix(path, 'container'),
      });
    }
  },
});
