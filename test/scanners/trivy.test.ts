import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeTrivyId, parseTrivyJson, trivyMessageSubject } from '../../src/scanners/trivy.js';

const FIX = path.join(import.meta.dirname, '../fixtures/scanners/trivy');
const read = (name: string) => readFileSync(path.join(FIX, name), 'utf8');
const TMP = '/tmp/minpriv-scan-x';
const paths = new Map([
  [`${TMP}/charts/testchart/templates/deployment.yaml`, 'charts/testchart/templates/deployment.yaml'],
  [`${TMP}/charts/testchart/templates/service.yaml`, 'charts/testchart/templates/service.yaml'],
]);
const FILE = 'charts/testchart/templates/deployment.yaml';
const deployment = { kind: 'Deployment', name: 'testchart' };
const inDefault = { ...deployment, namespace: 'default' };

describe('normalizeTrivyId', () => {
  it.each([
    ['KSV-0017', 'KSV-0017'],
    ['AVD-KSV-0017', 'KSV-0017'],
    ['KSV017', 'KSV-0017'],
    ['ksv017', 'KSV-0017'],
    ['KSV01010', 'KSV-01010'],
    ['AVD-KSV-01010', 'KSV-01010'],
    ['KSV-0125', 'KSV-0125'],
    ['KSV125', 'KSV-0125'],
    ['not an id', 'not an id'],
  ])('%s → %s', (id, expected) => {
    expect(normalizeTrivyId(id)).toBe(expected);
  });
});

describe('trivyMessageSubject', () => {
  it.each([
    ["Container 'nginx' of Deployment 'web' should set x", { resource: { kind: 'Deployment', name: 'web' }, container: 'nginx' }],
    [
      "Container 'nginx' of 'deployment' 'web' in 'shop' namespace should set x",
      { resource: { kind: 'Deployment', name: 'web', namespace: 'shop' }, container: 'nginx' },
    ],
    [
      'container "c" of statefulset "db" in "default" namespace should x',
      { resource: { kind: 'StatefulSet', name: 'db', namespace: 'default' }, container: 'c' },
    ],
    [
      'Container filebeat in deployment filebeat (namespace: apps)',
      { resource: { kind: 'Deployment', name: 'filebeat', namespace: 'apps' }, container: 'filebeat' },
    ],
    ["ConfigMap 'app' in 'shop' namespace stores sensitive contents", { resource: { kind: 'ConfigMap', name: 'app', namespace: 'shop' } }],
    ['deployment web in default namespace should x', { resource: { kind: 'Deployment', name: 'web', namespace: 'default' } }],
    ["ClusterRole 'admin' shouldn't have access to manage all resources", { resource: { kind: 'ClusterRole', name: 'admin' } }],
    ['container web in default namespace is using the default security context', {}],
    ["Either Pod or Container should set 'securityContext.seccompProfile.type' to 'RuntimeDefault'", {}],
  ])('%s', (message, expected) => {
    expect(trivyMessageSubject(message)).toEqual(expected);
  });
});

