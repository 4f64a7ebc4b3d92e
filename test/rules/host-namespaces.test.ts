import rule from '../../src/rules/host-namespaces.js';
import { ruleTester, yaml } from './tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'explicit false',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          hostNetwork: false
          hostPID: false
          hostIPC: false
          containers:
            - name: app
              image: nginx:1.27
      `,
    },
  ],
  invalid: [
    {
      name: 'one finding per field',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: debug
        spec:
          hostIPC: true
          hostNetwork: true
          hostPID: true
          containers:
            - name: shell
              image: busybox:1.36
      `,
      errors: [
        { ruleId: 'host-namespaces', line: 6, column: 3, message: 'pod sets `hostIPC: true`' },
        { ruleId: 'host-namespaces', line: 7, column: 3, message: 'pod sets `hostNetwork: true`' },
        {
          ruleId: 'host-namespaces',
          line: 8,
          column: 3,
          message: 'pod sets `hostPID: true`',
          fix: { confidence: 'safe', title: 'remove `hostPID`', ops: [{ op: 'remove', path: ['spec', 'hostPID'] }] },
        },
      ],
    },
    {
      name: 'CronJob pod template',
      code: yaml`
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: sweep
        spec:
          schedule: "@daily"
          jobTemplate:
            spec:
              template:
                spec:
                  hostNetwork: true
                  containers:
                    - name: sweep
                      image: ghcr.io/acme/sweep:1.0.0
      `,
      errors: [
        {
          ruleId: 'host-namespaces',
          line: 11,
          column: 11,
          fix: {
            confidence: 'safe',
            title: 'remove `hostNetwork`',
            ops: [{ op: 'remove', path: ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'hostNetwork'] }],
          },
        },
      ],
    },
  ],
});
