import rule from '../../src/rules/host-process.js';
import { ruleTester, yaml } from './tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'hostProcess false, other windowsOptions',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: iis
        spec:
          os:
            name: windows
          securityContext:
            windowsOptions:
              runAsUserName: ContainerUser
          containers:
            - name: iis
              image: iis:2022
              securityContext:
                windowsOptions:
                  hostProcess: false
      `,
    },
  ],
  invalid: [
    {
      name: 'pod level and container level',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: agent
        spec:
          hostNetwork: true
          securityContext:
            windowsOptions:
              hostProcess: true
          containers:
            - name: agent
              image: agent:1.0
              securityContext:
                windowsOptions:
                  hostProcess: true
      `,
      errors: [
        {
          ruleId: 'host-process',
          line: 9,
          column: 7,
          message: 'pod sets `securityContext.windowsOptions.hostProcess: true`',
          fix: {
            confidence: 'review',
            title: 'remove `windowsOptions.hostProcess`',
            check:
              'a Windows HostProcess workload (node agent, CNI, storage driver) cannot run without it; it then needs a namespace that allows privileged pods',
            // One fix for every setting of the pod: a partial removal would mix HostProcess and normal containers.
            ops: [
              { op: 'remove', path: ['spec', 'securityContext', 'windowsOptions', 'hostProcess'] },
              { op: 'remove', path: ['spec', 'containers', 0, 'securityContext', 'windowsOptions', 'hostProcess'] },
            ],
          },
        },
        { ruleId: 'host-process', line: 15, column: 11, message: 'container `agent` sets `securityContext.windowsOptions.hostProcess: true`' },
      ],
    },
  ],
});
