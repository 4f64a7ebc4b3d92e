import rule from '../../src/rules/run-as-non-root.js';
import { ruleTester, yaml } from './tester.js';

const CHECK = 'the image must run as a non-root user (USER in the Dockerfile or runAsUser)';

const USERNS = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: legacy
  spec:
    hostUsers: false
    containers:
      - name: legacy
        image: ghcr.io/acme/legacy:7.0.0
`;

ruleTester(rule, {
  valid: [
    {
      name: 'pod-level true covers the containers',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          securityContext:
            runAsNonRoot: true
          initContainers:
            - name: setup
              image: busybox:1.36
          containers:
            - name: app
              image: nginx:1.27
      `,
    },
    { name: 'hostUsers: false exempts the pod from 1.35', code: USERNS },
  ],
  invalid: [
    {
      name: 'hostUsers: false does not exempt before 1.35',
      code: USERNS,
      version: '1.34',
      errors: [
        {
          ruleId: 'run-as-non-root',
          line: 5,
          column: 1,
          message: 'pod does not set `securityContext.runAsNonRoot: true`, and neither does container `legacy`',
          fix: {
            confidence: 'review',
            title: 'set `runAsNonRoot: true`',
            check: CHECK,
            ops: [{ op: 'set', path: ['spec', 'securityContext', 'runAsNonRoot'], value: true }],
          },
        },
      ],
    },
    {
      name: 'containers set true but the pod says false',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          securityContext:
            runAsNonRoot: false
          containers:
            - name: app
              image: nginx:1.27
              securityContext:
                runAsNonRoot: true
      `,
      errors: [{ ruleId: 'run-as-non-root', line: 7, column: 5, message: 'pod sets `securityContext.runAsNonRoot: false`' }],
    },
    {
      name: 'an init container says false under a pod-level true',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          securityContext:
            runAsNonRoot: true
          initContainers:
            - name: setup
              image: busybox:1.36
              securityContext:
                runAsNonRoot: false
          containers:
            - name: app
              image: nginx:1.27
      `,
      errors: [
        {
          ruleId: 'run-as-non-root',
          line: 12,
          column: 9,
          message: 'init container `setup` sets `securityContext.runAsNonRoot: false`',
          fix: {
            confidence: 'review',
            title: 'set `runAsNonRoot: true`',
            check: CHECK,
            ops: [{ op: 'set', path: ['spec', 'initContainers', 0, 'securityContext', 'runAsNonRoot'], value: true }],
          },
        },
      ],
    },
  ],
});
