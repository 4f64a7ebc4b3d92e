import rule from '../../src/rules/host-path-volumes.js';
import { ruleTester, yaml } from './tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'emptyDir and configMap',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          containers:
            - name: app
              image: nginx:1.27
          volumes:
            - name: cache
              emptyDir: {}
            - name: config
              configMap:
                name: web
      `,
    },
  ],
  invalid: [
    {
      name: 'the fix removes the volume and every mount of it, highest index first',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: agent
        spec:
          initContainers:
            - name: setup
              image: busybox:1.36
              volumeMounts:
                - name: host-logs
                  mountPath: /logs
          containers:
            - name: agent
              image: ghcr.io/acme/agent:1.0.0
              volumeMounts:
                - name: host-logs
                  mountPath: /var/log/host
                - name: config
                  mountPath: /etc/agent
                - name: host-logs
                  mountPath: /var/log/again
          volumes:
            - name: config
              configMap:
                name: agent
            - name: host-logs
              hostPath:
                path: /var/log
      `,
      errors: [
        {
          ruleId: 'host-path-volumes',
          line: 27,
          column: 7,
          message: 'pod mounts hostPath volume `host-logs` (`/var/log`)',
          fix: {
            confidence: 'review',
            title: 'remove volume `host-logs` and its mounts',
            check:
              'the data on the node path (`/var/log`) is no longer available to the containers; use a PersistentVolumeClaim, a ConfigMap or an emptyDir instead',
            ops: [
              { op: 'remove', path: ['spec', 'volumes', 1] },
              { op: 'remove', path: ['spec', 'containers', 0, 'volumeMounts', 2] },
              { op: 'remove', path: ['spec', 'containers', 0, 'volumeMounts', 0] },
              { op: 'remove', path: ['spec', 'initContainers', 0, 'volumeMounts', 0] },
            ],
          },
        },
      ],
    },
  ],
});
