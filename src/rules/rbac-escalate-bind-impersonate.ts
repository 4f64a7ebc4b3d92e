import { defineObjectRule } from '../core/rule.js';
import { type RiskId, type RiskMatch, ruleAllows } from '../rbac/index.js';
import { carrying, dropFix, entriesWith, entryFix, grantees } from './rbac-helpers.js';

const RISKS: RiskId[] = ['escalate-bind', 'impersonate'];
const MASTERS = { verb: 'impersonate', apiGroup: '', resource: 'groups', name: 'system:masters' };

export default defineObjectRule({
  id: 'rbac-escalate-bind-impersonate',
  appliesTo: { kinds: ['Role', 'ClusterRole'] },
  needsIndex: true,
  meta: {
    title: 'RBAC rule can escalate, bind or impersonate',
    description:
      'A rule entry must not allow `escalate` or `bind` on `roles` or `clusterroles`, nor `impersonate` on users, groups, ServiceAccounts, uids or userextras (also through `*`). Critical when it can impersonate the group `system:masters`.',
    rationale:
      'RBAC stops a subject from granting permissions it does not hold, unless it has `escalate` (write any rule into a role) or `bind` (bind any role, cluster-admin included). `impersonate` acts as another identity with all of its permissions.',
    remediation:
      'Remove these verbs; a controller that must manage RBAC should get `bind` with `resourceNames` listing the roles it hands out. Impersonation belongs to people and proxies, through a dedicated role.',
    severity: 'high',
    category: 'rbac',
    standards: {
      trivy: ['KSV-0050', 'KSV-0043', 'KSV-0051', 'KSV-0052'],
      kubescape: ['C-0191', 'C-0065'],
      checkov: ['CKV_K8S_157', 'CKV_K8S_158', 'CKV2_K8S_3'],
    },
    fixable: true,
    fixUnit: 'rule-entry',
  },
  check(ctx) {
    const o = ctx.object;
    const hits = entriesWith(o, RISKS);
    if (hits.length === 0) return;
    const who = grantees(ctx.index, o);
    const check = 'no controller bound to this role creates roles or bindings for others, or impersonates users (RBAC managers and auth proxies do)';
    for (const { e, found } of hits) {
      const masters = o.id.kind === 'ClusterRole' && found.some((m) => m.risk === 'impersonate') && ruleAllows(e.rule, MASTERS);
      const why = [
        found.some((m) => m.risk === 'escalate-bind') ? 'write or bind roles with permissions they do not hold (cluster-admin included)' : '',
        found.some((m) => m.risk === 'impersonate')
          ? `act as other identities${masters ? ', the group `system:masters` (which bypasses RBAC) included' : ''}`
          : '',
      ].filter(Boolean);
      const verb = e.rule.verbs.findIndex((v) => ruleAllows({ ...e.rule, verbs: [v] }, (found[0] as RiskMatch).request ?? MASTERS));
      const drop = dropFix(o, e, 'verbs', (v) => v === 'escalate' || v === 'bind' || v === 'impersonate', RISKS, check);
      ctx.report({
        path: ['rules', e.index, 'verbs', Math.max(0, verb)],
        ...(masters ? { severity: 'critical' as const } : {}),
        message: `\`rules[${e.index}]\` grants ${carrying(o, e, 'verbs', RISKS)} on ${carrying(o, e, 'resources', RISKS)}: its holders can ${why.join(', and ')}${who.to(e, RISKS)}`,
        fix: entryFix(o, e.index, drop),
      });
    }
  },
});
