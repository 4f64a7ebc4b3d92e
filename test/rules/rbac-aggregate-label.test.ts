import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/rbac-aggregate-label.js';
import { findingsOf, ruleTester } from './tester.js';

const labelled = (label: string, rules: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: extra\n  labels:\n    ${label}: "true"\nrules:\n${rules}`;
const READ_WIDGETS = '  - apiGroups: ["example.com"]\n    resources: ["widgets"]\n    verbs: ["get"]\n';

ruleTester(rule, {
  valid: [
    {
      name: 'a label value other than "true" selects nothing',
      code: labelled('rbac.authorization.k8s.io/aggregate-to-view', READ_WIDGETS).replace('"true"', '"false"'),
    },
    { name: 'nothing to add', code: labelled('rbac.authorization.k8s.io/aggregate-to-admin', '  []\n').replace('rules:\n  []', 'rules: []') },
  ],
  invalid: [
    {
      name: 'aggregate-to-admin widens admin only',
      code: labelled('rbac.authorization.k8s.io/aggregate-to-admin', READ_WIDGETS),
      errors: [
        {
          ruleId: 'rbac-aggregate-label',
          line: 6,
          column: 5,
          message:
            "label `rbac.authorization.k8s.io/aggregate-to-admin` adds this role's rules to ClusterRole `admin` and to everyone who holds them: `get` on `example.com/widgets`",
        },
      ],
    },
  ],
});

describe('rbac-aggregate-label severity', () => {
  it('high when what it adds is risky', () => {
    const risky = labelled('rbac.authorization.k8s.io/aggregate-to-view', '  - apiGroups: [""]\n    resources: ["secrets"]\n    verbs: ["list"]\n');
    expect(findingsOf(rule, risky).map((f) => [f.severity, f.message.endsWith('that is: reading Secrets')])).toEqual([['high', true]]);
  });
});
