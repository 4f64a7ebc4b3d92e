import rule from '../../src/rules/rbac-create-pods.js';
import { ruleTester } from './tester.js';

const role = (groups: string, resources: string, verbs: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n  namespace: shop\nrules:\n  - apiGroups: ${groups}\n    resources: ${resources}\n    verbs: ${verbs}\n`;

ruleTester(rule, {
  valid: [
    { name: 'patching pods only changes images and labels', code: role('[""]', '["pods"]', '["patch", "delete"]') },
    { name: 'controllers in the wrong group are not controllers', code: role('["apps"]', '["jobs", "pods"]', '["create"]') },
    { name: 'scaling is not creating', code: role('["apps"]', '["deployments/scale"]', '["update", "patch"]') },
  ],
  invalid: [
    {
      name: 'updating a StatefulSet rewrites its pod template',
      code: role('["apps"]', '["statefulsets", "daemonsets"]', '["get", "update"]'),
      errors: [
        {
          ruleId: 'rbac-create-pods',
          line: 8,
          message:
            '`rules[0]` lets its holders start pods in namespace `shop` that mount any Secret and run as any ServiceAccount there: `update` on `statefulsets`, `daemonsets`',
        },
      ],
    },
    {
      name: 'replicationcontrollers live in the core group',
      code: role('[""]', '["replicationcontrollers"]', '["create"]'),
      errors: [{ ruleId: 'rbac-create-pods', line: 8 }],
    },
  ],
});
