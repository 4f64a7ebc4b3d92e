import { defineRule } from '../core/rule.js';
import type { ContainerRef } from '../core/workload.js';
import { appliesAt, containerSc, describe, isWindowsExempt, plural, podSc, podScPath, scPath, v1 } from './helpers.js';
import { badSeccomp, runtimeDefaultFix, seccompTypeText } from './seccomp.js';
import seccompUnconfined from './seccomp-unconfined.js';

const SINCE = v1(19);

/** An explicit bad profile breaks the baseline control too (seccomp-unconfined, which this rule replaces). */
function asBaseline() {
  return { severity: seccompUnconfined.meta.severity, alsoFor: [seccompUnconfined.id] };
}

export default defineRule({
  id: 'seccomp-profile-required',
  meta: {
    title: 'Seccomp profile is missing, or not RuntimeDefault or Localhost',
    description:
      'The pod, or else every container, must set `securityContext.seccompProfile.type` to `RuntimeDefault` or `Localhost`; a pod-level profile covers containers that set none. Windows pods are exempt from PSS 1.25.',
    rationale:
      'Without a seccomp profile many runtimes run the container Unconfined, so every system call is open to an attacker who gets code execution, including the ones behind most kernel exploits.',
    remediation:
      'Set `securityContext.seccompProfile.type: RuntimeDefault` at the pod level, and remove any `Unconfined` profile from the pod and its containers.',
    severity: 'medium',
    category: 'pod-security',
    standards: {
      pss: { level: 'restricted', control: 'seccompProfile_restricted' },
      trivy: ['KSV-0030', 'KSV-0104'],
      kubescape: ['C-0210', 'C-0055'],
      polaris: ['linuxHardening'],
      checkov: ['CKV_K8S_31'],
    },
    fixable: true,
    overrides: 'seccomp-unconfined',
    since: SINCE,
  },
  check: (ctx) => {
    const w = ctx.workload;
    if (!appliesAt(ctx.pssVersion, SINCE) || isWindowsExempt(w, ctx.pssVersion)) return;
    const pod = podSc(w).seccompProfile;
    if (badSeccomp(pod)) {
      const podPath = podScPath(w, 'seccompProfile');
      ctx.report({ path: [...podPath, 'type'], message: `pod sets ${seccompTypeText(pod)}`, fix: runtimeDefaultFix(podPath, 'pod'), ...asBaseline() });
    }
    const podSet = pod !== undefined && pod !== null;
    const unset: ContainerRef[] = [];
    for (const c of w.containers) {
      const profile = containerSc(c).seccompProfile;
      if (profile === undefined || profile === null) {
        if (!podSet) unset.push(c);
        continue;
      }
      if (badSeccomp(profile)) {
        const path = scPath(c, 'seccompProfile');
        ctx.report({
          path: [...path, 'type'],
          container: c.name,
          message: `${describe(c)} sets ${seccompTypeText(profile)}`,
          fix: runtimeDefaultFix(path, 'container'),
          ...asBaseline(),
        });
      }
    }
    if (unset.length === 0) return;
    const podPath = podScPath(w, 'seccompProfile');
    ctx.report({
      path: [...podPath, 'type'],
      missing: true,
      message: `pod does not set \`securityContext.seccompProfile.type\`, and neither ${plural(unset.length, 'does', 'do')} ${unset.map(describe).join(', ')}`,
      fix: runtimeDefaultFix(podPath, 'pod'),
    });
  },
});
