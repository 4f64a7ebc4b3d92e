import { defineObjectRule } from '../core/rule.js';
import type { RiskMatch } from '../rbac/index.js';
import { carrying, dropFix, entriesWith, entryFix, grantees } from './rbac-helpers.js';

export default defineObjectRule({
  id: 'rbac-secrets-read',
  appliesTo: { kinds: ['Role', 'ClusterRole'] },
  needsIndex: true,
  meta: {
    title: 'RBAC rule reads Secrets',
    description:
      'A rule entry must not allow `get`, `list` or `watch` on core `secrets` (also through `*`) without `resourceNames`. High when the role reaches every namespace (a ClusterRole bound by a ClusterRoleBinding, or bound by nothing in the scan), medium in one namespace.',
    rationale:
      'Each of `get`, `list` and `watch` returns the Secret data, so `list` alone reads every Secret in reach, ServiceAccount tokens of more powerful identities included.',
    remediation:
      'Mount the Secrets a workload needs instead of reading them through the API, or restrict the rule to the Secrets it needs with `resourceNames` (which works for `get` only), in a Role of their namespace.',
    severity: 'medium',
    category: 'rbac',
    standards: { kubeLinter: ['access-to-secrets'], trivy: ['KSV-0041', 'KSV-0113'], kubescape: ['C-0015', 'C-0186'], checkov: ['CKV2_K8S_5'] },
    fixable: true,
    fixUnit: 'rule-entry',
  },
  check(ctx) {
    const o = ctx.object;
    const hits = entriesWith(o, ['secrets-read']);
    if (hits.length === 0) return;
    const who = grantees(ctx.index, o);
    const check = 'nothing bound to this role reads Secrets through the API (a pod that needs one can mount it); an operator that manages Secrets needs this';
    for (const { e, found } of hits) {
      const m = found[0] as RiskMatch;
      const through = m.value === 'secrets' ? '' : ` (\`${m.value}\` includes \`secrets\`)`;
      ctx.report({
        path: ['rules', e.index, 'resources', m.index],
        ...(who.clusterWide ? { severity: 'high' as const } : {}),
        message: `\`rules[${e.index}]\` lets its holders read every Secret ${who.where}: ${carrying(o, e, 'verbs', ['secrets-read'])} on \`${m.value}\`${through}${who.to(e, ['secrets-read'])}`,
        fix: entryFix(
          o,
          e.index,
          dropFix(o, e, 'resources', (r) => r === 'secrets', ['secrets-read'], check),
        ),
      });
    }
  },
});
