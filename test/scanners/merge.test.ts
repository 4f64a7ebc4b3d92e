import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, ResourceId } from '../../src/core/types.js';
import { allRules } from '../../src/rules/index.js';
import { parseKubeLinterJson } from '../../src/scanners/kube-linter.js';
import { externalFingerprint, mergeExternal, scannerNotices } from '../../src/scanners/merge.js';
import type { ExternalResult, ScannerRun, ScannerTool } from '../../src/scanners/types.js';

const FILE = 'apps/web.yaml';
const web: ResourceId = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', file: FILE, docIndex: 0, basePath: [] };
const subject = { kind: 'Deployment', name: 'web' };

function finding(ruleId: string, line: number, container: string, leaf: string[], extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    severity: 'high',
    title: ruleId,
    message: ruleId,
    file: FILE,
    line,
    column: 11,
    endLine: line,
    path: ['spec', 'template', 'spec', 'containers', 0, 'securityContext', ...leaf],
    resource: web,
    container,
    fingerprint: `fp-${ruleId}-${container}`,
    sources: ['minpriv'],
    ...extra,
  };
}

function result(tool: ScannerTool, id: string, extra: Partial<ExternalResult> = {}): ExternalResult {
  return { tool, toolId: id, normalizedId: id, title: `${tool} ${id}`, message: `${tool} says ${id}`, severity: 'medium', file: FILE, ...extra };
}

const runs = (...results: ExternalResult[]): ScannerRun[] => {
  const byTool = new Map<ScannerTool, ExternalResult[]>();
  for (const r of results) byTool.set(r.tool, [...(byTool.get(r.tool) ?? []), r]);
  return [...byTool].map(([tool, rs]) => ({ tool, results: rs, notices: [] }));
};

