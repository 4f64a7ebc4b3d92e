import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding, ScanResult } from '../../src/core/types.js';
import { jsonFinding, jsonFindingText, renderJsonChunks, summarize } from '../../src/report/json.js';
import { renderSarifChunks, toSarif } from '../../src/report/sarif.js';
import { sampleScan } from './report-fixture.js';

/**
 * The streamed writers against `JSON.stringify` of the whole report object, built here rather than by
 * the code under test: the bytes a user gets must not change with the streaming.
 */
const joined = (chunks: Iterable<string>): string => [...chunks].join('');

function wholeJson(result: ScanResult, settings?: Record<string, string>): string {
  const doc = {
    tool: { name: 'minpriv', version: '9.9.9' },
    ...(settings ? { settings } : {}),
    summary: summarize(result),
    findings: result.findings.map(jsonFinding),
    suppressed: result.suppressed.map(jsonFinding),
    notices: result.notices.map((n) => ({
      kind: n.kind,
      file: n.file,
      ...(n.line !== undefined ? { line: n.line } : {}),
      message: n.message,
      ...(n.error ? { error: true } : {}),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Every character JSON escapes or that UTF-8 writes in several bytes, in the places users' data reaches. */
const SPECIAL = 'quote " backslash \\ slash / tab \t CR \r LF \n NUL \u0000 BEL \u0007 DEL \u007f LS \u2028 PS \u2029';
const UNICODE = 'Ünïcödé 日本語 العربية emoji 🔐🚀 combining é lone surrogates \ud800 and \udfff';

function finding(over: Partial<Finding>): Finding {
  return {
    ruleId: 'privileged-container',
    severity: 'critical',
    title: 'Privileged container',
    message: 'Container "web" runs privileged.',
    file: 'apps/web/deployment.yaml',
    line: 13,
    column: 11,
    endLine: 13,
    path: ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'],
    fingerprint: 'abc123',
    sources: ['minpriv'],
    ...over,
  };
}

const specialResult: ScanResult = {
  findings: [
    finding({
      message: SPECIAL,
      container: SPECIAL,
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: UNICODE, file: 'a.yaml', docIndex: 0, basePath: [] },
    }),
    finding({
      message: UNICODE,
      file: 'dir with spaces/ünï.yaml',
      path: ['metadata', 'annotations', 'a.b/c"d'],
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'ns-🔐', name: 'x', file: 'a.yaml', docIndex: 3, basePath: [] },
      pss: { control: 'privileged', level: 'baseline' },
      alsoFor: ['privileged-baseline', UNICODE],
      fix: { confidence: 'safe', ops: [], title: `set \`privileged: false\` ${SPECIAL}` },
      sources: ['minpriv', 'trivy'],
      alsoReportedBy: [
        { tool: 'trivy', id: 'KSV017' },
        { tool: 'kubescape', id: SPECIAL },
      ],
    }),
    finding({ message: '', title: '', alsoFor: [], sources: [], line: 0, column: 0, endLine: 0, path: [] }),
  ],
  suppressed: [finding({ suppressed: { by: 'comment', reason: `accepted: ${SPECIAL} ${UNICODE}` } }), finding({ suppressed: { by: 'config' } })],
  notices: [
    { kind: 'template', file: 'charts/日本語 🔐/pod.yaml', line: 2, message: SPECIAL },
    { kind: 'scanner', file: '', message: 'trivy crashed', error: true },
  ],
  filesScanned: 3,
  resourcesScanned: 2,
};

const empty: ScanResult = { findings: [], suppressed: [], notices: [], filesScanned: 0, resourcesScanned: 0 };

describe('streamed JSON report equals JSON.stringify of the report object', () => {
  const cases: [string, ScanResult][] = [
    ['empty', empty],
    ['sample fixture scan', sampleScan()],
    ['special characters and unicode', specialResult],
  ];
  for (const [name, result] of cases) {
    it(name, () => {
      for (const settings of [undefined, { profile: 'pss-restricted', pssVersion: 'v1.33', failOn: 'high' }]) {
        const expected = wholeJson(result, settings);
        const options = { toolVersion: '9.9.9', ...(settings ? { settings } : {}) };
        for (const size of [undefined, 1, 100]) expect(joined(renderJsonChunks(result, options, size))).toBe(expected);
      }
    });
  }

  it('the empty report is exactly this text', () => {
    expect(joined(renderJsonChunks(empty, { toolVersion: '1' }))).toBe(
      '{\n  "tool": {\n    "name": "minpriv",\n    "version": "1"\n  },\n  "summary": {\n    "filesScanned": 0,\n    "resourcesScanned": 0,\n    "findings": 0,\n    "bySeverity": {\n      "critical": 0,\n      "high": 0,\n      "medium": 0,\n      "low": 0,\n      "info": 0\n    },\n    "suppressed": 0,\n    "notices": 0,\n    "noticesByKind": {}\n  },\n  "findings": [],\n  "suppressed": [],\n  "notices": []\n}\n',
    );
  });

  it('escapes as JSON.stringify does: lone surrogates as \\u escapes, U+2028 as itself, controls escaped', () => {
    const text = joined(renderJsonChunks(specialResult, { toolVersion: '1' }));
    expect(text).toContain('\\ud800 and \\udfff');
    expect(text).toContain('NUL \\u0000 BEL \\u0007');
    expect(text).toContain('LS \u2028 PS \u2029');
    expect(text).toContain('emoji 🔐🚀');
    expect(JSON.parse(text).findings[0].message).toBe(SPECIAL);
  });
});

describe('jsonFindingText: the fast path writes what JSON.stringify writes', () => {
  const text = fc.string({ unit: 'binary', maxLength: 12 });
  const arbFinding: fc.Arbitrary<Finding> = fc.record(
    {
      ruleId: text,
      severity: fc.constantFrom('critical', 'high', 'medium', 'low', 'info'),
      title: text,
      message: text,
      file: text,
      line: fc.integer({ min: 0, max: 1e6 }),
      column: fc.integer({ min: 0, max: 1e6 }),
      endLine: fc.integer({ min: 0, max: 1e6 }),
      path: fc.array(fc.oneof(text, fc.nat(20)), { maxLength: 5 }),
      resource: fc.record(
        { apiVersion: text, kind: text, namespace: text, name: text, file: text, docIndex: fc.nat(50), basePath: fc.constant([]) },
        { requiredKeys: ['apiVersion', 'kind', 'name', 'file', 'docIndex', 'basePath'] },
      ),
      container: text,
      fingerprint: text,
      fix: fc.record({ confidence: fc.constantFrom('safe', 'review'), ops: fc.constant([]), title: text }),
      suppressed: fc.record({ by: fc.constantFrom('annotation', 'comment', 'config', 'external-annotation'), reason: text }, { requiredKeys: ['by'] }),
      sources: fc.array(text, { maxLength: 3 }),
      pss: fc.record({ control: text, level: fc.constantFrom('baseline', 'restricted') }),
      alsoFor: fc.array(text, { maxLength: 3 }),
      alsoReportedBy: fc.array(fc.record({ tool: text, id: text }), { maxLength: 3 }),
    },
    { requiredKeys: ['ruleId', 'severity', 'title', 'message', 'file', 'line', 'column', 'endLine', 'path', 'fingerprint', 'sources'] },
  ) as fc.Arbitrary<Finding>;

  it('for any finding, at any indent', () => {
    fc.assert(
      fc.property(arbFinding, fc.constantFrom('', '  ', '    ', '      '), (f, indent) => {
        expect(jsonFindingText(f, indent)).toBe(JSON.stringify(jsonFinding(f), null, 2).replaceAll('\n', `\n${indent}`));
      }),
      { numRuns: 500 },
    );
  });

  it('values of unexpected types (from an external scanner, say) take the JSON.stringify way', () => {
    const odd = [
      finding({ line: Number.NaN, column: Number.POSITIVE_INFINITY }),
      finding({ container: undefined, message: undefined as unknown as string }),
      finding({ container: null as unknown as string }),
      finding({ fingerprint: { toJSON: () => 'from toJSON' } as unknown as string }),
      finding({ sources: ['minpriv', undefined as unknown as string] }),
      finding({ resource: { apiVersion: 'v1', kind: 'Pod', namespace: undefined, name: 'p', file: 'a.yaml', docIndex: 0, basePath: [] } }),
    ];
    for (const f of odd) expect(jsonFindingText(f, '    ')).toBe(JSON.stringify(jsonFinding(f), null, 2).replaceAll('\n', '\n    '));
    expect(jsonFindingText(odd[0] as Finding, '')).toContain('"line": null');
    expect(jsonFindingText(odd[3] as Finding, '')).toContain('"fingerprint": "from toJSON"');
  });
});

describe('streamed SARIF equals JSON.stringify of toSarif', () => {
  const rules = sampleScan().rules;
  for (const [name, result] of [
    ['empty', empty],
    ['sample fixture scan', sampleScan()],
    ['special characters and unicode', specialResult],
  ] as [string, ScanResult][]) {
    it(name, () => {
      for (const extra of [{}, { root: '/work/répo' }, { maxResults: 1 }]) {
        const options = { toolVersion: '9.9.9', rules, ...extra };
        const expected = `${JSON.stringify(toSarif(result, options), null, 2)}\n`;
        for (const size of [undefined, 1, 300]) expect(joined(renderSarifChunks(result, options, size))).toBe(expected);
      }
    });
  }
});
