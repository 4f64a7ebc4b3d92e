import rule from '../../src/rules/host-ports.js';
import { ruleTester, yaml } from './tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'containerPort only, and hostPort 0',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          containers:
            - name: app
              image: nginx:1.27
              ports:
                - containerPort: 80
                - containerPort: 9090
                  hostPort: 0
      `,
    },
  ],
  invalid: [
    {
      name: 'second port of an init container',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          initContainers:
            - name: register
              image: ghcr.io/acme/register:1.0.0
              ports:
                - containerPort: 7000
                - containerPort: 7001
                  hostPort: 7001
          containers:
            - name: app
              image: nginx:1.27
      `,
      errors: [
        {
          ruleId: 'host-ports',
          line: 12,
          column: 11,
          message: 'init container `register` sets `ports[1].hostPort: 7001`',
          fix: {
            confidence: 'review',
            title: 'remove `hostPort`',
            check: "nothing must reach this pod on port 7001 of its node's address (a Service is the way in)",
            ops: [{ op: 'remove', path: ['spec', 'initContainers', 0, 'ports', 1, 'hostPort'] }],
          },
        },
      ],
    },
  ],
});