describe('mergeExternal', () => {
  it('merges the same concept from three tools into the minpriv finding: one finding, three ids', () => {
    const privileged = finding('privileged-container', 20, 'app', ['privileged']);
    const out = mergeExternal(
      [privileged],
      runs(
        result('trivy', 'KSV-0017', { toolId: 'KSV017', resource: subject, container: 'app', line: 17, endLine: 25, severity: 'high' }),
        result('kubescape', 'C-0057', { resource: subject, path: 'spec.template.spec.containers[0].securityContext.privileged' }),
        result('kube-linter', 'privileged-container', { resource: subject, container: 'app' }),
      ),
      allRules,
    );
    expect(out.extra).toEqual([]);
    expect(out.findings).toEqual([{ ...privileged, sources: ['minpriv', 'trivy', 'kubescape', 'kube-linter'] }]);
    expect(out.also.get('fp-privileged-container-app')).toEqual([
      { tool: 'trivy', id: 'KSV-0017' },
      { tool: 'kubescape', id: 'C-0057' },
      { tool: 'kube-linter', id: 'privileged-container' },
    ]);
  });

  it('turns results no rule covers into one finding per concept and subject, named after the first tool', () => {
    const out = mergeExternal(
      [],
      runs(
        result('kube-linter', 'no-read-only-root-fs', { resource: subject, container: 'app' }),
        result('kubescape', 'C-0017', { resource: subject, path: 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem', severity: 'low' }),
        result('trivy', 'KSV-0014', {
          resource: subject,
          container: 'app',
          line: 17,
          endLine: 25,
          severity: 'high',
          title: 'Root file system is not read-only',
        }),
      ),
      allRules,
    );
    expect(out.extra).toEqual([
      {
        ruleId: 'trivy/KSV-0014',
        severity: 'high',
        title: 'Root file system is not read-only',
        message: 'trivy says KSV-0014',
        file: FILE,
        line: 17,
        column: 1,
        endLine: 25,
        path: ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'readOnlyRootFilesystem'],
        container: 'app',
        fingerprint: '1e8c48b608b63ad4',
        sources: ['trivy', 'kubescape', 'kube-linter'],
      },
    ]);
    expect(out.also.get('1e8c48b608b63ad4')).toEqual([
      { tool: 'trivy', id: 'KSV-0014' },
      { tool: 'kubescape', id: 'C-0017' },
      { tool: 'kube-linter', id: 'no-read-only-root-fs' },
    ]);
  });

  it('keeps other containers, other resources and other files apart', () => {
    const privileged = finding('privileged-container', 20, 'app', ['privileged']);
    const out = mergeExternal(
      [privileged],
      runs(
        result('kube-linter', 'privileged-container', { resource: subject, container: 'sidecar' }),
        result('kube-linter', 'privileged-container', { resource: { kind: 'Deployment', name: 'api' }, container: 'app' }),
        result('kube-linter', 'privileged-container', { file: 'apps/other.yaml', resource: subject, container: 'app' }),
        result('kubescape', 'C-0057', { resource: subject, path: 'spec.template.spec.containers[1].securityContext.privileged' }),
      ),
      allRules,
    );
    expect(out.findings).toEqual([privileged]);
    expect(out.extra.map((f) => [f.ruleId, f.file, f.container, f.sources])).toEqual([
      ['kube-linter/privileged-container', 'apps/other.yaml', 'app', ['kube-linter']],
      // Deployment api
      ['kube-linter/privileged-container', FILE, 'app', ['kube-linter']],
      // kube-linter names the container, Kubescape gives its index: unknown to each other, so taken as one
      ['kubescape/C-0057', FILE, 'sidecar', ['kubescape', 'kube-linter']],
    ]);
    expect(out.extra[1]?.message).toBe('kube-linter says privileged-container');
    expect(new Set(out.extra.map((f) => f.fingerprint)).size).toBe(3);
  });

  it('in a file of many objects, merges each result into the finding of its own object only (kind in any case, namespace missing on one side)', () => {
    // 300 Deployments and 300 Services of the same names in one file: the findings are looked up by file, rule and name.
    const id = (kind: string, i: number): ResourceId => ({
      apiVersion: 'v1',
      kind,
      name: `app-${i}`,
      file: FILE,
      docIndex: 2 * i + (kind === 'Service' ? 1 : 0),
      basePath: [],
    });
    const findings: Finding[] = [];
    for (let i = 0; i < 300; i++) {
      findings.push(finding('privileged-container', 10 * i + 5, 'app', ['privileged'], { resource: id('Deployment', i), fingerprint: `fp-d-${i}` }));
      findings.push(finding('privileged-container', 10 * i + 8, 'app', ['privileged'], { resource: id('Service', i), fingerprint: `fp-s-${i}` }));
    }
    const results: ExternalResult[] = [];
    for (let i = 0; i < 300; i += 3) {
      results.push(result('kubescape', 'C-0057', { resource: { kind: 'deployment', name: `app-${i}` }, container: 'app' }));
      // Same concept, no resource: placed by its lines, on the Service finding of object i + 1.
      results.push(result('trivy', 'KSV-0017', { line: 10 * (i + 1) + 8, endLine: 10 * (i + 1) + 8 }));
      // A name no finding has: a finding of its own, one per subject.
      results.push(result('kube-linter', 'privileged-container', { resource: { kind: 'Deployment', name: `gone-${i}` }, container: 'app' }));
      results.push(result('kubescape', 'C-0057', { resource: { kind: 'Deployment', name: `gone-${i}` }, container: 'app' }));
    }
    const out = mergeExternal(findings, runs(...results), allRules);
    const enriched = out.findings.filter((f) => f.sources.length > 1).map((f) => [f.fingerprint, f.sources.join(',')]);
    const expected: string[][] = [];
    for (let i = 0; i < 300; i += 3) expected.push([`fp-d-${i}`, 'minpriv,kubescape'], [`fp-s-${i + 1}`, 'minpriv,trivy']);
    expect(enriched.sort()).toEqual(expected.sort());
    expect(out.extra.map((f) => [f.ruleId, f.resource, f.sources.join(',')])).toEqual(
      Array.from({ length: 100 }, () => ['kubescape/C-0057', undefined, 'kubescape,kube-linter']),
    );
    expect(new Set(out.extra.map((f) => f.fingerprint)).size).toBe(100);
  });

  it('places a Trivy result that names no resource by its lines', () => {
    const seccomp = finding('seccomp-profile-required', 30, 'app', ['seccompProfile']);
    const out = mergeExternal(
      [seccomp],
      runs(
        result('trivy', 'KSV-0030', {
          line: 28,
          endLine: 57,
          message: "Either Pod or Container should set 'securityContext.seccompProfile.type' to 'RuntimeDefault'",
        }),
        result('trivy', 'KSV-0104', { line: 60, endLine: 70 }),
      ),
      allRules,
    );
    expect(out.findings[0]?.sources).toEqual(['minpriv', 'trivy']);
    expect(out.also.get(seccomp.fingerprint)).toEqual([{ tool: 'trivy', id: 'KSV-0030' }]);
    expect(out.extra.map((f) => [f.ruleId, f.line, f.severity])).toEqual([['trivy/KSV-0104', 60, 'medium']]);
  });

  it('matches Trivy\'s "default" namespace to a finding without namespace, and a restricted finding standing in for a baseline rule', () => {
    const caps = finding('capabilities-restricted', 22, 'app', ['capabilities', 'add'], { alsoFor: ['capabilities-baseline'] });
    const out = mergeExternal([caps], runs(result('trivy', 'KSV-0022', { resource: { ...subject, namespace: 'default' }, container: 'app' })), allRules);
    expect(out.findings[0]?.sources).toEqual(['minpriv', 'trivy']);
  });

  it('links Datree through the concept table (rules list no Datree ids)', () => {
    const privileged = finding('privileged-container', 20, 'app', ['privileged']);
    const out = mergeExternal(
      [privileged],
      runs(
        result('datree', 'CONTAINERS_INCORRECT_PRIVILEGED_VALUE_TRUE', {
          resource: subject,
          path: 'spec.template.spec.containers[0].securityContext.privileged',
          line: 20,
          column: 21,
        }),
      ),
      allRules,
    );
    expect(out.findings[0]?.sources).toEqual(['minpriv', 'datree']);
    expect(out.extra).toEqual([]);
  });

  it('asks the caller where a tool without lines points, and gives it the resource found there', () => {
    const located = { ...web, name: 'app1' };
    const calls: unknown[] = [];
    const out = mergeExternal([], runs(result('kube-linter', 'latest-tag', { resource: { kind: 'Deployment', name: 'app1' }, container: 'app' })), allRules, {
      locate: (file, resource, p, line) => {
        calls.push([file, resource, p, line]);
        return { line: 14, column: 9, endLine: 16, resource: located };
      },
    });
    expect(calls).toEqual([[FILE, { kind: 'Deployment', name: 'app1' }, undefined, undefined]]);
    expect(out.extra.map((f) => [f.ruleId, f.line, f.column, f.endLine, f.resource, f.severity])).toEqual([
      ['kube-linter/latest-tag', 14, 9, 16, located, 'medium'],
    ]);
  });

  it('puts a tool-only finding nobody can place on line 1; the rule severity stands in for tools without one', () => {
    const out = mergeExternal([], runs(result('kube-linter', 'host-pid', { resource: subject })), allRules);
    expect(out.extra.map((f) => [f.ruleId, f.line, f.column, f.endLine, f.severity])).toEqual([['kube-linter/host-pid', 1, 1, 1, 'high']]);
  });

  it('reads parsed kube-linter output end to end: 4 tool-only findings with distinct fingerprints', () => {
    const text = readFileSync(path.join(import.meta.dirname, '../fixtures/scanners/kube-linter/run-as-non-root.constructed.json'), 'utf8');
    const parsed = parseKubeLinterJson(text, new Map());
    if (!parsed.ok) throw new Error(parsed.error.message);
    const out = mergeExternal([], [{ tool: 'kube-linter', results: parsed.results, notices: [] }], allRules);
    expect(out.extra.map((f) => [f.ruleId, f.container])).toEqual([
      ['kube-linter/run-as-non-root', 'app'],
      ['kube-linter/run-as-non-root', 'app2'],
      ['kube-linter/run-as-non-root', 'app3'],
      ['kube-linter/run-as-non-root', 'app4'],
    ]);
    expect(new Set(out.extra.map((f) => f.fingerprint)).size).toBe(4);
  });
});

describe('externalFingerprint', () => {
  it('is sha256 of rule, file, kind/namespace/name, container and the path with the container named', () => {
    const key = ['trivy/KSV-0014', FILE, 'Deployment//web', 'app', 'spec.template.spec.containers[name=app].securityContext.readOnlyRootFilesystem'].join(
      '\u0000',
    );
    const reference = createHash('sha256').update(key).digest('hex').slice(0, 16);
    expect(externalFingerprint('trivy/KSV-0014', FILE, subject, 'app', 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem', 17)).toBe(
      reference,
    );
  });

  it('is pinned, ignores Trivy\'s "default" namespace and container indexes, and uses the line only without a resource', () => {
    const p = 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem';
    expect(externalFingerprint('trivy/KSV-0014', FILE, subject, 'app', p, 17)).toBe('1e8c48b608b63ad4');
    expect(externalFingerprint('trivy/KSV-0014', FILE, { ...subject, namespace: 'default' }, 'app', p.replace('[0]', '[3]'), 99)).toBe('1e8c48b608b63ad4');
    expect(externalFingerprint('trivy/KSV-0030', FILE, undefined, undefined, undefined, 28)).not.toBe(
      externalFingerprint('trivy/KSV-0030', FILE, undefined, undefined, undefined, 60),
    );
  });
});

describe('scannerNotices', () => {
  it('turns errors and notices of runs into scanner notices', () => {
    expect(
      scannerNotices([
        { tool: 'kube-linter', results: [], notices: [], error: { code: 'not-installed', message: 'kube-linter not installed: skipped' } },
        { tool: 'trivy', results: [], notices: [{ kind: 'scanner', message: 'trivy Results: skipped 1 malformed entry' }] },
      ]),
    ).toEqual([
      { kind: 'scanner', file: '', message: 'kube-linter not installed: skipped' },
      { kind: 'scanner', file: '', message: 'trivy Results: skipped 1 malformed entry' },
    ]);
  });
});
