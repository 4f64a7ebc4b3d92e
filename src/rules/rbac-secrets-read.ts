import type { K8sObject } from '../core/object.js';
import { defineObjectRule } from '../core/rule.js';
import type { FixIntent } from '../core/types.js';
import { classifyRule, type RiskMatch } from '../rbac/index.js';
import { codeList, removeItems } from './helpers.js';
import { carrying, dropFix, type Entry, entriesWith, entryFix, grantees, rawList, roleEntries } from './rbac-helpers.js';

/**
 * The verbs that return Secret data. RBAC matches verbs exactly, `*` aside (k8s.io/kubernetes
 * pkg/apis/rbac/v1/evaluation_helpers.go VerbMatches), so `Get` is not `get`.
 */
const READ = new Set(['get', 'list', 'watch']);

/**
 * Take the reading away and nothing else (QA D2: argocd-server and ingress-nginx's certgen create and update Secrets):
 * - only read verbs: drop `secrets` from the entry (the entry when nothing else is left), as before;
 * - also write verbs, on `secrets` alone: drop the read verbs;
 * - also write verbs and other resources: drop `secrets` here and add an entry with `secrets` and the write verbs.
 * `*` verbs cannot be narrowed to "every verb but reading" in RBAC: no fix, the finding stays.
 */
function readFix(o: K8sObject, e: Entry, check: string): FixIntent | undefined {
  const verbs = rawList(o, e.index, 'verbs');
  const resources = rawList(o, e.index, 'resources');
  if (!verbs || !resources || verbs.includes('*')) return undefined;
  const writes = [...new Set(verbs.filter((v) => !READ.has(v)))];
  if (writes.length === 0) return dropFix(o, e, 'resources', (r) => r === 'secrets', ['secrets-read'], check);
  const keep = `${codeList(writes)} on \`secrets\` stay${writes.length === 1 ? 's' : ''}`;
  const scope = roleEntries(o).scope;
  const reads = (rule: typeof e.rule) => classifyRule(rule, scope).some((m) => m.risk === 'secrets-read');
  const secretsAt = resources.flatMap((r, i) => (r === 'secrets' ? [i] : []));
  if (secretsAt.length === 0) return undefined;
  const fix = { confidence: 'review' as const, check: `${check}; ${keep}` };
  if (secretsAt.length === resources.length) {
    const readAt = verbs.flatMap((v, i) => (READ.has(v) ? [i] : []));
    if (reads({ ...e.rule, verbs: writes })) return undefined;
    const dropped = codeList([...new Set(readAt.map((i) => verbs[i] as string))]);
    return { ...fix, title: `drop ${dropped} from \`rules[${e.index}].verbs\` (${keep})`, ops: removeItems(['rules', e.index, 'verbs'], readAt) };
  }
  const others = resources.filter((r) => r !== 'secrets');
  const split = { apiGroups: [...e.rule.apiGroups], resources: ['secrets'], verbs: writes };
  if (reads({ ...e.rule, resources: others }) || reads({ ...e.rule, ...split })) return undefined;
  return {
    ...fix,
    title: `drop \`secrets\` from \`rules[${e.index}].resources\` and add a rule with only ${codeList(writes)} on \`secrets\``,
    ops: [...removeItems(['rules', e.index, 'resources'], secretsAt), { op: 'add-item', path: ['rules'], value: split }],
  };
}

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
      'Mount the Secrets a workload needs instead of reading them through the API, or restrict the rule to the Secrets it needs with `resourceNames` (which works for `get` only), in a Role of their namespace. The suggested fix takes away reading only: write verbs on `secrets` stay (in a rule of their own when the rule names other resources too); a rule with verb `*` gets no fix.',
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
        fix: entryFix(o, e.index, readFix(o, e, check)),
      });
    }
  },
});
