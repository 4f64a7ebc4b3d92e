import rule from '../../src/rules/run-as-user-root.js';
import { ruleTester, yaml } from './tester.js';

const ROOT = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: legacy
  spec:
    hostUsers: false
    securityContext:
      runAsUser: 0
    containers:
      - name: legacy
        image: ghcr.io/acme/legacy:7.0.0
        securityContext:
          runAsUser: 0
`;

ruleTester(rule, {
  valid: [
    { name: 'hostUsers: false exempts the pod from 1.35', code: ROOT },
    { name: 'the control starts at 1.23', code: ROOT, version: '1.22' },
    {
      name: 'non-zero users',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          securityContext:
            runAsUser: 10001
          containers:
            - name: app
              image: nginx:1.27
              securityContext:
                runAsUser: 1
      `,
    },
  ],
  invalid: [
    {
      name: 'pod and container level before the 1.35 relaxation',
      code: ROOT,
      version: '1.34',
      errors: [
        {
          ruleId: 'run-as-user-root',
          line: 8,
          column: 5,
          message: 'pod sets `securityContext.runAsUser: 0`',
          fix: {
            confidence: 'review',
            title: 'remove `runAsUser: 0`',
            check: 'the image must run as a non-root user (USER in the Dockerfile), or set a non-zero `runAsUser` instead',
            ops: [{ op: 'remove', path: ['spec', 'securityContext', 'runAsUser'] }],
          },
        },
        { ruleId: 'run-as-user-root', line: 13, column: 9, message: 'container `legacy` sets `securityContext.runAsUser: 0`' },
      ],
    },
  ],
});
