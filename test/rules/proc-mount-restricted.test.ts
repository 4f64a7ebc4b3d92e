import { PROC_MOUNT_CHECK } from '../../src/rules/proc-mount.js';
import rule from '../../src/rules/proc-mount-restricted.js';
import { ruleTester, yaml } from './tester.js';

const UNMASKED_USERNS = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: builder
  spec:
    hostUsers: false
    initContainers:
      - name: setup
        image: quay.io/buildah/stable:v1.36
        securityContext:
          procMount: Unmasked
    containers:
      - name: app
        image: nginx:1.27
`;

ruleTester(rule, {
  valid: [
    // Before 1.35 the control does not exist: the baseline proc-mount rule covers the restricted profile.
    { name: 'the control starts at 1.35', code: UNMASKED_USERNS, version: '1.34' },
  ],
  invalid: [
    {
      name: 'hostUsers: false does not relax it',
      code: UNMASKED_USERNS,
      errors: [
        {
          ruleId: 'proc-mount-restricted',
          line: 11,
          column: 9,
          message: 'init container `setup` sets `securityContext.procMount: Unmasked`',
          fix: {
            confidence: 'review',
            title: 'remove `procMount`',
            check: PROC_MOUNT_CHECK,
            ops: [{ op: 'remove', path: ['spec', 'initContainers', 0, 'securityContext', 'procMount'] }],
          },
        },
      ],
    },
  ],
});
