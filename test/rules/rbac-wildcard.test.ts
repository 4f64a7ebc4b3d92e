import rule from '../../src/rules/rbac-wildcard.js';
import { ruleTester, yaml } from './tester.js';

const clusterRole = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules:\n${rules}`;

ruleTester(rule, {
  valid: [
    { name: 'explicit verbs and resources', code: clusterRole('  - apiGroups: ["apps"]\n    resources: ["deployments"]\n    verbs: ["get", "list"]\n') },
    { name: '`pods/*` is a literal resource, not a wildcard', code: clusterRole('  - apiGroups: [""]\n    resources: ["pods/*"]\n    verbs: ["get"]\n') },
    { name: 'a trailing-star URL is narrower than `*`', code: clusterRole('  - nonResourceURLs: ["/metrics*"]\n    verbs: ["get"]\n') },
    {
      name: 'an aggregated ClusterRole: its rules are the controller’s to write',
      code: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: monitoring
        aggregationRule:
          clusterRoleSelectors:
            - matchLabels: { example.com/aggregate-to-monitoring: "true" }
        rules:
          - apiGroups: ["*"]
            resources: ["*"]
            verbs: ["*"]
      `,
    },
  ],
  invalid: [
    {
      name: '*/*/* in a Role is admin of its namespace (high)',
      code: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: ns-admin
          namespace: team-a
        rules:
          - apiGroups: ["*"]
            resources: ["*"]
            verbs: ["*"]
      `,
      errors: [
        {
          ruleId: 'rbac-wildcard',
          line: 8,
          column: 17,
          message: '`rules[0]` grants every verb on every resource of every API group in namespace `team-a`: admin of the namespace',
        },
      ],
    },
    {
      name: 'verb `*` on roles keeps its special verbs, so no fix',
      code: clusterRole('  - apiGroups: ["rbac.authorization.k8s.io"]\n    resources: ["roles"]\n    verbs: ["*"]\n'),
      errors: [
        {
          ruleId: 'rbac-wildcard',
          line: 8,
          message: '`rules[0]` grants every verb (including special verbs such as `escalate`, `bind`, `impersonate`, `approve`) on `roles`',
        },
      ],
    },
    {
      name: '`*/status` reaches the status of every resource',
      code: clusterRole('  - apiGroups: ["*"]\n    resources: ["*/status"]\n    verbs: ["patch"]\n'),
      errors: [
        {
          ruleId: 'rbac-wildcard',
          line: 7,
          message:
            "`rules[0]` grants `patch` on `*/status` in API groups `*`, present and future; minpriv cannot expand `*` without the API server's discovery (`kubectl api-resources`): list the resources the role needs",
        },
      ],
    },
  ],
});
