import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/rbac-escalate-bind-impersonate.js';
import { findingsOf, ruleTester } from './tester.js';

const role = (kind: string, groups: string, resources: string, verbs: string, names = '') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: r\n  namespace: shop\nrules:\n  - apiGroups: ${groups}\n    resources: ${resources}\n    verbs: ${verbs}\n${names}`;

ruleTester(rule, {
  valid: [
    {
      name: '`bind` with resourceNames limits it to those roles',
      code: role('ClusterRole', '["rbac.authorization.k8s.io"]', '["clusterroles"]', '["bind"]', '    resourceNames: ["view"]\n'),
    },
    {
      name: 'creating bindings alone is checked against the role bound',
      code: role('Role', '["rbac.authorization.k8s.io"]', '["rolebindings"]', '["create"]'),
    },
    { name: 'impersonating users is cluster-scoped: a Role cannot', code: role('Role', '[""]', '["users"]', '["impersonate"]') },
  ],
  invalid: [
    {
      name: 'escalate on roles, pointing at the verb',
      code: role('Role', '["rbac.authorization.k8s.io"]', '["roles"]', '["update", "escalate"]'),
      errors: [
        {
          ruleId: 'rbac-escalate-bind-impersonate',
          line: 9,
          column: 23,
          message: '`rules[0]` grants `escalate` on `roles`: its holders can write or bind roles with permissions they do not hold (cluster-admin included)',
        },
      ],
    },
    {
      name: 'impersonating the ServiceAccounts of the namespace',
      code: role('Role', '[""]', '["serviceaccounts"]', '["impersonate"]'),
      errors: [
        {
          ruleId: 'rbac-escalate-bind-impersonate',
          line: 9,
          message: '`rules[0]` grants `impersonate` on `serviceaccounts`: its holders can act as other identities',
        },
      ],
    },
  ],
});

describe('rbac-escalate-bind-impersonate severity', () => {
  it('critical when it can impersonate system:masters, high otherwise', () => {
    const sev = (code: string) => findingsOf(rule, code).map((f) => f.severity);
    expect(sev(role('ClusterRole', '[""]', '["groups"]', '["impersonate"]'))).toEqual(['critical']);
    expect(sev(role('ClusterRole', '[""]', '["groups"]', '["impersonate"]', '    resourceNames: ["developers"]\n'))).toEqual([]);
    expect(sev(role('ClusterRole', '[""]', '["serviceaccounts"]', '["impersonate"]'))).toEqual(['high']);
  });
});
