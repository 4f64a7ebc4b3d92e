import rule from '../../src/rules/capabilities-baseline.js';
import { ruleTester, yaml } from './tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'every allowed capability',
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
                capabilities:
                  add: [AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]
      `,
    },
  ],
  invalid: [
    {
      name: 'several forbidden items: one finding at the first, removals from the highest index',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: net
        spec:
          containers:
            - name: app
              image: nginx:1.27
              securityContext:
                capabilities:
                  add:
                    - NET_BIND_SERVICE
                    - NET_ADMIN
                    - CHOWN
                    - SYS_ADMIN
      `,
      errors: [
        {
          ruleId: 'capabilities-baseline',
          line: 13,
          column: 15,
          message: 'container `app` adds capabilities `NET_ADMIN`, `SYS_ADMIN`',
          fix: {
            confidence: 'review',
            title: 'stop adding `NET_ADMIN`, `SYS_ADMIN`',
            check: 'the process must not need `NET_ADMIN`, `SYS_ADMIN`',
            ops: [
              { op: 'remove', path: ['spec', 'containers', 0, 'securityContext', 'capabilities', 'add', 3] },
              { op: 'remove', path: ['spec', 'containers', 0, 'securityContext', 'capabilities', 'add', 1] },
            ],
          },
        },
      ],
    },
    {
      name: 'names are exact: lower case and a CAP_ prefix fail',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: net
        spec:
          initContainers:
            - name: setup
              image: busybox:1.36
              securityContext:
                capabilities:
                  add: ["chown", "CAP_CHOWN"]
          containers:
            - name: app
              image: nginx:1.27
      `,
      errors: [{ ruleId: 'capabilities-baseline', line: 11, column: 17, message: 'init container `setup` adds capabilities `chown`, `CAP_CHOWN`' }],
    },
  ],
});
