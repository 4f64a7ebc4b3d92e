import { defineRule, forEachContainer } from '../core/rule.js';
import { appliesAt, containerSc, describe, isWindowsExempt, scPath, v1 } from './helpers.js';

const SINCE = v1(8);

export default defineRule({
  id: 'allow-privilege-escalation',
  meta: {
    title: 'Container allows privilege escalation',
    description: 'Every container must set `securityContext.allowPrivilegeEscalation: false`; unset counts as allowed.',
    rationale: 'Without it a process can gain more privileges than its parent (setuid binaries, file capabilities), turning a foothold into root.',
    remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on every container, init container and ephemeral container.',
    severity: 'medium',
    category: 'pod-security',
    standards: {
      pss: { level: 'restricted', control: 'allowPrivilegeEscalation' },
      kubeLinter: ['privilege-escalation-container'],
      trivy: ['KSV-0001'],
      kubescape: ['C-0016'],
      polaris: ['privilegeEscalationAllowed'],
      checkov: ['CKV_K8S_20'],
    },
    fixable: true,
    since: SINCE,
  },
  check: forEachContainer((c, ctx) => {
    if (!appliesAt(ctx.pssVersion, SINCE) || isWindowsExempt(ctx.workload, ctx.pssVersion)) return;
    const value = containerSc(c).allowPrivilegeEscalation;
    if (value === false) return;
    const path = scPath(c, 'allowPrivilegeEscalation');
    const fix = { confidence: 'safe' as const, title: 'set `allowPrivilegeEscalation: false`', ops: [{ op: 'set' as const, path, value: false }] };
    if (value === undefined) {
      ctx.report({ path, container: c.name, missing: true, fix, message: `${describe(c)} does not set \`securityContext.allowPrivilegeEscalation: false\`` });
    } else {
      ctx.report({ path, container: c.name, fix, message: `${describe(c)} sets \`securityContext.allowPrivilegeEscalation: ${JSON.stringify(value)}\`` });
    }
  }),
});
