import rule from '../../src/rules/seccomp-unconfined.js';
import { ruleTester, yaml } from './tester.js';

const ANNOTATED = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: legacy
    annotations:
      seccomp.security.alpha.kubernetes.io/pod: unconfined
      container.seccomp.security.alpha.kubernetes.io/app: docker/default
  spec:
    containers:
      - name: app
        image: nginx:1.27
`;

ruleTester(rule, {
  valid: [
    {
      name: 'unset, RuntimeDefault and Localhost',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          securityContext:
            seccompProfile:
              type: RuntimeDefault
          initContainers:
            - name: setup
              image: busybox:1.36
          containers:
            - name: app
              image: nginx:1.27
              securityContext:
                seccompProfile:
                  type: Localhost
                  localhostProfile: profiles/app.json
      `,
    },
    { name: 'from 1.19 the alpha annotations are not checked', code: ANNOTATED },
  ],
  invalid: [
    {
      name: 'Unconfined at pod and container level',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: profiler
        spec:
          securityContext:
            seccompProfile:
              type: Unconfined
          containers:
            - name: app
              image: nginx:1.27
              securityContext:
                seccompProfile:
                  type: Unconfined
      `,
      errors: [
        {
          ruleId: 'seccomp-unconfined',
          line: 8,
          column: 7,
          message: 'pod sets `securityContext.seccompProfile.type: Unconfined`',
          fix: {
            confidence: 'safe',
            title: 'set pod `seccompProfile.type: RuntimeDefault`',
            ops: [{ op: 'set', path: ['spec', 'securityContext', 'seccompProfile', 'type'], value: 'RuntimeDefault' }],
          },
        },
        {
          ruleId: 'seccomp-unconfined',
          line: 14,
          column: 11,
          message: 'container `app` sets `securityContext.seccompProfile.type: Unconfined`',
          fix: {
            confidence: 'safe',
            title: 'set container `seccompProfile.type: RuntimeDefault`',
            ops: [{ op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'seccompProfile', 'type'], value: 'RuntimeDefault' }],
          },
        },
      ],
    },
    {
      name: 'before 1.19 the pod annotation is checked',
      code: ANNOTATED,
      version: '1.18',
      errors: [{ ruleId: 'seccomp-unconfined', line: 6, column: 5, message: 'pod sets annotation `seccomp.security.alpha.kubernetes.io/pod: unconfined`' }],
    },
  ],
});
