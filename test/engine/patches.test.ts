import { describe, expect, it } from 'vitest';
import type { Finding, Notice } from '../../src/core/types.js';
import { scan } from '../../src/engine/scan.js';

// QA #6: JSON6902 patches and inline kustomize patches are checked, or at least named (SOURCE: /tmp/qa/repro/p7,
// /tmp/qa/repo/apps/podinfo/overlays/staging/kustomization.yaml, infrastructure/flux/redis-helmrelease.yaml).
const ESCALATE = `- op: replace
  path: /spec/template/spec/containers/0/securityContext/runAsUser
  value: 0
- op: remove
  path: /spec/template/spec/containers/0/securityContext/runAsNonRoot
`;
const KUSTOMIZATION = `resources:
  - ../base
patches:
  - target: {kind: Deployment, name: web}
    path: escalate.yaml
  - target: {kind: Deployment, name: web}
    patch: |-
      - op: add
        path: /spec/template/spec/hostNetwork
        value: true
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
            - name: web
              securityContext:
                privileged: true
`;

const rows = (fs: Finding[]) => fs.map((f) => `${f.file}:${f.line}:${f.column}-${f.endLine} ${f.ruleId} ${f.message}${f.fix ? ' [fix]' : ''}`);
const notes = (ns: Notice[]) => ns.map((n) => `${n.file}:${n.line} ${n.kind}: ${n.message}`);

