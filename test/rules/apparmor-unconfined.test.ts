import rule from '../../src/rules/apparmor-unconfined.js';
import { ruleTester, yaml } from './tester.js';

const CHECK = 'the process must run under the runtime default AppArmor profile (it blocks, among others, mounts and writes to /proc and /sys)';

ruleTester(rule, {
  valid: [
    {
      name: 'RuntimeDefault, Localhost, allowed annotations and unrelated annotations',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          annotations:
            container.apparmor.security.beta.kubernetes.io/app: runtime/default
            container.apparmor.security.beta.kubernetes.io/sidecar: localhost/k8s-sidecar
            container.apparmor.security.beta.kubernetes.io/other: ""
            example.com/unconfined: unconfined
        spec:
          securityContext:
            appArmorProfile:
              type: RuntimeDefault
          containers:
            - name: app
              image: nginx:1.27
              securityContext:
                appArmorProfile:
                  type: Localhost
                  localhostProfile: k8s-app
      `,
    },
  ],
  invalid: [
    {
      name: 'annotation on a Deployment pod template',
      code: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: builder
          annotations:
            container.apparmor.security.beta.kubernetes.io/buildkit: runtime/default
        spec:
          template:
            metadata:
              annotations:
                container.apparmor.security.beta.kubernetes.io/buildkit: unconfined
            spec:
              containers:
                - name: buildkit
                  image: moby/buildkit:v0.14.1
      `,
      errors: [
        {
          ruleId: 'apparmor-unconfined',
          line: 11,
          column: 9,
          message: 'pod sets annotation `container.apparmor.security.beta.kubernetes.io/buildkit: unconfined`',
          fix: {
            confidence: 'review',
            title: 'set the AppArmor annotation to `runtime/default`',
            check: CHECK,
            ops: [
              {
                op: 'set',
                path: ['spec', 'template', 'metadata', 'annotations', 'container.apparmor.security.beta.kubernetes.io/buildkit'],
                value: 'runtime/default',
              },
            ],
          },
        },
      ],
    },
    {
      name: 'Unconfined field at pod and container level; a profile without a type',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: tracer
        spec:
          securityContext:
            appArmorProfile:
              type: Unconfined
          initContainers:
            - name: setup
              image: busybox:1.36
              securityContext:
                appArmorProfile: {}
          containers:
            - name: tracer
              image: ghcr.io/acme/tracer:1.0.0
              securityContext:
                appArmorProfile:
                  type: Unconfined
      `,
      errors: [
        {
          ruleId: 'apparmor-unconfined',
          line: 8,
          column: 7,
          message: 'pod sets `securityContext.appArmorProfile.type: Unconfined`',
          fix: {
            confidence: 'review',
            title: 'set `appArmorProfile.type: RuntimeDefault`',
            check: CHECK,
            ops: [{ op: 'set', path: ['spec', 'securityContext', 'appArmorProfile', 'type'], value: 'RuntimeDefault' }],
          },
        },
        { ruleId: 'apparmor-unconfined', line: 13, column: 9, message: 'init container `setup` sets a `securityContext.appArmorProfile` without a type' },
        { ruleId: 'apparmor-unconfined', line: 19, column: 11, message: 'container `tracer` sets `securityContext.appArmorProfile.type: Unconfined`' },
      ],
    },
  ],
});
