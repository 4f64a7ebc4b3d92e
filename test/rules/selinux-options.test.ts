import rule from '../../src/rules/selinux-options.js';
import { ruleTester, yaml } from './tester.js';

const ENGINE = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: podman
  spec:
    containers:
      - name: podman
        image: quay.io/podman/stable:v5.1
        securityContext:
          seLinuxOptions:
            type: container_engine_t
            level: "s0:c1,c2"
`;

ruleTester(rule, {
  valid: [
    { name: 'container_engine_t is allowed from 1.31', code: ENGINE },
    {
      name: 'empty options and allowed types',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          securityContext:
            seLinuxOptions:
              type: container_t
              user: ""
          containers:
            - name: app
              image: nginx:1.27
              securityContext:
                seLinuxOptions: {}
      `,
    },
  ],
  invalid: [
    {
      name: 'container_engine_t is forbidden before 1.31',
      code: ENGINE,
      version: '1.30',
      errors: [
        { ruleId: 'selinux-options', line: 11, column: 11, message: 'container `podman` sets `securityContext.seLinuxOptions.type: container_engine_t`' },
      ],
    },
    {
      name: 'user and role at pod level, spc_t on a container; no fix',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: labelled
        spec:
          securityContext:
            seLinuxOptions:
              user: system_u
              role: system_r
          containers:
            - name: app
              image: nginx:1.27
              securityContext:
                seLinuxOptions:
                  type: spc_t
      `,
      errors: [
        { ruleId: 'selinux-options', line: 8, column: 7, message: 'pod sets `securityContext.seLinuxOptions.user: system_u`' },
        { ruleId: 'selinux-options', line: 9, column: 7, message: 'pod sets `securityContext.seLinuxOptions.role: system_r`' },
        { ruleId: 'selinux-options', line: 15, column: 11, message: 'container `app` sets `securityContext.seLinuxOptions.type: spc_t`' },
      ],
    },
  ],
});
