import { describe, expect, it } from 'vitest';
import type { Finding, SourceFile } from '../../src/core/types.js';
import { flatString, MINPRIV_SOURCES } from '../../src/engine/report-only.js';
import { type ScanOptions, scan } from '../../src/engine/scan.js';
import { renderJsonChunks } from '../../src/report/json.js';
import { renderSarifChunks } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import yamlSyntax from '../../src/rules/yaml-syntax.js';
import { FIXTURES, fixtureFiles } from '../fixture-files.js';

/** Suppressed findings, with reasons taken from the YAML (the fixtures have none). */
const suppressing: SourceFile[] = [
  {
    path: 'suppressed/annotated-pod.yaml',
    content: [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: legacy-agent-with-a-long-name',
      '  namespace: monitoring-namespace',
      '  annotations:',
      '    minpriv.dev/ignore: allow-privilege-escalation,run-as-non-root',
      '    minpriv.dev/ignore-reason: legacy agent, tracked in OPS-12 until the vendor ships a fix',
      'spec:',
      '  containers:',
      '  - name: agent-container-name',
      '    image: agent:2',
      '',
    ].join('\n'),
  },
  {
    path: 'suppressed/commented.yaml',
    content: [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: nginx:1.27',
      '        securityContext:',
      '          privileged: true # minpriv:ignore privileged-container -- the node agent needs the host, see OPS-99',
      '',
    ].join('\n'),
  },
];

const fixtures = [...fixtureFiles(FIXTURES, { bytes: true }), ...suppressing];
const joined = (chunks: Iterable<string>): string => [...chunks].join('');

/** Every report `minpriv scan` writes, as bytes. */
function reports(options: ScanOptions): string[] {
  const out = scan(fixtures, options);
  const rules = [...out.rules, yamlSyntax];
  return [
    joined(renderJsonChunks(out, { toolVersion: '0.0.0', settings: { profile: String(options.profile) } })),
    joined(renderSarifChunks(out, { toolVersion: '0.0.0', rules, root: '/repo' })),
    renderText(out, { color: false, showSuppressed: true }),
    renderText(out, { color: true, showSuppressed: false }),
  ];
}

describe('scan: reportOnly', () => {
  for (const profile of ['pss-restricted', 'minpriv', 'pss-baseline'] as const) {
    it(`renders the same report bytes as full findings (${profile}, every fixture)`, () => {
      const full = reports({ profile, keepParsed: false });
      const slim = reports({ profile, keepParsed: false, reportOnly: true });
      expect(full[0]?.length).toBeGreaterThan(10_000);
      for (let i = 0; i < full.length; i++) expect(slim[i]).toBe(full[i]);
    });
  }

  it('keeps every field but the edit operations of a fix', () => {
    const full = scan(fixtures, { profile: 'minpriv' });
    const slim = scan(fixtures, { profile: 'minpriv', keepParsed: false, reportOnly: true });
    const strip = (f: Finding): Finding => (f.fix ? { ...f, fix: { title: f.fix.title, confidence: f.fix.confidence, ops: [] } } : f);
    expect(slim.findings.length).toBeGreaterThan(100);
    expect(slim.suppressed.length).toBeGreaterThan(0);
    expect(slim.findings.some((f) => f.fix)).toBe(true);
    expect(slim.findings).toEqual(full.findings.map(strip));
    expect(slim.suppressed).toEqual(full.suppressed.map(strip));
    expect(slim.notices).toEqual(full.notices);
    expect(slim.resourcesScanned).toBe(full.resourcesScanned);
  });

  it('leaves the default scan as it was: fixes keep their operations', () => {
    const full = scan(fixtures, { profile: 'pss-restricted' });
    expect(full.findings.filter((f) => f.fix).every((f) => (f.fix?.ops.length ?? 0) > 0)).toBe(true);
  });

  it('gives minpriv findings one frozen sources array', () => {
    const { findings } = scan(fixtures.slice(0, 50), { profile: 'pss-restricted', reportOnly: true });
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.sources).toBe(MINPRIV_SOURCES);
    expect(MINPRIV_SOURCES).toEqual(['minpriv']);
    expect(Object.isFrozen(MINPRIV_SOURCES)).toBe(true);
  });
});

describe('flatString', () => {
  it('returns an equal string, short or long, sliced or concatenated', () => {
    const text = 'metadata:\n  name: a-rather-long-deployment-name\n';
    for (const s of ['', 'a', 'twelve chars', text.slice(18, 47), `${text.slice(18, 30)}${text.slice(30, 47)}`, 'é'.repeat(40)]) {
      expect(flatString(s)).toBe(s);
    }
  });
});

describe('scan: reportOnly shares equal paths, never unequal ones', () => {
  it('keeps a string key that reads like an index apart from the index', () => {
    const content = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '  annotations:',
      '    "0": x',
      'spec:',
      '  containers:',
      '  - name: a',
      '    image: a:1',
      '  - name: b',
      '    image: b:1',
      '',
    ].join('\n');
    const full = scan([{ path: 'p.yaml', content }], { profile: 'minpriv' });
    const slim = scan([{ path: 'p.yaml', content }], { profile: 'minpriv', reportOnly: true });
    expect(slim.findings.map((f) => f.path)).toEqual(full.findings.map((f) => f.path));
    const byPath = new Map<string, unknown>();
    for (const f of slim.findings) {
      const key = JSON.stringify(f.path);
      if (byPath.has(key)) expect(f.path).toBe(byPath.get(key));
      else byPath.set(key, f.path);
    }
    expect(new Set(slim.findings.map((f) => f.path)).size).toBe(byPath.size);
  });
});
