import { describe, expect, it } from 'vitest';
import { rbacInputsOf } from '../../src/rbac/objects.js';

const file = (path: string, content: string) => ({ path, content });

describe('rbacInputsOf', () => {
  it('reads RBAC objects with file, line and the line of each rule; List items too', () => {
    const inputs = rbacInputsOf([
      file(
        'rbac/roles.yaml',
        `# roles
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: shop
rules:
  - apiGroups: [""]
    resources: [pods]
    verbs: [get]
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get]
---
apiVersion: v1
kind: List
items:
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata: {name: crb}
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
    subjects: [{kind: Group, name: devs}]
  - apiVersion: v1
    kind: ServiceAccount
    metadata: {name: app}
`,
      ),
    ]);
    expect(inputs.objects.map((o) => [o.kind, o.namespace, o.name, o.ref])).toEqual([
      ['Role', 'shop', 'reader', { file: 'rbac/roles.yaml', line: 2, kind: 'Role', name: 'reader', ruleLines: [8, 11] }],
      ['ClusterRoleBinding', undefined, 'crb', { file: 'rbac/roles.yaml', line: 18, kind: 'ClusterRoleBinding', name: 'crb' }],
      ['ServiceAccount', 'default', 'app', { file: 'rbac/roles.yaml', line: 23, kind: 'ServiceAccount', name: 'app' }],
    ]);
    expect(inputs.notes).toEqual([]);
  });

  it('leaves out other API groups, kustomize patches and PodTemplates; notes templates and objects defined twice', () => {
    const role = (ns: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: ${ns}}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
`;
    const inputs = rbacInputsOf([
      file('crd.yaml', 'apiVersion: iam.example.com/v1\nkind: Role\nmetadata: {name: not-rbac}\n'),
      file('overlay/kustomization.yaml', 'resources: [../base]\npatches: [{path: patch.yaml}]\n'),
      file('overlay/patch.yaml', role('shop')),
      file('a/role.yaml', role('shop')),
      file('b/role.yaml', role('shop')),
      file('chart/templates/rb.yaml', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: {{ .Release.Name }}\n'),
      file('tpl.yaml', 'apiVersion: v1\nkind: PodTemplate\nmetadata: {name: t}\ntemplate:\n  spec:\n    containers: [{name: a, image: b}]\n'),
    ]);
    expect(inputs.objects.map((o) => o.ref?.file)).toEqual(['a/role.yaml']);
    expect(inputs.workloads).toEqual([]);
    expect(inputs.notes).toEqual([
      '1 YAML file(s) not read for RBAC (templates or YAML errors): chart/templates/rb.yaml:4',
      '1 object(s) defined more than once; the first by path counts: Role shop/r (b/role.yaml; a/role.yaml counts)',
    ]);
  });

  it('workloads: their ServiceAccount (default `default`, the deprecated `serviceAccount` too) and namespace (default `default`)', () => {
    const inputs = rbacInputsOf([
      file(
        'apps.yaml',
        `apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  containers: [{name: a, image: b}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec:
  template:
    spec:
      serviceAccount: db-sa
      containers: [{name: a, image: b}]
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: web
      containers: [{name: a, image: b}]
`,
      ),
    ]);
    expect(inputs.workloads).toEqual([
      { kind: 'Pod', namespace: 'default', name: 'plain', file: 'apps.yaml', line: 1, serviceAccount: 'default' },
      { kind: 'StatefulSet', namespace: 'data', name: 'db', file: 'apps.yaml', line: 7, serviceAccount: 'db-sa' },
      { kind: 'Rollout', namespace: 'shop', name: 'web', file: 'apps.yaml', line: 16, serviceAccount: 'web' },
    ]);
  });
});
