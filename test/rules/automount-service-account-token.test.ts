import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import rule from '../../src/rules/automount-service-account-token.js';
import { ruleTester, yaml } from './tester.js';

const sa = (name: string, ns: string, extra = '') => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: ${ns}
${extra}---
`;

ruleTester(rule, {
  valid: [
    {
      name: 'ServiceAccount without a namespace (kustomize sets it) turns the token off',
      code: `${sa('web', 'shop', 'automountServiceAccountToken: false\n').replace('  namespace: shop\n', '')}${yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          namespace: shop
        spec:
          serviceAccountName: web
          containers:
            - name: app
              image: ghcr.io/acme/web:1.4.2
      `}`,
    },
    {
      name: 'ClusterRoleBinding names the ServiceAccount: the pod calls the API',
      code: `${yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: controller
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: controller }
        subjects:
          - { kind: ServiceAccount, name: controller, namespace: system }
      `}---
${yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: controller
          namespace: system
        spec:
          serviceAccountName: controller
          containers:
            - name: manager
              image: ghcr.io/acme/manager:1.0.0
      `}`,
    },
    {
      name: 'pod written without a namespace (kustomize sets it): a RoleBinding in any namespace naming its ServiceAccount counts',
      code: `${yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: controller
          namespace: system
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: controller }
        subjects:
          - { kind: ServiceAccount, name: controller }
      `}---
${yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: controller
        spec:
          serviceAccountName: controller
          containers:
            - name: manager
              image: ghcr.io/acme/manager:1.0.0
      `}`,
    },
    {
      name: 'ClusterRoleBinding subject without a namespace names the ServiceAccount of any namespace',
      code: `${yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: controller
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: controller }
        subjects:
          - { kind: ServiceAccount, name: controller }
      `}---
${yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: controller
          namespace: shop
        spec:
          serviceAccountName: controller
          containers:
            - name: manager
              image: ghcr.io/acme/manager:1.0.0
      `}`,
    },
  ],
  invalid: [
    {
      name: 'same-named ServiceAccount in another namespace does not count, nor a binding there',
      code: `${sa('web', 'staging', 'automountServiceAccountToken: false\n')}${yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: web
          namespace: staging
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: web }
        subjects:
          - { kind: ServiceAccount, name: web }
      `}---
${yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          namespace: prod
        spec:
          serviceAccountName: web
          containers:
            - name: app
              image: ghcr.io/acme/web:1.4.2
      `}`,
      errors: [
        {
          ruleId: 'automount-service-account-token',
          line: 22,
          column: 1,
          message:
            'pod does not set `automountServiceAccountToken: false` and its ServiceAccount `web` is not in the scan, so every container gets an API token',
          fix: {
            confidence: 'review',
            title: 'set `automountServiceAccountToken: false`',
            check: 'a workload that talks to the Kubernetes API (controllers, operators) needs the token',
            ops: [{ op: 'set', path: ['spec', 'automountServiceAccountToken'], value: false }],
          },
        },
      ],
    },
  ],
});

describe('automount-service-account-token on patches', () => {
  it('a strategic-merge patch that does not mention the field is not reported', () => {
    const files = [
      { path: 'kustomization.yaml', content: 'resources: [base.yaml]\npatches:\n  - path: patch.yaml\n' },
      {
        path: 'patch.yaml',
        content:
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/web:1.4.3\n',
      },
    ];
    expect(scan(files, { ruleset: [rule] }).findings).toEqual([]);
  });
});
