import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/host-namespaces.js';
import { findingsOf, ruleTester, yaml } from './tester.js';

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
          fix: {
            confidence: 'review',
            title: 'remove `hostPID`',
            check: "the pod must not need to see or signal the node's processes (node agents, debuggers)",
            ops: [{ op: 'remove', path: ['spec', 'hostPID'] }],
          },
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
            confidence: 'review',
            title: 'remove `hostNetwork`',
            check: "the pod must not need the node's network (node agents, CNI plugins, an ingress listening on the node)",
            ops: [{ op: 'remove', path: ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'hostNetwork'] }],
          },
        },
      ],
    },
  ],
});

describe('Windows HostProcess pods keep hostNetwork', () => {
  it('reports hostNetwork without a fix when a container runs as HostProcess; hostIPC keeps its fix', () => {
    const found = findingsOf(
      rule,
      yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: kube-proxy
        spec:
          hostNetwork: true
          hostIPC: true
          containers:
            - name: kube-proxy
              image: sigwindowstools/kube-proxy:v1.31.0
              securityContext:
                windowsOptions:
                  hostProcess: true
      `,
    );
    expect(found.map((f) => [f.line, f.message, f.fix?.title])).toEqual([
      [6, 'pod sets `hostNetwork: true`, which its Windows HostProcess containers require: remove `windowsOptions.hostProcess` first', undefined],
      [7, 'pod sets `hostIPC: true`', 'remove `hostIPC`'],
    ]);
  });

  it('offers the removal again once hostProcess is false', () => {
    const found = findingsOf(
      rule,
      yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: agent
        spec:
          hostNetwork: true
          securityContext:
            windowsOptions:
              hostProcess: false
          containers:
            - name: agent
              image: ghcr.io/acme/agent:1.0.0
      `,
    );
    expect(found.map((f) => [f.line, f.message, f.fix?.title])).toEqual([[6, 'pod sets `hostNetwork: true`', 'remove `hostNetwork`']]);
  });
});
