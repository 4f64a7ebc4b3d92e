import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';

// Real-world shapes (trimmed): argo-cd's application controller, flux2's cluster reconciler binding, an external-dns
// that reads Secrets, a kube-state-metrics that lists everything, and an application with least privilege.
const ARGOCD = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: argocd-application-controller
  namespace: argocd
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: argocd-application-controller
rules:
  - apiGroups:
      - "*"
    resources:
      - "*"
    verbs:
      - "*"
  - nonResourceURLs:
      - "*"
    verbs:
      - "*"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: argocd-application-controller
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: argocd-application-controller
subjects:
  - kind: ServiceAccount
    name: argocd-application-controller
    namespace: argocd
`;

const FLUX = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: cluster-reconciler-flux-system
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: kustomize-controller
    namespace: flux-system
  - kind: ServiceAccount
    name: helm-controller
    namespace: flux-system
`;

const EXTERNAL_DNS = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: external-dns
rules:
  - apiGroups: [""]
    resources: ["services", "endpoints", "pods", "secrets"]
    verbs: ["get", "watch", "list"]
  - apiGroups: ["networking.k8s.io"]
    resources: ["ingresses"]
    verbs: ["get", "watch", "list"]
  - apiGroups: [""]
    resources: ["nodes"]
    verbs: ["list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: external-dns-viewer
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: external-dns
subjects:
  - kind: ServiceAccount
    name: external-dns
    namespace: external-dns
`;

const KUBE_STATE_METRICS = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kube-state-metrics
rules:
  - apiGroups: [""]
    resources:
      - configmaps
      - secrets
      - nodes
      - pods
      - services
      - serviceaccounts
      - resourcequotas
      - replicationcontrollers
      - limitranges
      - persistentvolumeclaims
      - persistentvolumes
      - namespaces
      - endpoints
    verbs: ["list", "watch"]
  - apiGroups: ["apps"]
    resources: ["statefulsets", "daemonsets", "deployments", "replicasets"]
    verbs: ["list", "watch"]
  - apiGroups: ["batch"]
    resources: ["cronjobs", "jobs"]
    verbs: ["list", "watch"]
  - apiGroups: ["certificates.k8s.io"]
    resources: ["certificatesigningrequests"]
    verbs: ["list", "watch"]
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterrolebindings", "clusterroles", "rolebindings", "roles"]
    verbs: ["list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: kube-state-metrics
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: kube-state-metrics
subjects:
  - kind: ServiceAccount
    name: kube-state-metrics
    namespace: monitoring
`;

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const APP = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: web-config
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    resourceNames: ["web-config"]
    verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: web-config
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: web-config
subjects:
  - kind: ServiceAccount
    name: web
    namespace: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: web
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2@${DIGEST}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 128Mi
`;

const FILES = [
  { path: 'argocd/install.yaml', content: ARGOCD },
  { path: 'flux-system/gotk-components.yaml', content: FLUX },
  { path: 'external-dns/rbac.yaml', content: EXTERNAL_DNS },
  { path: 'monitoring/kube-state-metrics.yaml', content: KUBE_STATE_METRICS },
  { path: 'shop/web.yaml', content: APP },
];

const rows = (fs: Finding[]) => fs.map((f) => ({ file: f.file, line: f.line, ruleId: f.ruleId, severity: f.severity }));

describe('real-world RBAC under the minpriv profile', () => {
  const out = scan(FILES, { profile: 'minpriv' });

  it('reports the powerful controllers once per problem; the least-privilege app gets nothing', () => {
    expect(rows(out.findings)).toEqual([
      { file: 'argocd/install.yaml', line: 15, ruleId: 'rbac-wildcard', severity: 'critical' },
      { file: 'argocd/install.yaml', line: 19, ruleId: 'rbac-wildcard', severity: 'critical' },
      { file: 'external-dns/rbac.yaml', line: 7, ruleId: 'rbac-secrets-read', severity: 'high' },
      { file: 'flux-system/gotk-components.yaml', line: 8, ruleId: 'rbac-powerful-binding', severity: 'critical' },
      { file: 'monitoring/kube-state-metrics.yaml', line: 9, ruleId: 'rbac-secrets-read', severity: 'high' },
    ]);
    expect(out.notices).toEqual([]);
    expect(out.findings.filter((f) => f.file === 'shop/web.yaml')).toEqual([]);
  });

  it('names the rule entry, what it grants and who holds it', () => {
    expect(out.findings.map((f) => f.message)).toEqual([
      '`rules[0]` grants every verb on every resource of every API group, cluster-scoped ones included: equivalent to `cluster-admin`; granted to ServiceAccount `argocd/argocd-application-controller` by ClusterRoleBinding `argocd-application-controller` (argocd/install.yaml)',
      '`rules[1]` grants every verb on every non-resource URL, as `cluster-admin` does; granted to ServiceAccount `argocd/argocd-application-controller` by ClusterRoleBinding `argocd-application-controller` (argocd/install.yaml)',
      '`rules[0]` lets its holders read every Secret in every namespace: `get`, `watch`, `list` on `secrets`; granted to ServiceAccount `external-dns/external-dns` by ClusterRoleBinding `external-dns-viewer` (external-dns/rbac.yaml)',
      'binds ClusterRole `cluster-admin` in every namespace to ServiceAccount `flux-system/kustomize-controller`, ServiceAccount `flux-system/helm-controller`, which grants every verb on every resource, like cluster-admin; `roleRef` cannot be changed in place: create a binding to a role with only what they need (a RoleBinding, if one namespace is enough), then delete this one',
      '`rules[0]` lets its holders read every Secret in every namespace: `list`, `watch` on `secrets`; granted to ServiceAccount `monitoring/kube-state-metrics` by ClusterRoleBinding `kube-state-metrics` (monitoring/kube-state-metrics.yaml)',
    ]);
  });

  it('offers only the honest fixes: none for wildcards or cluster-admin, a reviewed drop of `secrets`', () => {
    expect(out.findings.map((f) => f.fix && [f.fix.confidence, f.fix.title])).toEqual([
      undefined,
      undefined,
      ['review', 'drop `secrets` from `rules[0].resources`'],
      undefined,
      ['review', 'drop `secrets` from `rules[0].resources`'],
    ]);
    const file = out.files.get('external-dns/rbac.yaml');
    if (!file) throw new Error('not scanned');
    const { fixes, declined } = buildFixes(file, out.findings, { scan: { profile: 'minpriv' } });
    expect(declined).toEqual([]);
    expect(fixes.map((f) => [f.edit.startLine, f.edit.lines, f.checks])).toEqual([
      [
        7,
        ['    resources: ["services", "endpoints", "pods"]'],
        ['nothing bound to this role reads Secrets through the API (a pod that needs one can mount it); an operator that manages Secrets needs this'],
      ],
    ]);
  });

  it('the workload of a powerful ServiceAccount answers for it, with the path to the binding', () => {
    const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: sync
  namespace: flux-system
spec:
  template:
    spec:
      serviceAccountName: kustomize-controller
      restartPolicy: Never
      containers:
        - name: sync
          image: ghcr.io/acme/sync:1.0.0
`;
    const withJob = scan([...FILES, { path: 'flux-system/job.yaml', content: job }], { profile: 'minpriv' });
    const mine = withJob.findings.filter((f) => f.ruleId === 'rbac-workload-service-account');
    expect(mine.map((f) => [f.file, f.line, f.severity, f.message])).toEqual([
      [
        'flux-system/job.yaml',
        9,
        'critical',
        'runs as ServiceAccount `flux-system/kustomize-controller`, which ClusterRoleBinding `cluster-reconciler-flux-system` (flux-system/gotk-components.yaml) binds to ClusterRole `cluster-admin`: every verb on every resource, like cluster-admin',
      ],
    ]);
  });
});
