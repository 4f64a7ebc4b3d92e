import rule from '../../src/rules/probe-host.js';
import { ruleTester, yaml } from './tester.js';

const HOSTS = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: web
  spec:
    initContainers:
      - name: sidecar
        image: envoyproxy/envoy:v1.30.2
        restartPolicy: Always
        readinessProbe:
          tcpSocket:
            host: 10.0.0.1
            port: 9901
    containers:
      - name: app
        image: nginx:1.27
        livenessProbe:
          httpGet:
            host: 169.254.169.254
            port: 80
        lifecycle:
          postStart:
            httpGet:
              host: ""
              port: 80
          preStop:
            tcpSocket:
              host: localhost
              port: 80
`;

ruleTester(rule, {
  valid: [
    { name: 'the control starts at 1.34', code: HOSTS, version: '1.33' },
    {
      name: 'probes without host',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          containers:
            - name: app
              image: nginx:1.27
              startupProbe:
                httpGet:
                  path: /ready
                  port: 80
      `,
    },
  ],
  invalid: [
    {
      name: 'one finding per host field, empty host allowed',
      code: HOSTS,
      errors: [
        {
          ruleId: 'probe-host',
          line: 12,
          column: 11,
          message: 'init container `sidecar` sets `readinessProbe.tcpSocket.host: "10.0.0.1"`',
          fix: {
            confidence: 'review',
            title: 'remove `readinessProbe.tcpSocket.host`',
            check:
              'the readinessProbe then targets the pod IP instead of "10.0.0.1"; an application that routes by host name needs an `httpHeaders` Host entry',
            ops: [{ op: 'remove', path: ['spec', 'initContainers', 0, 'readinessProbe', 'tcpSocket', 'host'] }],
          },
        },
        { ruleId: 'probe-host', line: 19, column: 11, message: 'container `app` sets `livenessProbe.httpGet.host: "169.254.169.254"`' },
        { ruleId: 'probe-host', line: 28, column: 13, message: 'container `app` sets `lifecycle.preStop.tcpSocket.host: localhost`' },
      ],
    },
  ],
});
