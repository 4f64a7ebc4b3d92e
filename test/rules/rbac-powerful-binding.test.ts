import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/rbac-powerful-binding.js';
import { findingsOf, ruleTester } from './tester.js';

const binding = (kind: string, role: string, subjects: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: b\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: ${role}\nsubjects:\n${subjects}`;
const group = (name: string) => `  - kind: Group\n    name: ${name}\n    apiGroup: rbac.authorization.k8s.io\n`;
const sa = (name: string) => `  - kind: ServiceAccount\n    name: ${name}\n`;

ruleTester(rule, {
  valid: [
    { name: 'a narrow role to one ServiceAccount', code: binding('RoleBinding', 'view', sa('web')) },
    { name: 'a User named like a group is not the group', code: binding('RoleBinding', 'view', '  - kind: User\n    name: system:unauthenticated\n') },
  ],
  invalid: [
    {
      name: 'a RoleBinding to cluster-admin is admin of the namespace',
      code: binding('RoleBinding', 'cluster-admin', sa('ci')),
      errors: [
        {
          ruleId: 'rbac-powerful-binding',
          line: 9,
          column: 3,
          message:
            'binds ClusterRole `cluster-admin` in namespace `shop` to ServiceAccount `shop/ci`, which grants every verb on every resource, like cluster-admin; `roleRef` cannot be changed in place: create a binding to a role with only what they need, then delete this one',
        },
      ],
    },
    {
      name: 'system:authenticated on the subject line, with what it gets',
      code: binding('RoleBinding', 'admin', group('system:authenticated')),
      errors: [
        { ruleId: 'rbac-powerful-binding', line: 9 },
        {
          ruleId: 'rbac-powerful-binding',
          line: 12,
          column: 5,
          message:
            '`subjects[0]` Group `system:authenticated` gives ClusterRole `admin` (reading Secrets, exec into pods, impersonation, creating pods, minting ServiceAccount tokens) in namespace `shop` to every authenticated identity: every ServiceAccount of every namespace, and on some clouds any account of the provider',
        },
      ],
    },
  ],
});

describe('rbac-powerful-binding severity and fixes', () => {
  it('cluster-admin: critical cluster-wide, high in a namespace; admin/edit: high cluster-wide, medium in a namespace', () => {
    const sev = (kind: string, role: string) => findingsOf(rule, binding(kind, role, sa('x').replace('\n', '\n    namespace: shop\n'))).map((f) => f.severity);
    expect([sev('ClusterRoleBinding', 'cluster-admin'), sev('RoleBinding', 'cluster-admin')]).toEqual([['critical'], ['high']]);
    expect([sev('ClusterRoleBinding', 'edit'), sev('RoleBinding', 'edit'), sev('RoleBinding', 'view')]).toEqual([['high'], ['medium'], []]);
  });

  it('anonymous subjects are removed (safe); system:authenticated and system:masters are left to a person', () => {
    const found = findingsOf(rule, binding('RoleBinding', 'view', group('system:unauthenticated') + group('system:masters')));
    expect(found.map((f) => [f.line, f.severity, f.fix?.confidence, f.fix?.ops])).toEqual([
      [12, 'critical', 'safe', [{ op: 'remove', path: ['subjects', 0] }]],
      [15, 'critical', undefined, undefined],
    ]);
  });
});
