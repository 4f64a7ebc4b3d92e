import rule from '../../src/rules/privileged-container.js';
import { ruleTester, yaml } from './tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'privileged: false',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          containers:
            - name: app
              image: nginx:1.27
              securityContext:
                privileged: false
      `,
    },
  ],
  invalid: [
    {
      name: 'init container of a DaemonSet',
      code: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
        spec:
          template:
            spec:
              initContainers:
                - name: setup
                  image: busybox:1.36
                  securityContext:
                    privileged: true
              containers:
                - name: agent
                  image: ghcr.io/acme/agent:1.0.0
      `,
      errors: [
        {
          ruleId: 'privileged-container',
          line: 12,
          column: 13,
          message: 'init container `setup` sets `securityContext.privileged: true`',
          fix: {
            confidence: 'review',
            title: 'remove `privileged: true`',
            check:
              'the container must not need privileged mode (writing sysctls, host devices, mounts, kernel modules): grant the one capability it needs instead',
            ops: [{ op: 'remove', path: ['spec', 'template', 'spec', 'initContainers', 0, 'securityContext', 'privileged'] }],
          },
        },
      ],
    },
  ],
});