describe('parseTrivyJson', () => {
  it('reads the current golden (KSV-00NN ids): 6 results with lines, resources from messages', () => {
    const out = parseTrivyJson(read('helm_testchart.json.golden'), paths);
    if (!out.ok) throw new Error(out.error.message);
    expect(out.version).toBe('dev');
    expect(out.notices).toEqual([]);
    expect(out.results.map((r) => [r.toolId, r.normalizedId, r.severity, r.file, r.line, r.endLine, r.resource, r.container])).toEqual([
      ['KSV-0001', 'KSV-0001', 'medium', FILE, 28, 57, deployment, 'testchart'],
      ['KSV-0030', 'KSV-0030', 'low', FILE, 28, 57, undefined, undefined],
      ['KSV-0104', 'KSV-0104', 'medium', FILE, 28, 57, inDefault, 'testchart'],
      ['KSV-0110', 'KSV-0110', 'low', FILE, 4, 11, inDefault, undefined],
      ['KSV-0117', 'KSV-0117', 'medium', FILE, undefined, undefined, inDefault, undefined],
      ['KSV-0118', 'KSV-0118', 'high', FILE, 23, 57, inDefault, undefined],
    ]);
    expect(out.results[0]).toMatchObject({
      tool: 'trivy',
      title: 'Can elevate its own privileges',
      message: "Container 'testchart' of Deployment 'testchart' should set 'securityContext.allowPrivilegeEscalation' to false",
    });
    expect(out.results.every((r) => r.path === undefined && r.fixPaths === undefined)).toBe(true);
  });

  it('normalises the old ids of the pre-v2 golden (KSV001 + AVDID) to the same canonical ids', () => {
    const out = parseTrivyJson(read('helm_testchart.pre-checks-v2.json.golden'), paths);
    if (!out.ok) throw new Error(out.error.message);
    expect(out.results.map((r) => [r.toolId, r.normalizedId, r.line])).toEqual([
      ['KSV001', 'KSV-0001', 28],
      ['KSV030', 'KSV-0030', 28],
      ['KSV104', 'KSV-0104', 28],
      ['KSV110', 'KSV-0110', 4],
      ['KSV117', 'KSV-0117', undefined],
      ['KSV118', 'KSV-0118', 23],
    ]);
  });

  it('reads the overridden golden: 8 results, KSV-0105 on lines 29-36 without a resource', () => {
    const out = parseTrivyJson(read('helm_testchart.overridden.json.golden'), paths);
    if (!out.ok) throw new Error(out.error.message);
    expect(out.results.map((r) => r.normalizedId)).toEqual(['KSV-0001', 'KSV-0020', 'KSV-0030', 'KSV-0104', 'KSV-0105', 'KSV-0110', 'KSV-0117', 'KSV-0118']);
    expect(out.results[4]).toMatchObject({ normalizedId: 'KSV-0105', severity: 'low', line: 29, endLine: 36, file: FILE });
    expect(out.results[4]?.resource).toBeUndefined();
  });

  it('reads a report without Results as no results', () => {
    expect(parseTrivyJson(read('helm_badname.json.golden'), paths)).toEqual({ ok: true, results: [], notices: [], version: 'dev' });
  });

  it('keeps an unknown target as printed', () => {
    const out = parseTrivyJson(read('helm_testchart.json.golden'), new Map());
    expect(out.ok && out.results[0]?.file).toBe('templates/deployment.yaml');
  });

  it('skips a malformed misconfiguration with a notice and passes unknown fields', () => {
    const text = JSON.stringify({
      Unknown: 1,
      Results: [{ Target: 'a.yaml', Extra: true, Misconfigurations: [{ Title: 'no id' }, { ID: 'KSV017', Severity: 'HIGH', Message: 'm', New: 'x' }] }],
    });
    const out = parseTrivyJson(text, new Map());
    if (!out.ok) throw new Error(out.error.message);
    expect(out.results.map((r) => [r.normalizedId, r.severity, r.file, r.title])).toEqual([['KSV-0017', 'high', 'a.yaml', 'KSV017']]);
    expect(out.notices).toEqual([{ kind: 'scanner', message: 'trivy misconfigurations of a.yaml: skipped 1 malformed entry' }]);
  });

  it('turns output it cannot read into a bad-output error', () => {
    for (const text of ['', 'FATAL something', '[]', '{"Results": 3}']) {
      const out = parseTrivyJson(text, new Map());
      expect(out.ok).toBe(false);
      expect(!out.ok && out.error.code).toBe('bad-output');
    }
  });

  it('skips a log line printed before the document', () => {
    const out = parseTrivyJson(`2026-01-01T00:00:00Z INFO scanning\n${read('helm_badname.json.golden')}`, paths);
    expect(out).toEqual({ ok: true, results: [], notices: [], version: 'dev' });
  });
});
