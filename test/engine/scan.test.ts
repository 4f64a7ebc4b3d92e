import { describe, expect, it } from 'vitest';
import { defineRule } from '../../src/core/rule.js';
import { scan } from '../../src/engine/scan.js';
import allowPrivilegeEscalation from '../../src/rules/allow-privilege-escalation.js';
import privilegedContainer from '../../src/rules/privileged-container.js';

const ruleset = [allowPrivilegeEscalation, privilegedContainer];
const lines = (...l: string[]) => `${l.join('\n')}\n`;
const rows = (fs: { ruleId: string; file: string; line: number; column: number }[]) => fs.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`);

describe('scan', () => {
  it('finds workloads in every document, at their own lines', () => {
    const text = lines(
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: c}',
      '---',
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata: {name: nightly}',
      'spec:',
      '  schedule: "0 3 * * *"',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      '          containers:',
      '          - name: job',
      '            image: busybox:1.36',
      '            securityContext: {privileged: true, allowPrivilegeEscalation: false}',
    );
    const out = scan([{ path: 'multi.yaml', content: text }], { ruleset });
    expect(rows(out.findings)).toEqual(['multi.yaml:17:31 privileged-container']);
    expect(out.resourcesScanned).toBe(1);
  });

  it('scans the items of a kind: List and *List wrappers', () => {
    const text = lines(
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata: {name: a}',
      '  spec:',
      '    containers:',
      '    - name: a',
      '      image: nginx',
      '      securityContext: {allowPrivilegeEscalation: false}',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata: {name: b}',
      '  spec:',
      '    containers:',
      '    - name: b',
      '      image: nginx',
    );
    const out = scan([{ path: 'list.yaml', content: text }], { ruleset });
    expect(rows(out.findings)).toEqual(['list.yaml:17:7 allow-privilege-escalation']);
    expect(out.findings[0]?.resource).toMatchObject({ kind: 'Pod', name: 'b', basePath: ['items', 1] });
    const podList = scan([{ path: 'pl.yaml', content: text.replace('kind: List', 'kind: PodList') }], { ruleset });
    expect(rows(podList.findings)).toEqual(['pl.yaml:17:7 allow-privilege-escalation']);
  });

  it('a patch listed by a kustomization reports fields it sets, never fields it merely lacks', () => {
    const kustomization = lines('resources:', '- ../../base', 'patches:', '- path: privileged.yaml', '- path: replicas.yaml');
    const privileged = lines(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: nginx:1.27',
      '        securityContext:',
      '          privileged: true',
    );
    const replicas = lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec:', '  replicas: 3');
    const out = scan(
      [
        { path: 'overlays/prod/kustomization.yaml', content: kustomization },
        { path: 'overlays/prod/privileged.yaml', content: privileged },
        { path: 'overlays/prod/replicas.yaml', content: replicas },
      ],
      { ruleset },
    );
    expect(rows(out.findings)).toEqual(['overlays/prod/privileged.yaml:11:11 privileged-container']);
    expect(out.notices.map((n) => `${n.kind} ${n.file}:${n.line}`)).toEqual(['partial overlays/prod/privileged.yaml:1']);
  });

  it('treats objects without apiVersion, or containers without image, as partial', () => {
    const noApi = lines(
      'kind: Deployment',
      'metadata: {name: w}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: w',
      '        image: x',
    );
    const noImage = lines(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: w}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: w',
      '        resources: {limits: {memory: 1Gi}}',
    );
    const out = scan(
      [
        { path: 'a.yaml', content: noApi },
        { path: 'b.yaml', content: noImage },
      ],
      { ruleset },
    );
    expect(out.findings).toEqual([]);
    expect(out.notices.map((n) => `${n.kind} ${n.file}`)).toEqual(['partial a.yaml', 'partial b.yaml']);
  });

  it('a Helm template is a notice, not a syntax error; {{ }} inside a plain string value still scans', () => {
    const helm = lines(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ include "x.fullname" . }}',
      '{{- with .Values.podAnnotations }}',
      'x: 1',
      '{{- end }}',
    );
    const quoted = lines(
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: "vttablet-{{uid}}"}',
      'spec:',
      '  containers:',
      '  - name: t',
      '    image: vitess/lite',
      '    securityContext: {privileged: true, allowPrivilegeEscalation: false}',
    );
    const out = scan(
      [
        { path: 'chart/templates/deployment.yaml', content: helm },
        { path: 'vitess/pod.yaml', content: quoted },
      ],
      { ruleset },
    );
    expect(rows(out.findings)).toEqual(['vitess/pod.yaml:8:23 privileged-container']);
    expect(out.notices.map((n) => `${n.kind} ${n.file}:${n.line}`)).toEqual(['template chart/templates/deployment.yaml:4']);
    expect(out.files.get('chart/templates/deployment.yaml')?.template).toBe(true);
  });

  it('Go templates in YAML that is no manifest are not a template notice: it is skipped like other YAML (QA: kube-state-metrics .goreleaser.yaml)', () => {
    const goreleaser = lines(
      'archives:',
      '  - name_template: >-',
      '      {{ .ProjectName }}_',
      '      {{- title .Os }}_',
      '      {{- if eq .Arch "amd64" }}x86_64',
      '      {{- else }}{{ .Arch }}{{ end }}',
    );
    // The same control flow in a manifest that happens to parse is still a template.
    const manifest = lines(
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: c',
      'data:',
      '  a: |',
      '    {{- if .Values.x }}',
      '    y',
      '    {{- end }}',
    );
    const out = scan(
      [
        { path: '.goreleaser.yaml', content: goreleaser },
        { path: 'deploy/cm.yaml', content: manifest },
      ],
      { ruleset },
    );
    expect(out.notices.map((n) => `${n.kind} ${n.file}:${n.line}`)).toEqual(['template deploy/cm.yaml:7']);
    expect(out.findings).toEqual([]);
    expect(out.files.get('.goreleaser.yaml')?.template).toBe(false);
  });

  it('a rule that throws is a notice naming it; other rules and files go on', () => {
    const broken = defineRule({
      id: 'broken-rule',
      meta: { ...privilegedContainer.meta, title: 'Broken' },
      check: () => {
        throw new Error('boom');
      },
    });
    const pod = lines(
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  containers:',
      '  - name: c',
      '    image: x',
      '    securityContext: {privileged: true}',
    );
    const out = scan([{ path: 'p.yaml', content: pod }], { ruleset: [broken, ...ruleset] });
    expect(rows(out.findings)).toEqual(['p.yaml:8:5 allow-privilege-escalation', 'p.yaml:8:23 privileged-container']);
    expect(out.notices).toEqual([{ kind: 'rule-error', file: 'p.yaml', line: 1, message: 'rule broken-rule failed on Pod/p: boom' }]);
  });

  it('sorts findings by file, line and column, and counts files and resources', () => {
    const pod = (n: string) => lines('apiVersion: v1', 'kind: Pod', `metadata: {name: ${n}}`, 'spec:', '  containers:', '  - name: c', '    image: x');
    const out = scan(
      [
        { path: 'z.yaml', content: pod('z') },
        { path: 'a.yaml', content: `${pod('a')}---\n${pod('b')}` },
      ],
      { ruleset },
    );
    expect(rows(out.findings)).toEqual([
      'a.yaml:6:5 allow-privilege-escalation',
      'a.yaml:14:5 allow-privilege-escalation',
      'z.yaml:6:5 allow-privilege-escalation',
    ]);
    expect([out.filesScanned, out.resourcesScanned]).toEqual([2, 3]);
  });

  it('keepParsed: false gives the same findings and notices, without holding each file’s parse', () => {
    const pod = lines(
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  containers:',
      '  - name: c',
      '    image: x',
      '    securityContext: {privileged: true}',
    );
    const files = [
      { path: 'p.yaml', content: pod },
      { path: 'chart/templates/x.yaml', content: 'a: {{ .Values.a }}\n' },
    ];
    const kept = scan(files, { ruleset });
    const light = scan(files, { ruleset, keepParsed: false });
    expect(rows(light.findings)).toEqual(['p.yaml:8:5 allow-privilege-escalation', 'p.yaml:8:23 privileged-container']);
    expect(light.findings).toEqual(kept.findings);
    expect(light.notices).toEqual(kept.notices);
    expect(kept.files.get('p.yaml')?.parsed?.docs.length).toBe(1);
    expect(light.files.get('p.yaml')).toEqual({ path: 'p.yaml', objects: [], template: false });
  });

  it('CRLF line endings and a byte order mark keep findings on the right line and column', () => {
    const pod = lines(
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      'spec:',
      '  containers:',
      '  - name: c',
      '    image: "tab\there"',
      '    securityContext:',
      '      privileged: true',
    );
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(pod.replace(/\n/g, '\r\n'))]);
    const out = scan([{ path: 'crlf.yaml', content: bytes }], { ruleset });
    expect(rows(out.findings)).toEqual(['crlf.yaml:9:5 allow-privilege-escalation', 'crlf.yaml:10:7 privileged-container']);
  });

  it('contextFiles: a kustomization read for context marks its patches, and is neither scanned nor counted', () => {
    const patch = lines(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: nginx:1.28',
    );
    const files = [{ path: 'prod/image.yaml', content: patch }];
    expect(rows(scan(files, { ruleset }).findings)).toEqual(['prod/image.yaml:8:9 allow-privilege-escalation']);
    const out = scan(files, { ruleset, contextFiles: [{ path: 'prod/kustomization.yaml', content: 'patches:\n- path: image.yaml\n' }] });
    expect(out.findings).toEqual([]);
    expect(out.filesScanned).toBe(1);
    expect([...out.files.keys()]).toEqual(['prod/image.yaml']);
  });
});
