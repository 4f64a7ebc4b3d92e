import { defineRule, forEachContainer, type Report } from '../core/rule.js';
import { appliesAt, containerSc, describe, fmt, scPath, userNamespaced, v1 } from './helpers.js';
import procMount, { PROC_MOUNT_CHECK } from './proc-mount.js';

const SINCE = v1(35);

export default defineRule({
  id: 'proc-mount-restricted',
  meta: {
    title: 'Container unmasks /proc (restricted)',
    description: 'Containers must leave `securityContext.procMount` unset or `Default`, even in a pod with `hostUsers: false`.',
    rationale:
      'The restricted level does not trust the user-namespace relaxation of the baseline: an unmasked /proc still exposes kernel interfaces that the default mask hides.',
    remediation: 'Remove `securityContext.procMount` (or set it to `Default`) on every container.',
    severity: 'medium',
    category: 'pod-security',
    standards: {
      pss: { level: 'restricted', control: 'procMount_restricted' },
      kubeLinter: ['unsafe-proc-mount'],
      trivy: ['KSV-0027'],
      kubescape: ['C-0211'],
      polaris: ['procMount'],
    },
    fixable: true,
    overrides: 'proc-mount',
    since: SINCE,
  },
  check: forEachContainer((c, ctx) => {
    if (!appliesAt(ctx.pssVersion, SINCE)) return;
    const value = containerSc(c).procMount;
    if (value === undefined || value === null || value === 'Default') return;
    const path = scPath(c, 'procMount');
    const report: Report = {
      path,
      container: c.name,
      message: `${describe(c)} sets \`securityContext.procMount: ${fmt(value)}\``,
      fix: { confidence: 'review', title: 'remove `procMount`', check: PROC_MOUNT_CHECK, ops: [{ op: 'remove', path }] },
    };
    // Outside a user namespace the baseline forbids it too (proc-mount, which this rule replaces).
    if (!userNamespaced(ctx.workload, ctx.pssVersion)) Object.assign(report, { severity: procMount.meta.severity, alsoFor: [procMount.id] });
    ctx.report(report);
  }),
});