describe('JSON6902 and inline kustomize patches', () => {
  it('maps add/replace values to findings at their value (no fix), and names every patch in a notice (p7)', () => {
    const out = scan([
      { path: 'p7/escalate.yaml', content: ESCALATE },
      { path: 'p7/kustomization.yaml', content: KUSTOMIZATION },
    ]);
    expect(rows(out.findings)).toEqual([
      'p7/escalate.yaml:3:3-3 run-as-user-root container `containers[0]` sets `securityContext.runAsUser: 0`',
      'p7/kustomization.yaml:10:9-10 host-namespaces pod sets `hostNetwork: true`',
      'p7/kustomization.yaml:22:17-22 privileged-container container `web` sets `securityContext.privileged: true`',
    ]);
    expect(notes(out.notices)).toEqual([
      'p7/escalate.yaml:1 partial: JSON6902 patch: only the values of its `add`/`replace` ops are checked',
      'p7/kustomization.yaml:7 partial: JSON6902 patch: only the values of its `add`/`replace` ops are checked',
      'p7/kustomization.yaml:11 partial: inline patch: only the fields it sets are checked',
    ]);
    // Paths go through the patch string, so two inline patches never share a fingerprint.
    expect(out.findings.map((f) => f.path)).toEqual([
      [0, 'value'],
      ['patches', 1, 'patch', 0, 'value'],
      ['patches', 2, 'patch', 'spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'],
    ]);
  });

  it('patchesStrategicMerge and patchesJson6902 inline entries, with a value that is a whole mapping', () => {
    const text = `patchesStrategicMerge:
- |-
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: podinfo
  spec:
    template:
      spec:
        containers:
        - name: podinfod
          securityContext:
            runAsUser: 0
patchesJson6902:
- target: {kind: Deployment, name: podinfo}
  patch: |-
    - op: add
      path: /spec/template/spec/containers/0/securityContext
      value:
        allowPrivilegeEscalation: true
        capabilities:
          add: [NET_ADMIN]
`;
    const out = scan([{ path: 'staging/kustomization.yaml', content: text }]);
    expect(rows(out.findings)).toEqual([
      'staging/kustomization.yaml:13:13-13 run-as-user-root container `podinfod` sets `securityContext.runAsUser: 0`',
      'staging/kustomization.yaml:20:9-20 allow-privilege-escalation container `containers[0]` sets `securityContext.allowPrivilegeEscalation: true`',
      'staging/kustomization.yaml:22:17-22 capabilities-restricted container `containers[0]` adds capability `NET_ADMIN`; only `NET_BIND_SERVICE` may be added',
    ]);
    expect(out.findings.map((f) => f.severity)).toEqual(['high', 'medium', 'high']);
  });

  it('a folded or quoted patch string has no line map: its findings sit at its `patch` key, spanning the string', () => {
    const text =
      'patches:\n  - patch: >-\n      [{"op": "add", "path": "/spec/hostPID", "value": true}]\n  - patch: "[{op: add, path: /spec/hostIPC, value: true}]"\n';
    expect(rows(scan([{ path: 'k/kustomization.yaml', content: text }]).findings)).toEqual([
      'k/kustomization.yaml:2:5-3 host-namespaces pod sets `hostPID: true`',
      'k/kustomization.yaml:4:5-4 host-namespaces pod sets `hostIPC: true`',
    ]);
  });

  it('a suppression comment inside an inline patch works at its own line; a broken patch is a skipped notice', () => {
    const text = `patches:
  - patch: |-
      - op: add
        path: /spec/template/spec/hostNetwork
        value: true # minpriv:ignore host-namespaces -- ingress controller on the node network
  - patch: |-
      - op: [unclosed
`;
    const out = scan([{ path: 'kustomization.yaml', content: text }]);
    expect(out.findings).toEqual([]);
    expect(out.suppressed.map((f) => [f.ruleId, f.line, f.suppressed])).toEqual([
      ['host-namespaces', 5, { by: 'comment', reason: 'ingress controller on the node network' }],
    ]);
    expect(notes(out.notices)).toEqual([
      'kustomization.yaml:2 partial: JSON6902 patch: only the values of its `add`/`replace` ops are checked',
      expect.stringMatching(/^kustomization\.yaml:6 skipped: inline patch not checked: it does not parse \(/),
    ]);
  });

  it('ops that cannot be judged alone, unsafe pointers and huge indexes give the notice only', () => {
    const ops = `- op: remove
  path: /spec/template/spec/securityContext
- op: add
  path: /spec/template/spec/containers/5000/securityContext/privileged
  value: true
- op: add
  path: /spec/template/spec/__proto__/hostNetwork
  value: true
- op: add
  path: /metadata/labels/tier
  value: web
`;
    const out = scan([{ path: 'ops.yaml', content: ops }]);
    expect(out.findings).toEqual([]);
    expect(notes(out.notices)).toEqual(['ops.yaml:1 partial: JSON6902 patch: only the values of its `add`/`replace` ops are checked']);
  });
});

describe('Flux HelmRelease', () => {
  const release = (values: string) =>
    `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: redis\nspec:\n  chart:\n    spec: {chart: redis}\n  values:\n${values}`;

  it('values that set security fields get a notice (never a silent pass); plain values none', () => {
    const risky = scan([{ path: 'redis.yaml', content: release('    sysctl:\n      securityContext:\n        privileged: true\n') }]);
    expect(notes(risky.notices)).toEqual([
      'redis.yaml:1 skipped: HelmRelease values not checked: they set security fields; scan the rendered chart (helm template) instead',
    ]);
    expect(scan([{ path: 'redis.yaml', content: release('    architecture: standalone\n') }]).notices).toEqual([]);
  });
});

// QA D16 (repro/11): patches that Flux and Argo CD objects apply to what they deploy were never checked, and nothing said so.
describe('patches carried by GitOps objects', () => {
  const hostNetwork = (indent: string) => ['- op: add', '  path: /spec/template/spec/hostNetwork', '  value: true'].map((l) => `${indent}${l}`);
  const rows = (out: ReturnType<typeof scan>) => out.findings.map((f: Finding) => `${f.file}:${f.line} ${f.ruleId}`);

  it('a Flux Kustomization, a HelmRelease post-renderer and an Argo CD Application (and ApplicationSet) have their patches checked', () => {
    const flux = [
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata: {name: apps, namespace: flux-system}',
      'spec:',
      '  path: ./apps',
      '  sourceRef: {kind: GitRepository, name: flux-system}',
      '  patches:',
      '    - target: {kind: Deployment}',
      '      patch: |',
      ...hostNetwork('        '),
      '',
    ].join('\n');
    const release = [
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'metadata: {name: app, namespace: apps}',
      'spec:',
      '  chart: {spec: {chart: app}}',
      '  postRenderers:',
      '    - kustomize:',
      '        patches:',
      '          - patch: |',
      '              apiVersion: apps/v1',
      '              kind: Deployment',
      '              metadata: {name: any}',
      '              spec:',
      '                template:',
      '                  spec:',
      '                    containers:',
      '                    - name: app',
      '                      securityContext: {privileged: true}',
      '',
    ].join('\n');
    const app = (kind: 'Application' | 'ApplicationSet') =>
      [
        'apiVersion: argoproj.io/v1alpha1',
        `kind: ${kind}`,
        'metadata: {name: guestbook, namespace: argocd}',
        'spec:',
        ...(kind === 'ApplicationSet' ? ['  generators: []', '  template:', '    spec:'] : []),
        ...[
          '  sources:',
          '    - repoURL: https://example.com/repo',
          '      kustomize:',
          '        patches:',
          '          - target: {kind: Deployment}',
          '            patch: |-',
          ...hostNetwork('              '),
        ].map((l) => (kind === 'ApplicationSet' ? `    ${l}` : l)),
        '',
      ].join('\n');
    const out = scan([
      { path: 'clusters/apps.yaml', content: flux },
      { path: 'apps/release.yaml', content: release },
      { path: 'argo/app.yaml', content: app('Application') },
      { path: 'argo/appset.yaml', content: app('ApplicationSet') },
    ]);
    expect(rows(out)).toEqual([
      'apps/release.yaml:18 privileged-container',
      'argo/app.yaml:13 host-namespaces',
      'argo/appset.yaml:16 host-namespaces',
      'clusters/apps.yaml:12 host-namespaces',
    ]);
    expect(notes(out.notices)).toEqual([
      'clusters/apps.yaml:9 partial: JSON6902 patch: only the values of its `add`/`replace` ops are checked',
      'apps/release.yaml:9 partial: inline patch: only the fields it sets are checked',
      'argo/app.yaml:10 partial: JSON6902 patch: only the values of its `add`/`replace` ops are checked',
      'argo/appset.yaml:13 partial: JSON6902 patch: only the values of its `add`/`replace` ops are checked',
    ]);
  });

  it('a patch given as an object (legacy fields) and Argo CD Helm values that set security fields are named, never passed in silence', () => {
    const release = [
      'apiVersion: helm.toolkit.fluxcd.io/v2beta1',
      'kind: HelmRelease',
      'metadata: {name: app}',
      'spec:',
      '  postRenderers:',
      '    - kustomize:',
      '        patchesStrategicMerge:',
      '          - {apiVersion: apps/v1, kind: Deployment, metadata: {name: x}}',
      '',
    ].join('\n');
    const app = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'metadata: {name: guestbook}',
      'spec:',
      '  source:',
      '    helm:',
      '      parameters:',
      '        - {name: securityContext.privileged, value: "true"}',
      '',
    ].join('\n');
    const plain = app.replace('securityContext.privileged', 'replicaCount');
    const out = scan([
      { path: 'release.yaml', content: release },
      { path: 'app.yaml', content: app },
      { path: 'plain.yaml', content: plain },
    ]);
    expect(out.findings).toEqual([]);
    expect(notes(out.notices)).toEqual([
      'release.yaml:8 skipped: patch given as an object (a legacy field) not checked: write it as `patch: |`, or scan the rendered manifests',
      'app.yaml:1 skipped: Argo CD Helm values not checked: they set security fields; scan the rendered chart (helm template) instead',
    ]);
  });
});

