import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../src/core/types.js';
import { hasRiskyAddition, type PermissionRow, permissionDiffOf } from '../../src/rbac/diff.js';

const files = (m: Record<string, string>): SourceFile[] => Object.entries(m).map(([path, content]) => ({ path, content }));
const withFiles = (base: Record<string, string>, extra: Record<string, string>): Record<string, string> => ({ ...base, ...extra });
/** A row in one line: risks | scope | groups | resources | verbs | the role that writes the rule. */
const brief = (r: PermissionRow): string =>
  [r.risky.join(',') || '-', r.namespace ?? 'cluster', r.apiGroups.join(','), r.resources.join(','), r.verbs.join(','), r.grantedBy.at(-1)?.name].join(' | ');

const RB_CI_EDIT = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ci-edit
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - kind: ServiceAccount
    name: ci
`;
const DEPLOY_RUNNER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: runner
  namespace: shop
spec:
  template:
    spec:
      serviceAccountName: ci
      containers:
        - name: app
          image: example/runner:1
`;

describe('permissionDiffOf', () => {
  it('a new RoleBinding to the built-in edit adds exactly what edit grants, in its namespace: secrets, exec, impersonation first', () => {
    const base = { 'apps/runner.yaml': DEPLOY_RUNNER };
    const diff = permissionDiffOf(files(base), files(withFiles(base, { 'rbac/ci.yaml': RB_CI_EDIT })));
    expect(diff.notes).toEqual([]);
    expect(diff.subjects).toHaveLength(1);
    const [ci] = diff.subjects;
    expect(ci?.subject).toEqual({ kind: 'ServiceAccount', name: 'ci', namespace: 'shop' });
    expect(ci?.workloads).toEqual([{ kind: 'Deployment', namespace: 'shop', name: 'runner', file: 'apps/runner.yaml' }]);
    expect(ci?.removed).toEqual([]);
    // system:aggregate-to-edit and (through view) system:aggregate-to-view of the bootstrap catalogue, nothing else.
    expect(ci?.added.map(brief)).toEqual([
      'create-pods | shop |  | pods,replicationcontrollers | create,update,patch,delete,deletecollection | system:aggregate-to-edit',
      'pod-exec | shop |  | pods/attach,pods/exec,pods/portforward | get,list,watch,create,update,patch,delete,deletecollection | system:aggregate-to-edit',
      'secrets-read | shop |  | secrets | get,list,watch,create,update,patch,delete,deletecollection | system:aggregate-to-edit',
      'impersonate | shop |  | serviceaccounts | create,update,patch,delete,deletecollection,impersonate | system:aggregate-to-edit',
      'sa-token-create | shop |  | serviceaccounts/token | create | system:aggregate-to-edit',
      'create-pods | shop | apps | daemonsets,deployments,replicasets,statefulsets | create,update,patch,delete,deletecollection | system:aggregate-to-edit',
      'create-pods | shop | batch | cronjobs,jobs | create,update,patch,delete,deletecollection | system:aggregate-to-edit',
      '- | shop |  | bindings,configmaps,endpoints,events,limitranges,namespaces,namespaces/status,persistentvolumeclaims,persistentvolumeclaims/status,pods,pods/log,pods/status,replicationcontrollers,replicationcontrollers/scale,replicationcontrollers/status,resourcequotas,resourcequotas/status,serviceaccounts,services,services/status | get,list,watch | system:aggregate-to-view',
      '- | shop |  | configmaps,events,persistentvolumeclaims,replicationcontrollers/scale,services | create,update,patch,delete,deletecollection | system:aggregate-to-edit',
      '- | shop |  | pods/eviction | create | system:aggregate-to-edit',
      '- | shop |  | pods/proxy,services/proxy | get,list,watch,create,update,patch,delete,deletecollection | system:aggregate-to-edit',
      '- | shop | apps | controllerrevisions,daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,replicasets,replicasets/scale,replicasets/status,statefulsets,statefulsets/scale,statefulsets/status | get,list,watch | system:aggregate-to-view',
      '- | shop | apps | deployments/rollback,deployments/scale,replicasets/scale,statefulsets/scale | create,update,patch,delete,deletecollection | system:aggregate-to-edit',
      '- | shop | autoscaling | horizontalpodautoscalers | create,update,patch,delete,deletecollection | system:aggregate-to-edit',
      '- | shop | autoscaling | horizontalpodautoscalers,horizontalpodautoscalers/status | get,list,watch | system:aggregate-to-view',
      '- | shop | batch | cronjobs,cronjobs/status,jobs,jobs/status | get,list,watch | system:aggregate-to-view',
      '- | shop | coordination.k8s.io | leases | get,list,watch,create,update,patch,delete,deletecollection | system:aggregate-to-edit',
      '- | shop | discovery.k8s.io | endpointslices | get,list,watch | system:aggregate-to-view',
      '- | shop | extensions | daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,ingresses,ingresses/status,networkpolicies,replicasets,replicasets/scale,replicasets/status,replicationcontrollers/scale | get,list,watch | system:aggregate-to-view',
      '- | shop | extensions | daemonsets,deployments,deployments/rollback,deployments/scale,ingresses,networkpolicies,replicasets,replicasets/scale,replicationcontrollers/scale | create,update,patch,delete,deletecollection | system:aggregate-to-edit',
      '- | shop | networking.k8s.io | ingresses,ingresses/status,networkpolicies | get,list,watch | system:aggregate-to-view',
      '- | shop | networking.k8s.io | ingresses,networkpolicies | create,update,patch,delete,deletecollection | system:aggregate-to-edit',
      '- | shop | policy | poddisruptionbudgets | create,update,patch,delete,deletecollection | system:aggregate-to-edit',
      '- | shop | policy | poddisruptionbudgets,poddisruptionbudgets/status | get,list,watch | system:aggregate-to-view',
    ]);
    expect(ci?.added[2]).toEqual({
      scope: 'namespace',
      namespace: 'shop',
      apiGroups: [''],
      resources: ['secrets'],
      verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
      resourceNames: [],
      nonResourceURLs: [],
      grantedBy: [
        { file: 'rbac/ci.yaml', line: 1, kind: 'RoleBinding', name: 'ci-edit' },
        { file: null, line: null, kind: 'ClusterRole', name: 'edit' },
        { file: null, line: null, kind: 'ClusterRole', name: 'system:aggregate-to-edit' },
      ],
      risky: ['secrets-read'],
    });
    expect(hasRiskyAddition(diff)).toBe(true);
  });

  it('a ClusterRole widened under an unchanged ClusterRoleBinding: the new rule, cluster-wide, with the workloads of the ServiceAccount', () => {
    const crb = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: robot-reader
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: reader
subjects:
  - kind: ServiceAccount
    name: robot
    namespace: ops
`;
    const robot = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: ops
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: robot
          containers:
            - name: job
              image: example/robot:1
`;
    const reader = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules:
  - apiGroups: [""]
    resources: [pods]
    verbs: [get, list]
`;
    const widened = `${reader}  - apiGroups: [""]
    resources: [pods, secrets]
    verbs: [get, list, watch]
`;
    const base = { 'rbac/crb.yaml': crb, 'apps/nightly.yaml': robot };
    const diff = permissionDiffOf(files({ ...base, 'rbac/reader.yaml': reader }), files({ ...base, 'rbac/reader.yaml': widened }));
    expect(diff).toEqual({
      subjects: [
        {
          subject: { kind: 'ServiceAccount', name: 'robot', namespace: 'ops' },
          added: [
            {
              scope: 'cluster',
              apiGroups: [''],
              resources: ['secrets'],
              verbs: ['get', 'list', 'watch'],
              resourceNames: [],
              nonResourceURLs: [],
              grantedBy: [
                { file: 'rbac/crb.yaml', line: 1, kind: 'ClusterRoleBinding', name: 'robot-reader' },
                { file: 'rbac/reader.yaml', line: 9, kind: 'ClusterRole', name: 'reader' },
              ],
              risky: ['secrets-read'],
            },
            {
              scope: 'cluster',
              apiGroups: [''],
              resources: ['pods'],
              verbs: ['watch'],
              resourceNames: [],
              nonResourceURLs: [],
              grantedBy: [
                { file: 'rbac/crb.yaml', line: 1, kind: 'ClusterRoleBinding', name: 'robot-reader' },
                { file: 'rbac/reader.yaml', line: 9, kind: 'ClusterRole', name: 'reader' },
              ],
              risky: [],
            },
          ],
          removed: [],
          workloads: [{ kind: 'CronJob', namespace: 'ops', name: 'nightly', file: 'apps/nightly.yaml' }],
        },
      ],
      notes: [],
    });
  });

  it('an aggregated ClusterRole that gains a label widens the holders of the aggregating role, and of view, edit and admin', () => {
    const monitoring = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring
aggregationRule:
  clusterRoleSelectors:
    - matchLabels:
        example.com/aggregate-to-monitoring: "true"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: sre-monitoring
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: monitoring}
subjects: [{kind: Group, name: sre}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: alice-edit, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: User, name: alice}]
`;
    const widgets = (labels: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: widget-reader
  labels: ${labels}
rules:
  - apiGroups: [example.com]
    resources: [widgets]
    verbs: [get]
`;
    const before = files({ 'rbac/monitoring.yaml': monitoring, 'rbac/widgets.yaml': widgets('{}') });
    const after = files({
      'rbac/monitoring.yaml': monitoring,
      'rbac/widgets.yaml': widgets('{example.com/aggregate-to-monitoring: "true", rbac.authorization.k8s.io/aggregate-to-view: "true"}'),
    });
    const row = (scope: Partial<PermissionRow>, grantedBy: PermissionRow['grantedBy']): PermissionRow => ({
      scope: 'cluster',
      ...scope,
      apiGroups: ['example.com'],
      resources: ['widgets'],
      verbs: ['get'],
      resourceNames: [],
      nonResourceURLs: [],
      grantedBy,
      risky: [],
    });
    const widgetRule = { file: 'rbac/widgets.yaml', line: 7, kind: 'ClusterRole', name: 'widget-reader' };
    expect(permissionDiffOf(before, after).subjects).toEqual([
      {
        subject: { kind: 'User', name: 'alice' },
        added: [
          row({ scope: 'namespace', namespace: 'shop' }, [
            { file: 'rbac/monitoring.yaml', line: 17, kind: 'RoleBinding', name: 'alice-edit' },
            { file: null, line: null, kind: 'ClusterRole', name: 'edit' },
            widgetRule,
          ]),
        ],
        removed: [],
        workloads: [],
      },
      {
        subject: { kind: 'Group', name: 'sre' },
        added: [
          row({}, [
            { file: 'rbac/monitoring.yaml', line: 10, kind: 'ClusterRoleBinding', name: 'sre-monitoring' },
            { file: 'rbac/monitoring.yaml', line: 1, kind: 'ClusterRole', name: 'monitoring' },
            widgetRule,
          ]),
        ],
        removed: [],
        workloads: [],
      },
    ]);
  });

  it('a subject that loses a binding has removed rows only', () => {
    const roles = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: shop}
rules: [{apiGroups: [""], resources: [pods, pods/log], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: bob-pods, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects: [{kind: User, name: bob}]
`;
    const config = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: bob-view, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: bob}]
`;
    const diff = permissionDiffOf(files({ 'rbac/bob.yaml': roles, 'rbac/view.yaml': config }), files({ 'rbac/view.yaml': config }));
    // view still grants get and list on pods and pods/log in shop: nothing is lost there.
    expect(diff.subjects).toEqual([]);
    const gone = permissionDiffOf(files({ 'rbac/bob.yaml': roles, 'rbac/view.yaml': config }), files({ 'rbac/bob.yaml': roles }));
    expect(gone.subjects).toHaveLength(1);
    expect(gone.subjects[0]?.added).toEqual([]);
    expect(gone.subjects[0]?.subject).toEqual({ kind: 'User', name: 'bob' });
    // What view granted in shop, except get and list on pods and pods/log, which pod-reader still grants.
    expect(gone.subjects[0]?.removed.map(brief)).toEqual([
      '- | shop |  | bindings,configmaps,endpoints,events,limitranges,namespaces,namespaces/status,persistentvolumeclaims,persistentvolumeclaims/status,pods/status,replicationcontrollers,replicationcontrollers/scale,replicationcontrollers/status,resourcequotas,resourcequotas/status,serviceaccounts,services,services/status | get,list,watch | system:aggregate-to-view',
      '- | shop |  | pods,pods/log | watch | system:aggregate-to-view',
      '- | shop | apps | controllerrevisions,daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,replicasets,replicasets/scale,replicasets/status,statefulsets,statefulsets/scale,statefulsets/status | get,list,watch | system:aggregate-to-view',
      '- | shop | autoscaling | horizontalpodautoscalers,horizontalpodautoscalers/status | get,list,watch | system:aggregate-to-view',
      '- | shop | batch | cronjobs,cronjobs/status,jobs,jobs/status | get,list,watch | system:aggregate-to-view',
      '- | shop | discovery.k8s.io | endpointslices | get,list,watch | system:aggregate-to-view',
      '- | shop | extensions | daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,ingresses,ingresses/status,networkpolicies,replicasets,replicasets/scale,replicasets/status,replicationcontrollers/scale | get,list,watch | system:aggregate-to-view',
      '- | shop | networking.k8s.io | ingresses,ingresses/status,networkpolicies | get,list,watch | system:aggregate-to-view',
      '- | shop | policy | poddisruptionbudgets,poddisruptionbudgets/status | get,list,watch | system:aggregate-to-view',
    ]);
    expect(gone.subjects[0]?.removed.flatMap((r) => r.grantedBy.slice(0, 1))).toEqual(
      gone.subjects[0]?.removed.map(() => ({ file: 'rbac/view.yaml', line: 1, kind: 'RoleBinding', name: 'bob-view' })),
    );
    expect(hasRiskyAddition(gone)).toBe(false);
  });

  it('ServiceAccount subjects: the RoleBinding namespace, `default` for a binding without one, nobody for a ClusterRoleBinding without one', () => {
    const head = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: builder}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: builder}
subjects: [{kind: ServiceAccount, name: builder}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: builder}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: lost}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: nowhere}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployer, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cm-reader}
subjects: [{kind: ServiceAccount, name: deployer}, {kind: User, name: "system:serviceaccount:shop:auditor"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cm-reader}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
`;
    const diff = permissionDiffOf([], files({ 'rbac/builder.yaml': head }));
    expect(diff.subjects.map((s) => [s.subject, s.added.map(brief)])).toEqual([
      [{ kind: 'ServiceAccount', name: 'builder', namespace: 'default' }, ['- | default |  | configmaps | create | builder']],
      // A User named like a ServiceAccount is that ServiceAccount.
      [{ kind: 'ServiceAccount', name: 'auditor', namespace: 'shop' }, ['- | shop |  | configmaps | get | cm-reader']],
      [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'shop' }, ['- | shop |  | configmaps | get | cm-reader']],
    ]);
    expect(diff.notes).toEqual([]);
  });

  it('a rename (file, role and binding) grants nothing new: empty diff', () => {
    const yaml = (role: string, binding: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ${role}, namespace: shop}
rules:
  - apiGroups: [""]
    resources: [secrets]
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${binding}, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ${role}}
subjects: [{kind: ServiceAccount, name: app}]
`;
    const diff = permissionDiffOf(
      files({ 'rbac/old.yaml': yaml('secret-getter', 'app-secrets') }),
      files({ 'rbac/new.yaml': yaml('app-secret-reader', 'app-reads-secrets') }),
    );
    expect(diff).toEqual({ subjects: [], notes: [] });
    expect(hasRiskyAddition(diff)).toBe(false);
  });

  it('a cluster-wide grant at base covers the same grant in a namespace at head; the reverse adds it cluster-wide', () => {
    const bind = (kind: 'RoleBinding' | 'ClusterRoleBinding') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: {name: carol-view${kind === 'RoleBinding' ? ', namespace: shop' : ''}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: carol}]
`;
    const cluster = files({ 'a.yaml': bind('ClusterRoleBinding') });
    const both = files({ 'a.yaml': bind('ClusterRoleBinding'), 'b.yaml': bind('RoleBinding') });
    expect(permissionDiffOf(cluster, both).subjects).toEqual([]);
    const widened = permissionDiffOf(files({ 'b.yaml': bind('RoleBinding') }), cluster);
    expect(widened.subjects).toHaveLength(1);
    expect(widened.subjects[0]?.removed).toEqual([]);
    expect(new Set(widened.subjects[0]?.added.map((r) => r.scope))).toEqual(new Set(['cluster']));
  });

  it('grants to a group are listed under the group, with the workloads of its ServiceAccounts; a member gaining them itself adds nothing', () => {
    const group = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: all-sa-exec, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: exec}
subjects: [{kind: Group, name: "system:serviceaccounts:shop"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: exec, namespace: shop}
rules: [{apiGroups: [""], resources: [pods/exec], verbs: [create]}]
`;
    const own = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci-exec, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: exec}
subjects: [{kind: ServiceAccount, name: ci}]
`;
    const base = { 'apps/runner.yaml': DEPLOY_RUNNER };
    const diff = permissionDiffOf(files(base), files({ ...base, 'rbac/group.yaml': group }));
    expect(diff.subjects.map((s) => [s.subject, s.added.map(brief), s.workloads.map((w) => w.name)])).toEqual([
      [{ kind: 'Group', name: 'system:serviceaccounts:shop' }, ['pod-exec | shop |  | pods/exec | create | exec'], ['runner']],
    ]);
    expect(permissionDiffOf(files({ ...base, 'rbac/group.yaml': group }), files({ ...base, 'rbac/group.yaml': group, 'rbac/own.yaml': own })).subjects).toEqual(
      [],
    );
  });

  it('non-resource URLs granted by a RoleBinding grant nothing; by a ClusterRoleBinding they do', () => {
    const yaml = (kind: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics}
rules: [{nonResourceURLs: [/metrics], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: {name: scraper, namespace: mon}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics}
subjects: [{kind: ServiceAccount, name: prometheus, namespace: mon}]
`;
    expect(permissionDiffOf([], files({ 'm.yaml': yaml('RoleBinding') })).subjects).toEqual([]);
    expect(permissionDiffOf([], files({ 'm.yaml': yaml('ClusterRoleBinding') })).subjects.map((s) => s.added.map((r) => r.nonResourceURLs))).toEqual([
      [['/metrics']],
    ]);
  });

  it('a binding to a role that exists nowhere grants nothing and is noted', () => {
    const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ghost, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: not-there}
subjects: [{kind: User, name: dave}]
`;
    expect(permissionDiffOf([], files({ 'g.yaml': yaml }))).toEqual({
      subjects: [],
      notes: [
        'head: 1 binding(s) refer to a role that is neither in the repository nor built in, and grant nothing here: RoleBinding shop/ghost → Role not-there (g.yaml:1)',
      ],
    });
  });
});
