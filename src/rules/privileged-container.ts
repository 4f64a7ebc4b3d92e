import { defineRule, forEachContainer } from '../core/rule.js';
import { containerSc, describe, scPath } from './helpers.js';

const CHECK = 'the container must not need privileged mode (writing sysctls, host devices, mounts, kernel modules): grant the one capability it needs instead';

export default defineRule({
  id: 'privileged-container',
  meta: {
    title: 'Privileged container',
    description: 'Containers must not set `securityContext.privileged: true`.',
    rationale: 'A privileged container has every capability and full access to the host devices: escaping it to the node is trivial.',
    remediation: 'Remove `privileged: true` (or set it to `false`); grant the one capability the workload really needs instead.',
    severity: 'critical',
    category: 'pod-security',
    standards: {
      pss: { level: 'baseline', control: 'privileged' },
      kubeLinter: ['privileged-container'],
      trivy: ['KSV-0017'],
      kubescape: ['C-0057'],
      polaris: ['runAsPrivileged'],
      checkov: ['CKV_K8S_16'],
    },
    fixable: true,
  },
  check: forEachContainer((c, ctx) => {
    const value = containerSc(c).privileged;
    if (value === undefined || value === false || value === null) return;
    const path = scPath(c, 'privileged');
    ctx.report({
      path,
      container: c.name,
      message: `${describe(c)} sets \`securityContext.privileged: ${JSON.stringify(value)}\``,
      // Review: a container that is privileged for its job (sysctls, devices, mounts) stops doing it.
      fix: { confidence: 'review', title: 'remove `privileged: true`', check: CHECK, ops: [{ op: 'remove', path }] },
    });
  }),
});
