import { stringMap } from '../core/object.js';
import { defineObjectRule } from '../core/rule.js';
import { classifyRule, type PolicyRule } from '../rbac/index.js';
import { codeList } from './helpers.js';
import { bindingName, firstFew, rbacOf, risksText, subjectName } from './rbac-helpers.js';

const LABEL = /^rbac\.authorization\.k8s\.io\/aggregate-to-(admin|edit|view)$/;

function describeRule(rule: PolicyRule): string {
  if (rule.nonResourceURLs.length > 0) return `${codeList(rule.verbs)} on ${codeList(rule.nonResourceURLs)}`;
  const groups = rule.apiGroups.map((g) => (g === '' ? '' : `${g}/`));
  return `${codeList(rule.verbs)} on ${codeList(groups.flatMap((g) => rule.resources.map((r) => `${g}${r}`)))}`;
}

export default defineObjectRule({
  id: 'rbac-aggregate-label',
  appliesTo: { kinds: ['ClusterRole'] },
  needsIndex: true,
  meta: {
    title: 'ClusterRole widens admin, edit or view',
    description:
      'A ClusterRole labelled `rbac.authorization.k8s.io/aggregate-to-admin`, `-edit` or `-view` is reported with what it adds: the aggregation controller copies its rules into those built-in roles (`view` into `edit`, `edit` into `admin`). High when what it adds carries a risky permission.',
    rationale:
      'The label silently widens every existing holder of `admin`, `edit` or `view` in every namespace, though no binding changes: a review of the role alone does not show who gains the permissions.',
    remediation:
      'Keep aggregated rules to what every holder of those roles should have (usually read access to a CRD for `view`, write for `edit`); bind anything more through a role of its own.',
    severity: 'medium',
    category: 'rbac',
    standards: {},
    fixable: false,
  },
  check(ctx) {
    const o = ctx.object;
    const key = Object.keys(stringMap(o.value.metadata, 'labels')).find((k) => LABEL.test(k));
    const s = rbacOf(ctx.index);
    const role = s.roleOf(o);
    if (!key || !role || role.rules.length === 0) return;
    const holders = s.aggregators(role).map((r) => `\`${r.name}\``);
    if (holders.length === 0) return;
    const risks = role.rules.flatMap((r) => classifyRule(r.rule).map((m) => m.risk));
    const rules = role.rules.map((r) => describeRule(r.rule));
    const adds = `${rules.slice(0, 3).join('; ')}${rules.length > 3 ? `; and ${rules.length - 3} more rules` : ''}`;
    const bindings = s.reach(role).filter((b) => b.role !== role);
    const held = bindings.map((b) => `${firstFew(b.subjects.map(subjectName))} through ${bindingName(b)}`);
    ctx.report({
      path: ['metadata', 'labels', key],
      ...(risks.length > 0 ? { severity: 'high' as const } : {}),
      message: `label \`${key}\` adds this role's rules to ClusterRole${holders.length > 1 ? 's' : ''} ${holders.join(', ')} and to everyone who holds them: ${adds}${risks.length > 0 ? `; that is: ${risksText(risks)}` : ''}${held.length > 0 ? `; held by ${firstFew(held, 2, 'more bindings')}` : ''}`,
    });
  },
});
