import rule from '../../src/rules/rbac-sensitive-writes.js';
import { ruleTester } from './tester.js';

const role = (kind: string, groups: string, resources: string, verbs: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: r\n  namespace: shop\nrules:\n  - apiGroups: ${groups}\n    resources: ${resources}\n    verbs: ${verbs}\n`;

ruleTester(rule, {
  valid: [
    { name: 'reading tokens is not minting them', code: role('Role', '[""]', '["serviceaccounts"]', '["get", "create"]') },
    {
      name: 'webhook configurations are cluster-scoped: a Role cannot reach them',
      code: role('Role', '["*"]', '["mutatingwebhookconfigurations"]', '["create"]'),
    },
    { name: 'creating CSRs is not approving them', code: role('ClusterRole', '["certificates.k8s.io"]', '["certificatesigningrequests"]', '["create"]') },
  ],
  invalid: [
    {
      name: 'one entry, several risks: one finding that says all of them',
      code: role('ClusterRole', '[""]', '["persistentvolumes", "serviceaccounts/token"]', '["create"]'),
      errors: [
        {
          ruleId: 'rbac-sensitive-writes',
          line: 8,
          column: 38,
          message:
            '`rules[0]` grants `create` on `persistentvolumes`, `serviceaccounts/token`: its holders can mint a token for any ServiceAccount in reach and act with its permissions; create PersistentVolumes, a `hostPath` one included, which mounts the node’s filesystem into a pod',
        },
      ],
    },
    {
      name: 'deleting a validating webhook switches a policy off',
      code: role('ClusterRole', '["admissionregistration.k8s.io"]', '["validatingwebhookconfigurations"]', '["delete"]'),
      errors: [{ ruleId: 'rbac-sensitive-writes', line: 8 }],
    },
  ],
});
