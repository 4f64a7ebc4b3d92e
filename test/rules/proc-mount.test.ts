import rule, { PROC_MOUNT_CHECK } from '../../src/rules/proc-mount.js';
import { ruleTester, yaml } from './tester.js';

const UNMASKED_USERNS = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: builder
  spec:
    hostUsers: false
    containers:
      - name: buildah
        image: quay.io/buildah/stable:v1.36
        securityContext:
          procMount: Unmasked
`;

ruleTester(rule, {
  valid: [
    {
      name: 'Default',
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
                procMount: Default
      `,
    },
    { name: 'hostUsers: false relaxes it from 1.35', code: UNMASKED_USERNS },
  ],
  invalid: [
    {
      name: 'hostUsers: false does not relax it before 1.35',
      code: UNMASKED_USERNS,
      version: '1.34',
      errors: [
        {
          ruleId: 'proc-mount',
          line: 11,
          column: 9,
          message: 'container `buildah` sets `securityContext.procMount: Unmasked`',
          fix: {
            confidence: 'review',
            title: 'remove `procMount`',
            check: PROC_MOUNT_CHECK,
            ops: [{ op: 'remove', path: ['spec', 'containers', 0, 'securityContext', 'procMount'] }],
          },
        },
      ],
    },
  ],
});
