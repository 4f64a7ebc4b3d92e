import rule from '../../src/rules/allow-privilege-escalation.js';
import { ruleTester, yaml } from './tester.js';

const UNSET = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: web
  spec:
    containers:
      - name: app
        image: nginx:1.27
`;

const WINDOWS = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: iis
  spec:
    os:
      name: windows
    containers:
      - name: iis
        image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
`;

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
          containers:
            - name: app
              image: nginx:1.27
              securityContext:
                allowPrivilegeEscalation: false
      `,
    },
    { name: 'a Windows pod is exempt from 1.25', code: WINDOWS },
    { name: 'the control starts at 1.8', code: UNSET, version: '1.7' },
  ],
  invalid: [
    {
      name: 'unset: points at the container, sets false',
      code: UNSET,
      errors: [
        {
          ruleId: 'allow-privilege-escalation',
          line: 7,
          column: 7,
          message: 'container `app` does not set `securityContext.allowPrivilegeEscalation: false`',
          fix: {
            confidence: 'safe',
            title: 'set `allowPrivilegeEscalation: false`',
            ops: [{ op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation'], value: false }],
          },
        },
      ],
    },
    { name: 'a Windows pod is not exempt before 1.25', code: WINDOWS, version: '1.24', errors: [{ ruleId: 'allow-privilege-escalation', line: 9 }] },
    {
      name: 'true on an ephemeral container of a Deployment template',
      code: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: nginx:1.27
                  securityContext:
                    allowPrivilegeEscalation: false
              ephemeralContainers:
                - name: debugger
                  image: busybox:1.36
                  securityContext:
                    allowPrivilegeEscalation: true
      `,
      errors: [
        {
          ruleId: 'allow-privilege-escalation',
          line: 17,
          column: 13,
          message: 'ephemeral container `debugger` sets `securityContext.allowPrivilegeEscalation: true`',
        },
      ],
    },
  ],
});