// QA D13 (repro/8b): a patch that deletes the hardening its base sets was "only the fields it sets are checked", no finding.
describe('a patch that deletes security fields', () => {
  const patch = (pod: string[], container: string[]) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  template:',
      '    spec:',
      ...pod,
      '      containers:',
      '      - name: web',
      ...container,
      '',
    ].join('\n');
  const kustomization = 'resources:\n- ../base\npatches:\n- path: patch.yaml\n';
  const run = (text: string) =>
    scan([
      { path: 'overlay/kustomization.yaml', content: kustomization },
      { path: 'overlay/patch.yaml', content: text },
    ]);
  const found = (out: ReturnType<typeof scan>) => out.findings.map((f) => `${f.line} ${f.ruleId}${f.fix ? ' [fix]' : ''}`);

  it('`null` deletes: the fields are missing from the result, with a fix that sets them in the patch', () => {
    const out = run(patch(['      securityContext: null'], []));
    expect(found(out)).toEqual(['7 run-as-non-root [fix]', '7 seccomp-profile-required [fix]']);
  });

  it('`$patch: delete` deletes whatever it holds: findings, and no fix (a key beside the directive is deleted with it)', () => {
    const out = run(patch([], ['        securityContext:', '          $patch: delete', '          allowPrivilegeEscalation: false']));
    expect(found(out)).toEqual(['9 capabilities-restricted']);
  });

  it('`$patch: replace` keeps only what it repeats: the fields it leaves out are findings', () => {
    const out = run(patch([], ['        securityContext:', '          $patch: replace', '          allowPrivilegeEscalation: false']));
    expect(found(out)).toEqual(['9 capabilities-restricted [fix]']);
  });

  it('a patch that only sets other fields is still no finding', () => {
    expect(run(patch([], ['        resources: {limits: {memory: 1Gi}}'])).findings).toEqual([]);
  });
});
