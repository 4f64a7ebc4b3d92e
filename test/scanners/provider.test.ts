import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { DEFAULT_CONFIG, parseConfig } from '../../src/engine/config.js';
import { check } from '../../src/review/check.js';
import { planReview } from '../../src/review/plan.js';
import { enableScanners, providersFromConfig, scannerFlags, scannersProvider } from '../../src/scanners/provider.js';
import { type FakeTools, fakeTools, printSample, SAMPLES } from './fake-tool.js';

const CHART = 'charts/testchart/templates/deployment.yaml';
const rendered = readFileSync(path.join(SAMPLES, 'trivy/testchart-deployment.rendered.yaml'), 'utf8');
const TRIVY_ARGV = [
  'config',
  '--format',
  'json',
  '--quiet',
  '--skip-check-update',
  '--skip-version-check',
  '--disable-telemetry',
  '--misconfig-scanners',
  'kubernetes',
  '.',
];

let tools: FakeTools;
beforeAll(() => {
  tools = fakeTools();
});
afterAll(() => tools.remove());

const rows = (fs: readonly Finding[]) => fs.map((f) => [f.ruleId, f.line, f.endLine, f.severity, f.sources, f.alsoReportedBy]);
const trivyOnly = (opts: { timeoutMs?: number } = {}) =>
  scannersProvider([{ tool: 'trivy', timeoutMs: opts.timeoutMs ?? 10_000 }], { env: { PATH: tools.path } });

