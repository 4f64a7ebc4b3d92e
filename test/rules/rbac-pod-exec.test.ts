import rule from '../../src/rules/rbac-pod-exec.js';
import { ruleTester } from './tester.js';

const role = (kind: 'Role' | 'ClusterRole', resources: string, verbs: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: r\n  namespace: shop\nrules:\n  - apiGroups: [""]\n    resources: ${resources}\n    verbs: ${verbs}\n`;

ruleTester(rule, {
  valid: [
    { name: 'pods/log is not exec', code: role('Role', '["pods/log"]', '["get"]') },
    { name: '`pods/*` matches only a resource literally named so', code: role('Role', '["pods/*"]', '["create"]') },
    { name: 'nodes/proxy cannot be reached from a Role', code: role('Role', '["nodes/proxy"]', '["get"]') },
    { name: 'nodes/metrics is the kubelet’s metrics only', code: role('ClusterRole', '["nodes/metrics", "nodes/stats"]', '["get"]') },
  ],
  invalid: [
    {
      name: '`*/exec` reaches exec of every resource',
      code: role('Role', '["*/exec"]', '["create"]'),
      errors: [{ ruleId: 'rbac-pod-exec', line: 8, message: '`rules[0]` lets its holders run commands in pods: `create` on `*/exec`' }],
    },
    {
      name: 'exec and nodes/proxy in one entry: two findings, each on its resource',
      code: role('ClusterRole', '["pods/attach", "nodes/proxy"]', '["get", "create"]'),
      errors: [
        { ruleId: 'rbac-pod-exec', line: 8, column: 17, message: '`rules[0]` lets its holders run commands in pods: `get`, `create` on `pods/attach`' },
        {
          ruleId: 'rbac-pod-exec',
          line: 8,
          column: 32,
          message:
            '`rules[0]` grants `get`, `create` on `nodes/proxy`: the kubelet API of every node, which runs commands in any pod there and bypasses audit logging and admission',
        },
      ],
    },
  ],
});
