import { defineObjectRule } from '../core/rule.js';
import type { RiskId, RiskMatch } from '../rbac/index.js';
import { carrying, entriesWith, entryFix, grantees } from './rbac-helpers.js';

const WHY: Partial<Record<RiskId, string>> = {
  'sa-token-create': 'mint a token for any ServiceAccount in reach and act with its permissions',
  'csr-approve': 'approve certificate signing requests, so issue client certificates for any user or group (`system:masters` included)',
  'webhook-config-write': 'install admission webhooks that see, rewrite or block every object sent to the API server, Secrets included',
  'pv-create': 'create PersistentVolumes, a `hostPath` one included, which mounts the node’s filesystem into a pod',
};
const RISKS = Object.keys(WHY) as RiskId[];

export default defineObjectRule({
  id: 'rbac-sensitive-writes',
  appliesTo: { kinds: ['Role', 'ClusterRole'] },
  needsIndex: true,
  meta: {
    title: 'RBAC rule allows a sensitive write',
    description:
      'A rule entry must not allow `create` on `serviceaccounts/token`, approving certificate signing requests (`update`/`patch` on `certificatesigningrequests/approval`, or `approve` on `signers`), writing mutating or validating webhook configurations, or `create` on `persistentvolumes` (also through `*`).',
    rationale:
      'Each of these writes turns into more power than it names: tokens and certificates for other identities, a webhook that sees and rewrites every object, a hostPath volume onto the node.',
    remediation:
      'Keep these permissions to the cluster components that need them (the CSR approver, the webhook’s installer, the storage provisioner), in roles of their own, with `resourceNames` where possible.',
    severity: 'high',
    category: 'rbac',
    standards: { trivy: ['KSV-0114'], kubescape: ['C-0278', 'C-0280', 'C-0281', 'C-0282'] },
    fixable: true,
    fixUnit: 'rule-entry',
  },
  check(ctx) {
    const o = ctx.object;
    const hits = entriesWith(o, RISKS);
    if (hits.length === 0) return;
    const who = grantees(ctx.index, o);
    for (const { e, found } of hits) {
      const grant = `${carrying(o, e, 'verbs', RISKS)} on ${carrying(o, e, 'resources', RISKS)}`;
      ctx.report({
        path: ['rules', e.index, 'resources', (found[0] as RiskMatch).index],
        message: `\`rules[${e.index}]\` grants ${grant}: its holders can ${found.map((m) => WHY[m.risk]).join('; ')}${who.to(e, RISKS)}`,
        fix: entryFix(o, e.index),
      });
    }
  },
});
