import { defineObjectRule } from '../core/rule.js';
import type { RiskMatch } from '../rbac/index.js';
import { carrying, entriesWith, entryFix, grantees } from './rbac-helpers.js';

export default defineObjectRule({
  id: 'rbac-create-pods',
  appliesTo: { kinds: ['Role', 'ClusterRole'] },
  needsIndex: true,
  meta: {
    title: 'RBAC rule creates pods or pod controllers',
    description:
      'A rule entry must not allow `create` on core `pods`, nor `create`, `update` or `patch` on the controllers that make pods: deployments, daemonsets, statefulsets, replicasets (`apps`), jobs, cronjobs (`batch`) and replicationcontrollers (core), also through `*`.',
    rationale:
      'Whoever creates a pod chooses what it mounts and runs as: every Secret, ConfigMap and ServiceAccount of the namespace is within reach, and a privileged pod reaches the node unless Pod Security Admission stops it.',
    remediation:
      'Keep pod and workload writes to the deployment pipeline (a GitOps controller), not to application ServiceAccounts; enforce Pod Security Admission `restricted` on namespaces where they remain.',
    severity: 'medium',
    category: 'rbac',
    standards: { kubeLinter: ['access-to-create-pods'], trivy: ['KSV-0048'], kubescape: ['C-0188'] },
    fixable: true,
    fixUnit: 'rule-entry',
  },
  check(ctx) {
    const o = ctx.object;
    const hits = entriesWith(o, ['create-pods']);
    if (hits.length === 0) return;
    const who = grantees(ctx.index, o);
    for (const { e, found } of hits) {
      const grant = `${carrying(o, e, 'verbs', ['create-pods'])} on ${carrying(o, e, 'resources', ['create-pods'])}`;
      ctx.report({
        path: ['rules', e.index, 'resources', (found[0] as RiskMatch).index],
        message: `\`rules[${e.index}]\` lets its holders start pods ${who.where} that mount any Secret and run as any ServiceAccount there: ${grant}${who.to(e, ['create-pods'])}`,
        fix: entryFix(o, e.index),
      });
    }
  },
});
