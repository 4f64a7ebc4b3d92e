import { getIn } from '../core/object.js';
import { defineObjectRule } from '../core/rule.js';
import type { Severity } from '../core/types.js';
import { classifyRule, isResolved, normalizeSubject, type RiskId, type RoleInfo } from '../rbac/index.js';
import { firstFew, rbacOf, risksText, subjectName } from './rbac-helpers.js';

const POWERFUL = new Set(['cluster-admin', 'admin', 'edit']);
const SPECIAL: Record<string, { kind: string; severity: Severity; why: string }> = {
  'system:anonymous': { kind: 'User', severity: 'critical', why: 'anyone who can reach the API server, without credentials' },
  'system:unauthenticated': { kind: 'Group', severity: 'critical', why: 'anyone who can reach the API server, without credentials' },
  'system:authenticated': {
    kind: 'Group',
    severity: 'high',
    why: 'every authenticated identity: every ServiceAccount of every namespace, and on some clouds any account of the provider',
  },
  'system:masters': { kind: 'Group', severity: 'critical', why: 'the superuser group, which RBAC cannot restrict: its members need no binding' },
};

const cache = new WeakMap<object, Map<boolean, Set<RiskId>>>();

/** The risks of a role's rules, cluster-wide or in a namespace (which one does not matter to the authorizer); once per role. */
function risksOf(role: RoleInfo<unknown>, clusterWide: boolean): Set<RiskId> {
  const byScope = cache.get(role) ?? new Map<boolean, Set<RiskId>>();
  cache.set(role, byScope);
  const scope = clusterWide ? { cluster: true as const } : { namespace: 'any' };
  const out = byScope.get(clusterWide) ?? new Set(role.rules.flatMap((r) => classifyRule(r.rule, scope).map((m) => m.risk)));
  byScope.set(clusterWide, out);
  return out;
}

export default defineObjectRule({
  id: 'rbac-powerful-binding',
  appliesTo: { kinds: ['RoleBinding', 'ClusterRoleBinding'] },
  needsIndex: true,
  meta: {
    title: 'Binding grants a powerful role or binds everyone',
    description:
      'A binding must not reference the ClusterRoles `cluster-admin`, `admin` or `edit`, nor name the subjects `system:anonymous`, `system:unauthenticated`, `system:authenticated` or `system:masters`.',
    rationale:
      '`cluster-admin` is every permission; `admin` and `edit` include reading Secrets, exec into pods and impersonating every ServiceAccount of the namespace. The special subjects give the role to anonymous users, to every authenticated identity, or to a group RBAC cannot restrict.',
    remediation:
      'Bind a role with what the subjects need. A binding’s `roleRef` cannot be changed: create the new binding (a RoleBinding where one namespace is enough), then delete this one. Remove the special subjects and bind the users, groups or ServiceAccounts that need the role.',
    severity: 'medium',
    category: 'rbac',
    standards: { kubeLinter: ['cluster-admin-role-binding'], trivy: ['KSV-0111', 'KSV-0122', 'KSV-0123'], kubescape: ['C-0035', 'C-0262'] },
    fixable: true,
  },
  check(ctx) {
    const o = ctx.object;
    const crb = o.id.kind === 'ClusterRoleBinding';
    const namespace = crb ? undefined : (o.id.namespace ?? 'default');
    const binding = rbacOf(ctx.index).bindingOf(o);
    const list = getIn(o.value, ['subjects']);
    const subjects = (Array.isArray(list) ? list : []).map((s, i) => normalizeSubject(s, i, namespace));
    const roleName = getIn(o.value, ['roleRef', 'name']);
    const powerful = getIn(o.value, ['roleRef', 'kind']) === 'ClusterRole' && typeof roleName === 'string' && POWERFUL.has(roleName);
    const special = subjects.filter((s) => SPECIAL[s.name]?.kind === s.kind);
    if (!powerful && special.length === 0) return;
    const ref = `${String(getIn(o.value, ['roleRef', 'kind']))} \`${String(roleName)}\``;
    const where = crb ? 'in every namespace' : `in namespace \`${namespace}\``;
    const role = binding && isResolved(binding.role) ? binding.role : undefined;
    const risks = role ? risksOf(role, crb) : new Set<RiskId>();
    const grants = risks.size > 0 ? `, which grants ${risksText(risks)}` : '';

    if (powerful) {
      const severity: Severity | undefined = roleName === 'cluster-admin' ? (crb ? 'critical' : 'high') : crb ? 'high' : undefined;
      ctx.report({
        path: ['roleRef', 'name'],
        ...(severity ? { severity } : {}),
        message: `binds ${ref} ${where} to ${firstFew(subjects.map(subjectName))}${grants}; \`roleRef\` cannot be changed in place: create a binding to a role with only what they need${crb ? ' (a RoleBinding, if one namespace is enough)' : ''}, then delete this one`,
      });
    }
    for (const s of special) {
      const { severity, why } = SPECIAL[s.name] as (typeof SPECIAL)[string];
      const anonymous = s.name === 'system:anonymous' || s.name === 'system:unauthenticated';
      ctx.report({
        path: ['subjects', s.index, 'name'],
        severity: severity === 'high' && risks.size === 0 ? 'medium' : severity,
        message: `\`subjects[${s.index}]\` ${s.kind} \`${s.name}\` gives ${ref}${risks.size > 0 ? ` (${risksText(risks)})` : ''} ${where} to ${why}`,
        ...(anonymous
          ? {
              fix: {
                confidence: 'safe' as const,
                title: `remove ${s.kind} \`${s.name}\` from the subjects (unauthenticated access is never what a role is for)`,
                ops: [{ op: 'remove' as const, path: ['subjects', s.index] }],
              },
            }
          : {}),
      });
    }
  },
});
