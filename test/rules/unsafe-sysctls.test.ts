import rule from '../../src/rules/unsafe-sysctls.js';
import { ruleTester, yaml } from './tester.js';

const NEWER = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: gateway
  spec:
    securityContext:
      sysctls:
        - name: net.ipv4.ip_local_port_range
          value: "1024 65535"
        - name: net.ipv4.tcp_rmem
          value: "4096 87380 16777216"
        - name: net.ipv4.tcp_slow_start_after_idle
          value: "0"
    containers:
      - name: gateway
        image: ghcr.io/acme/gateway:3.0.0
`;

ruleTester(rule, {
  valid: [{ name: 'every sysctl is safe at 1.37', code: NEWER }],
  invalid: [
    {
      name: 'tcp_slow_start_after_idle is only safe from 1.37',
      code: NEWER,
      version: '1.36',
      errors: [{ ruleId: 'unsafe-sysctls', line: 12, column: 9, message: 'pod sets unsafe sysctl `net.ipv4.tcp_slow_start_after_idle`' }],
    },
    {
      name: 'tcp_rmem is only safe from 1.32',
      code: NEWER,
      version: '1.31',
      errors: [
        {
          ruleId: 'unsafe-sysctls',
          line: 10,
          column: 9,
          message: 'pod sets unsafe sysctls `net.ipv4.tcp_rmem`, `net.ipv4.tcp_slow_start_after_idle`',
          fix: {
            confidence: 'review',
            title: 'remove sysctls `net.ipv4.tcp_rmem`, `net.ipv4.tcp_slow_start_after_idle`',
            check: 'the workload must not depend on `net.ipv4.tcp_rmem`, `net.ipv4.tcp_slow_start_after_idle`; tune it on the nodes if it does',
            ops: [
              { op: 'remove', path: ['spec', 'securityContext', 'sysctls', 2] },
              { op: 'remove', path: ['spec', 'securityContext', 'sysctls', 1] },
            ],
          },
        },
      ],
    },
  ],
});
