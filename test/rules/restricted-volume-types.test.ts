import rule from '../../src/rules/restricted-volume-types.js';
import { ruleTester, yaml } from './tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'allowed types, and a volume with no source (defaults to emptyDir)',
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
            - name: scratch
            - name: model
              image:
                reference: ghcr.io/acme/model:1
            - name: data
              persistentVolumeClaim:
                claimName: data
      `,
    },
  ],
  invalid: [
    {
      name: 'nfs has no automatic fix; hostPath has the volume removal',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: media
        spec:
          containers:
            - name: app
              image: nginx:1.27
              volumeMounts:
                - name: node
                  mountPath: /node
          volumes:
            - name: library
              nfs:
                server: nas.internal
                path: /exports
            - name: node
              hostPath:
                path: /srv
      `,
      errors: [
        { ruleId: 'restricted-volume-types', line: 14, column: 7, message: 'pod uses `nfs` volume `library`' },
        {
          ruleId: 'restricted-volume-types',
          line: 18,
          column: 7,
          message: 'pod uses `hostPath` volume `node` (`/srv`)',
          fix: {
            confidence: 'review',
            title: 'remove volume `node` and its mounts',
            check:
              'the data on the node path (`/srv`) is no longer available to the containers; use a PersistentVolumeClaim, a ConfigMap or an emptyDir instead',
            ops: [
              { op: 'remove', path: ['spec', 'volumes', 1] },
              { op: 'remove', path: ['spec', 'containers', 0, 'volumeMounts', 0] },
            ],
          },
        },
      ],
    },
    {
      name: 'an unknown volume source counts as forbidden',
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
            - name: data
              emptydir: {}
      `,
      errors: [{ ruleId: 'restricted-volume-types', line: 11, column: 7, message: 'pod uses `emptydir` volume `data`' }],
    },
  ],
});