describe('scannersProvider', () => {
  it('runs Trivy offline on the complete manifests only, enriches the findings it agrees with and adds the rest', async () => {
    tools.add('trivy', printSample('trivy/helm_testchart.json.golden'));
    const files = [
      { path: CHART, content: rendered },
      { path: 'charts/testchart/values.yaml', content: 'replicaCount: 1\n' },
      { path: 'charts/testchart/templates/service.yaml', content: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n' },
      { path: 'k8s/patch.yaml', content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n' },
    ];
    const out = await check(files, { profile: 'pss-restricted' }, [trivyOnly()]);

    expect(tools.logged('trivy')).toEqual({ argv: TRIVY_ARGV, files: [CHART] });
    expect(rows(out.findings)).toEqual([
      [
        'seccomp-profile-required',
        25,
        26,
        'medium',
        ['minpriv', 'trivy'],
        [
          { tool: 'trivy', id: 'KSV-0030' },
          { tool: 'trivy', id: 'KSV-0104' },
        ],
      ],
      ['allow-privilege-escalation', 29, 36, 'medium', ['minpriv', 'trivy'], [{ tool: 'trivy', id: 'KSV-0001' }]],
      // KSV-0117 has no line: it is placed on the Deployment it names, in minpriv's parse.
      ['trivy/KSV-0117', 2, 57, 'medium', ['trivy'], undefined],
      ['trivy/KSV-0110', 4, 11, 'low', ['trivy'], undefined],
      ['trivy/KSV-0118', 23, 57, 'high', ['trivy'], undefined],
    ]);
    const own = out.findings.find((f) => f.ruleId === 'allow-privilege-escalation');
    expect(own?.fix?.title).toContain('allowPrivilegeEscalation');
    const toolOnly = out.findings.find((f) => f.ruleId === 'trivy/KSV-0118');
    expect(toolOnly).toMatchObject({
      title: 'Default security context configured',
      message: 'deployment testchart in default namespace is using the default security context, which allows root privileges',
      file: CHART,
      resource: { kind: 'Deployment', name: 'testchart', docIndex: 0 },
    });
    expect(toolOnly?.fix).toBeUndefined();
    expect(out.notices.filter((n) => n.kind === 'scanner')).toEqual([{ kind: 'scanner', file: '', message: 'Trivy dev ran on 1 file: 6 results' }]);
  });

  it('suppresses tool-only findings with minpriv comments and annotations, and with another tool’s annotation for the concept', async () => {
    tools.add('trivy', printSample('trivy/helm_testchart.json.golden'));
    // Same line count as the rendered chart, so Trivy's lines still fit: labels make room for annotations.
    const annotated = rendered
      .replace('# Source: testchart/templates/deployment.yaml', '# minpriv:ignore KSV-0117 -- port 80 is what the image listens on')
      .replace(
        / {2}labels:\n {4}helm\.sh\/chart: testchart-0\.1\.0\n {4}app\.kubernetes\.io\/name: testchart\n {4}app\.kubernetes\.io\/instance: testchart\n/,
        [
          '  annotations:',
          '    ignore-check.kube-linter.io/use-namespace: namespace set by Argo CD',
          '    minpriv.dev/ignore: trivy/KSV-0118 -- pod security admission sets the context',
          '  labels:',
          '',
        ].join('\n'),
      );
    expect(annotated.split('\n')).toHaveLength(rendered.split('\n').length);
    const out = await check([{ path: CHART, content: annotated }], { profile: 'pss-restricted' }, [trivyOnly()]);
    expect(out.findings.map((f) => f.ruleId)).toEqual(['seccomp-profile-required', 'allow-privilege-escalation']);
    expect(out.suppressed.map((f) => [f.ruleId, f.suppressed])).toEqual([
      ['trivy/KSV-0117', { by: 'comment', reason: 'port 80 is what the image listens on' }],
      ['trivy/KSV-0110', { by: 'external-annotation', reason: 'kube-linter: namespace set by Argo CD' }],
      ['trivy/KSV-0118', { by: 'annotation', reason: 'pod security admission sets the context' }],
    ]);
  });

  it('places results without lines (kube-linter) on minpriv’s parse and merges them into the findings of the same object', async () => {
    tools.add('kube-linter', printSample('kube-linter/run-as-non-root.constructed.json', 1));
    // kube-linter's test input, with an image per container (without one minpriv reads it as a partial manifest).
    const input = readFileSync(path.join(SAMPLES, 'kube-linter/run-as-non-root.yml'), 'utf8').replace(
      /^( +)- name: (.*)$/gm,
      '$1- name: $2\n$1  image: registry.example/$2:1.0',
    );
    const file = 'tests/checks/run-as-non-root.yml';
    const out = await check([{ path: file, content: input }], { profile: 'pss-restricted' }, [
      scannersProvider([{ tool: 'kube-linter', timeoutMs: 10_000 }], { env: { PATH: tools.path } }),
    ]);
    expect(tools.logged('kube-linter').argv).toEqual(['lint', '--format', 'json', `./${file}`]);
    const merged = out.findings.filter((f) => f.sources.includes('kube-linter'));
    expect(merged.map((f) => [f.ruleId, f.line, `${f.resource?.kind}/${f.resource?.name}`, f.alsoReportedBy])).toEqual([
      ['run-as-non-root', 44, 'Deployment/app1', [{ tool: 'kube-linter', id: 'run-as-non-root' }]],
      ['run-as-non-root', 58, 'DeploymentConfig/app2', [{ tool: 'kube-linter', id: 'run-as-non-root' }]],
      ['run-as-non-root', 73, 'Deployment/group-zero', [{ tool: 'kube-linter', id: 'run-as-non-root' }]],
      ['run-as-non-root', 89, 'DeploymentConfig/group-zero', [{ tool: 'kube-linter', id: 'run-as-non-root' }]],
    ]);
    expect(out.findings.filter((f) => f.ruleId.startsWith('kube-linter/'))).toEqual([]);
  });

  it('does not bring back a finding minpriv suppressed as a tool-only one', async () => {
    tools.add('trivy', printSample('trivy/helm_testchart.json.golden'));
    const ignored = rendered.replace(
      '  name: testchart\n  labels:',
      '  name: testchart\n  annotations: {minpriv.dev/ignore: allow-privilege-escalation}\n  labels:',
    );
    // One line more: Trivy's KSV-0001 (28-57) still names the container, which is what matches it.
    const out = await check([{ path: CHART, content: ignored }], { profile: 'pss-restricted' }, [trivyOnly()]);
    expect(out.findings.map((f) => f.ruleId)).not.toContain('trivy/KSV-0001');
    expect(out.suppressed.map((f) => [f.ruleId, f.sources, f.alsoReportedBy])).toEqual([
      ['allow-privilege-escalation', ['minpriv', 'trivy'], [{ tool: 'trivy', id: 'KSV-0001' }]],
    ]);
  });

  it('skips a missing tool with a notice; a crash or a timeout is a notice that counts as an error', async () => {
    tools.add('trivy', "process.stderr.write('FATAL config scan error: boom\\n'); process.exit(2);");
    tools.add('kubescape', 'setTimeout(() => {}, 60_000);');
    const provider = scannersProvider(
      [
        { tool: 'kube-linter', binary: 'kube-linter-absent', timeoutMs: 10_000 },
        { tool: 'trivy', timeoutMs: 10_000 },
        { tool: 'kubescape', timeoutMs: 500 },
      ],
      { env: { PATH: tools.path } },
    );
    const out = await check([{ path: CHART, content: rendered }], { profile: 'pss-restricted' }, [provider]);
    expect(out.notices).toEqual([
      { kind: 'scanner', file: '', message: 'kube-linter not installed: skipped' },
      { kind: 'scanner', file: '', message: 'trivy exited with code 2: FATAL config scan error: boom', error: true },
      { kind: 'scanner', file: '', message: 'kubescape timed out after 500 ms', error: true },
    ]);
    expect(out.findings.every((f) => f.sources.length === 1 && f.alsoReportedBy === undefined)).toBe(true);
  });

  it('runs nothing when no changed file is a complete manifest', async () => {
    tools.add('trivy', 'process.exit(3);');
    const out = await check([{ path: 'values.yaml', content: 'replicaCount: 1\n' }], {}, [trivyOnly()]);
    expect(out.notices).toEqual([]);
  });
});

describe('planReview with scanners', () => {
  const clean = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', '  namespace: shop', 'data:', '  level: info', ''].join('\n');
  const changes = {
    files: [{ path: 'k8s/settings.yaml', status: 'added' as const, content: clean, patch: `@@ -0,0 +1,7 @@\n${clean.trimEnd().replace(/^/gm, '+')}` }],
  };

  it('a crashed scanner fails the check under onError: fail, and is neutral under onError: neutral', async () => {
    tools.add('trivy', "process.stderr.write('panic: runtime error\\n'); process.exit(2);");
    for (const [onError, conclusion] of [
      ['fail', 'failure'],
      ['neutral', 'neutral'],
    ] as const) {
      const plan = await planReview({ changes, config: { ...DEFAULT_CONFIG, onError }, providers: [trivyOnly()] });
      expect([plan.conclusion, plan.stats.errors, plan.title]).toEqual([conclusion, 1, 'No findings in 1 changed manifest · 1 error']);
      expect(plan.summary).toContain('- (scanner, error): trivy exited with code 2: panic: runtime error');
    }
  });

  it('a missing scanner is a notice, not an error', async () => {
    const plan = await planReview({
      changes,
      config: DEFAULT_CONFIG,
      providers: [scannersProvider([{ tool: 'datree', binary: 'no-such-datree', timeoutMs: 1000 }])],
    });
    expect([plan.conclusion, plan.stats.errors]).toEqual(['success', 0]);
    expect(plan.summary).toContain('- (scanner): datree not installed: skipped');
  });
});

describe('providersFromConfig', () => {
  const configWith = (scanners: unknown) => {
    const parsed = parseConfig({ scanners });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return parsed.config;
  };

  it('gives nothing when no scanner is enabled (the default)', () => {
    expect(providersFromConfig(DEFAULT_CONFIG)).toEqual([]);
  });

  it('passes no artifacts folder to Kubescape when the image has none (built without scanners)', async () => {
    tools.add('kubescape', 'process.stdout.write(JSON.stringify({ results: [], resources: [] })); process.exit(0);');
    const [p] = providersFromConfig(configWith({ kubescape: { enabled: true } }), {
      env: { PATH: tools.path },
      hostEnv: { MINPRIV_KUBESCAPE_ARTIFACTS: '/opt/minpriv/scanners/kubescape-artifacts' },
    });
    await check([{ path: CHART, content: rendered }], {}, p ? [p] : []);
    expect(tools.logged('kubescape').argv).toEqual(['scan', '--format', 'json', '--keep-local', `./${CHART}`]);
  });

  it('ignores binary and args of a repository config, with a notice; honours them for the CLI user’s own config', async () => {
    tools.add('kube-linter', printSample('kube-linter/no-reports.constructed.json', 0));
    tools.add('my-kube-linter', printSample('kube-linter/no-reports.constructed.json', 0));
    const config = configWith({ kubeLinter: { enabled: true, binary: 'my-kube-linter', args: ['--config', 'kl.yaml'] } });
    const files = [{ path: CHART, content: rendered }];

    const [app] = providersFromConfig(config, { env: { PATH: tools.path } });
    const fromApp = await check(files, {}, app ? [app] : []);
    expect(tools.logged('kube-linter').argv).toEqual(['lint', '--format', 'json', `./${CHART}`]);
    expect(fromApp.notices.map((n) => n.message)).toEqual([
      "`scanners.kubeLinter`: `binary` and `args` are ignored here (the app runs kube-linter from its own PATH with minpriv's arguments only)",
      'kube-linter 0.8.3 ran on 1 file: 0 results',
    ]);

    const [cli] = providersFromConfig(config, { trusted: true, env: { PATH: tools.path } });
    await check(files, {}, cli ? [cli] : []);
    expect(tools.logged('my-kube-linter').argv).toEqual(['lint', '--format', 'json', '--config', 'kl.yaml', `./${CHART}`]);
  });

  it('asks Kubescape for the configured frameworks, from the artifacts the deployment downloaded', async () => {
    tools.add('kubescape', 'process.stdout.write(JSON.stringify({ results: [], resources: [] })); process.exit(0);');
    const config = configWith({ kubescape: { enabled: true, frameworks: ['nsa', 'mitre'], timeoutSeconds: 30 } });
    const [p] = providersFromConfig(config, { env: { PATH: tools.path }, hostEnv: { MINPRIV_KUBESCAPE_ARTIFACTS: tools.bin } });
    await check([{ path: CHART, content: rendered }], {}, p ? [p] : []);
    expect(tools.logged('kubescape').argv).toEqual([
      'scan',
      '--format',
      'json',
      '--keep-local',
      '--use-artifacts-from',
      tools.bin,
      'framework',
      'nsa,mitre',
      `./${CHART}`,
    ]);
  });

  it('runs one provider for every enabled tool, so that one concept from several tools is one finding', () => {
    const config = configWith({ trivy: { enabled: true }, datree: { enabled: true } });
    expect(providersFromConfig(config).map((p) => p.name)).toEqual(['Trivy, Datree']);
  });

  it('rejects framework names that could be flags, and unknown keys with a hint', () => {
    expect(parseConfig({ scanners: { kubescape: { frameworks: ['--output=/etc/passwd'] }, trivy: { timeout: 5 } } })).toEqual({
      ok: false,
      issues: [
        {
          key: 'scanners.kubescape.frameworks.0',
          message: 'expected a framework name such as `nsa`, `mitre` or `cis-v1.23-t1.0.1`',
          value: '"--output=/etc/passwd"',
        },
        { key: 'scanners.trivy.timeout', message: 'unknown key; did you mean `timeoutSeconds`?' },
      ],
    });
  });
});

describe('--scanner flags', () => {
  it('switch tools on in the raw config, keeping their other settings', () => {
    expect(enableScanners(null, ['trivy', 'kube-linter'])).toEqual({ scanners: { trivy: { enabled: true }, kubeLinter: { enabled: true } } });
    expect(enableScanners({ profile: 'minpriv', scanners: { trivy: { timeoutSeconds: 30 } } }, ['trivy'])).toEqual({
      profile: 'minpriv',
      scanners: { trivy: { timeoutSeconds: 30, enabled: true } },
    });
    expect(enableScanners('not a mapping', ['trivy'])).toBe('not a mapping');
  });

  it('accept the tool names only', () => {
    expect(scannerFlags(['trivy', 'kube-linter', 'trivy'])).toEqual({ tools: ['trivy', 'kube-linter'] });
    expect(scannerFlags(['kubeLinter'])).toEqual({ invalid: 'kubeLinter' });
  });
});
