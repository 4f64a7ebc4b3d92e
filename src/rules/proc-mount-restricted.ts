import { defineRule, forEachContainer } from '../core/rule.js';
import { appliesAt, containerSc, describe, fmt, scPath, v1 } from './helpers.js';

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
    ctx.report({
      path,
      container: c.name,
      message: `${describe(c)} sets \`securityContext.procMount: ${fmt(value)}\``,
      fix: { confidence: 'safe', title: 'remove `procMount`', ops: [{ op: 'remove', path }] },
    });
  }),
});
