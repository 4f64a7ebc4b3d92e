import { defineRule, forEachContainer } from '../core/rule.js';
import { containerSc, describe, fmt, scPath, userNamespaced } from './helpers.js';

/** An unmasked /proc is asked for on purpose (nested containers, rootless image builds). */
export const PROC_MOUNT_CHECK = 'the container must not run containers itself (nested containers, rootless image builds need an unmasked /proc)';

export default defineRule({
  id: 'proc-mount',
  meta: {
    title: 'Container unmasks /proc',
    description:
      'Containers must leave `securityContext.procMount` unset or `Default`; from PSS 1.35 a pod with `hostUsers: false` (its own user namespace) may set any value.',
    rationale:
      'The default /proc mount masks and makes read-only the kernel paths that leak host information or change host settings; `Unmasked` exposes them to the container.',
    remediation: 'Remove `securityContext.procMount` (or set it to `Default`); a build tool that needs an unmasked /proc should run with `hostUsers: false`.',
    severity: 'medium',
    category: 'pod-security',
    standards: {
      pss: { level: 'baseline', control: 'procMount' },
      kubeLinter: ['unsafe-proc-mount'],
      trivy: ['KSV-0027'],
      kubescape: ['C-0211'],
      polaris: ['procMount'],
    },
    fixable: true,
  },
  check: forEachContainer((c, ctx) => {
    if (userNamespaced(ctx.workload, ctx.pssVersion)) return;
    const value = containerSc(c).procMount;
    if (value === undefined || value === null || value === 'Default') return;
    const path = scPath(c, 'procMount');
    ctx.report({
      path,
      container: c.name,
      message: `${describe(c)} sets \`securityContext.procMount: ${fmt(value)}\``,
      fix: { confidence: 'review', title: 'remove `procMount`', check: PROC_MOUNT_CHECK, ops: [{ op: 'remove', path }] },
    });
  }),
});
