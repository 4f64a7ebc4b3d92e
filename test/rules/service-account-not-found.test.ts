import rule from '../../src/rules/service-account-not-found.js';
import { ruleTester, yaml } from './tester.js';

const pod = (ns: string | undefined, account: string) => yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: web${ns ? `\n    namespace: ${ns}` : ''}
  spec:
    serviceAccountName: ${account}
    containers:
      - name: app
        image: ghcr.io/acme/web:1.4.2
`;
const account = (name: string, ns?: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}---\n`;

ruleTester(rule, {
  valid: [
    {
      name: '`default` always exists, even in a namespace the scan defines',
      code: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n${pod('shop', 'default')}`,
    },
    { name: 'workload without a namespace finds the ServiceAccount in any namespace', code: `${account('web', 'shop')}${pod(undefined, 'web')}` },
    { name: 'nothing of the namespace is in the scan', code: `${account('other', 'tools')}${pod('shop', 'web')}` },
  ],
  invalid: [
    {
      name: 'workloads and ServiceAccounts written without a namespace share one',
      code: `${account('worker')}${pod(undefined, 'web')}`,
      errors: [{ ruleId: 'service-account-not-found', line: 11, column: 3, message: 'pod runs as ServiceAccount `web`, which the scan does not define' }],
    },
    {
      name: 'the deprecated serviceAccount field',
      code: `${account('worker', 'shop')}${pod('shop', 'web').replace('serviceAccountName', 'serviceAccount')}`,
      errors: [
        {
          ruleId: 'service-account-not-found',
          line: 13,
          column: 3,
          message: 'pod runs as ServiceAccount `web`, which namespace `shop` of the scan does not define',
        },
      ],
    },
  ],
});
