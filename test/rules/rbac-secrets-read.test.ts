import rule from '../../src/rules/rbac-secrets-read.js';
import { ruleTester, yaml } from './tester.js';

const crb = yaml`
  apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata:
    name: reader
  roleRef:
    apiGroup: rbac.authorization.k8s.io
    kind: ClusterRole
    name: reader
  subjects:
    - kind: ServiceAccount
      name: reader
      namespace: tools
`;
const reader = (verbs: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules:\n  - apiGroups: [""]\n    resources: ["secrets"]\n    verbs: ${verbs}\n`;

ruleTester(rule, {
  valid: [
    { name: 'writes without reads', code: reader('["create", "delete"]') },
    { name: 'another API group', code: reader('["get"]').replace('[""]', '["example.com"]') },
  ],
  invalid: [
    {
      name: 'a ClusterRole bound cluster-wide: high, with the subject',
      code: `${reader('["list"]')}---\n${crb}`,
      errors: [
        {
          ruleId: 'rbac-secrets-read',
          line: 7,
          message:
            '`rules[0]` lets its holders read every Secret in every namespace: `list` on `secrets`; granted to ServiceAccount `tools/reader` by ClusterRoleBinding `reader` (case.yaml)',
        },
      ],
    },
    {
      name: 'verb `*` reads too',
      code: reader('["*"]'),
      errors: [{ ruleId: 'rbac-secrets-read', line: 7, message: '`rules[0]` lets its holders read every Secret in every namespace: `*` on `secrets`' }],
    },
  ],
});
