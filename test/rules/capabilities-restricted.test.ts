import rule, { ROOT_CHECK } from '../../src/rules/capabilities-restricted.js';
import { ruleTester, yaml } from './tester.js';

const NO_CAPS = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: web
  spec:
    containers:
      - name: app
        image: nginx:1.27
`;

ruleTester(rule, {
  valid: [
    {
      name: 'drop ALL, add NET_BIND_SERVICE',
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
                  drop: [NET_RAW, ALL]
                  add: [NET_BIND_SERVICE]
      `,
    },
    { name: 'the control starts at 1.22', code: NO_CAPS, version: '1.21' },
    {
      name: 'a Windows pod is exempt from 1.25',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: iis
        spec:
          os:
            name: windows
          containers:
            - name: iis
              image: iis:2022
      `,
    },
  ],
  invalid: [
    {
      name: 'no capabilities at all: set drop ["ALL"], to review (the image may run as root and need a default capability)',
      code: NO_CAPS,
      errors: [
        {
          ruleId: 'capabilities-restricted',
          line: 7,
          column: 7,
          message: 'container `app` does not set `securityContext.capabilities.drop: ["ALL"]`',
          fix: {
            confidence: 'review',
            title: 'drop ALL capabilities',
            check: ROOT_CHECK,
            ops: [{ op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop'], value: ['ALL'] }],
          },
        },
      ],
    },
    ...(
      [
        ['a container runAsUser other than 0', 'securityContext:\n      runAsUser: 101', '', 'safe'],
        ['the pod runAsNonRoot', '', 'securityContext:\n    runAsNonRoot: true\n  ', 'safe'],
        ['the pod runAsUser, not overridden', '', 'securityContext:\n    runAsUser: 1000\n  ', 'safe'],
        [
          'runAsNonRoot on the pod, but the container runAsUser: 0',
          'securityContext:\n      runAsUser: 0',
          'securityContext:\n    runAsNonRoot: true\n  ',
          'review',
        ],
        [
          'runAsNonRoot: false on the container over the pod true',
          'securityContext:\n      runAsNonRoot: false',
          'securityContext:\n    runAsNonRoot: true\n  ',
          'review',
        ],
      ] as const
    ).map(([name, own, pod, confidence]) => ({
      name: `drop ALL is safe only when the container cannot run as root: ${name} → ${confidence}`,
      code: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  ${pod}containers:\n  - name: app\n    image: nginx:1.27\n${own ? `    ${own}\n` : ''}`,
      errors: [
        {
          ruleId: 'capabilities-restricted',
          line: 7 + (pod === '' ? 0 : 2) + (own === '' ? 0 : 2),
          message: 'container `app` does not set `securityContext.capabilities.drop: ["ALL"]`',
          fix: {
            confidence,
            title: 'drop ALL capabilities',
            ...(confidence === 'review' ? { check: ROOT_CHECK } : {}),
            ops: [{ op: 'set' as const, path: ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop'], value: ['ALL'] }],
          },
        },
      ],
    })),
    {
      name: 'lower-case all does not count: the item is rewritten as ALL, not appended',
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
                  drop: [all, NET_RAW]
      `,
      errors: [
        {
          ruleId: 'capabilities-restricted',
          line: 11,
          column: 11,
          message: 'container `app` does not drop `ALL` capabilities (the name is case-sensitive)',
          fix: {
            confidence: 'safe',
            title: 'write `all` as `ALL` in `capabilities.drop`',
            ops: [{ op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop', 0], value: 'ALL' }],
          },
        },
      ],
    },
    {
      name: 'a block drop list with `All` after another item: that item is rewritten',
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
                  drop:
                    - NET_RAW
                    - All
      `,
      errors: [
        {
          ruleId: 'capabilities-restricted',
          line: 11,
          message: 'container `app` does not drop `ALL` capabilities (the name is case-sensitive)',
          fix: {
            confidence: 'safe',
            title: 'write `All` as `ALL` in `capabilities.drop`',
            ops: [{ op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop', 1], value: 'ALL' }],
          },
        },
      ],
    },
    {
      name: 'a baseline capability is still too much',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          initContainers:
            - name: setup
              image: busybox:1.36
              securityContext:
                capabilities:
                  drop: ["ALL"]
                  add: ["CHOWN"]
          containers:
            - name: app
              image: nginx:1.27
              securityContext:
                capabilities:
                  drop: ["ALL"]
      `,
      errors: [
        {
          ruleId: 'capabilities-restricted',
          line: 12,
          column: 17,
          message: 'init container `setup` adds capability `CHOWN`; only `NET_BIND_SERVICE` may be added',
          fix: {
            confidence: 'review',
            title: 'stop adding `CHOWN`',
            check: 'the process must not need `CHOWN`',
            ops: [{ op: 'remove', path: ['spec', 'initContainers', 0, 'securityContext', 'capabilities', 'add', 0] }],
          },
        },
      ],
    },
    {
      name: 'a Windows pod is not exempt before 1.25',
      version: '1.24',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: iis
        spec:
          os:
            name: windows
          containers:
            - name: iis
              image: iis:2022
      `,
      errors: [{ ruleId: 'capabilities-restricted', line: 9, column: 7 }],
    },
  ],
});
