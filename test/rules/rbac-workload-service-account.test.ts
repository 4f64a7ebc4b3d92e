import rule from '../../src/rules/rbac-workload-service-account.js';
import { ruleTester } from './tester.js';

const pod = (spec: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n${spec}  containers:\n    - name: web\n      image: ghcr.io/acme/web:1.4.2\n`;
const bindTo = (kind: string, role: string, subject: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: grant\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: ${role}\nsubjects:\n${subject}---\n`;
const sa = (name: string) => `  - kind: ServiceAccount\n    name: ${name}\n    namespace: shop\n`;

ruleTester(rule, {
  valid: [
    { name: 'bound to view: nothing risky', code: bindTo('RoleBinding', 'view', sa('web')) + pod('  serviceAccountName: web\n') },
    { name: 'another ServiceAccount is bound', code: bindTo('RoleBinding', 'edit', sa('ci')) + pod('  serviceAccountName: web\n') },
    {
      name: 'the ServiceAccount turns the token off and the pod does not turn it on',
      code: `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\nautomountServiceAccountToken: false\n---\n${bindTo('RoleBinding', 'edit', sa('web'))}${pod('  serviceAccountName: web\n')}`,
    },
  ],
  invalid: [
    {
      name: 'through a group every ServiceAccount of the namespace is in',
      code:
        bindTo('RoleBinding', 'edit', '  - kind: Group\n    name: system:serviceaccounts:shop\n    apiGroup: rbac.authorization.k8s.io\n') +
        pod('  serviceAccountName: web\n'),
      errors: [
        {
          ruleId: 'rbac-workload-service-account',
          line: 21,
          column: 3,
          message:
            'runs as ServiceAccount `shop/web`, which RoleBinding `shop/grant` (case.yaml) binds to ClusterRole `edit` (through Group `system:serviceaccounts:shop`): reading Secrets, exec into pods, impersonation, creating pods, minting ServiceAccount tokens',
        },
      ],
    },
    {
      name: 'the pod turns the token on though its ServiceAccount turns it off',
      code: `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\nautomountServiceAccountToken: false\n---\n${bindTo('ClusterRoleBinding', 'cluster-admin', sa('web'))}${pod('  serviceAccountName: web\n  automountServiceAccountToken: true\n')}`,
      errors: [{ ruleId: 'rbac-workload-service-account', line: 28 }],
    },
  ],
});
