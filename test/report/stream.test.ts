import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/core/types.js';
import { scan } from '../../src/engine/scan.js';
import { JsonStream, jsonChunks, renderJson, renderJsonChunks } from '../../src/report/json.js';
import { renderSarif, renderSarifChunks } from '../../src/report/sarif.js';
import yamlSyntax from '../../src/rules/yaml-syntax.js';
import { runScan } from '../cli/scan-helpers.js';
import { FIXTURES, fixtureFiles } from '../fixture-files.js';
import { sampleScan } from './report-fixture.js';

const joined = (chunks: Iterable<string>): string => [...chunks].join('');
const fixtures = fixtureFiles(FIXTURES);

describe('streamed JSON and SARIF are byte-identical to the whole-string renderers', () => {
  const scans: [string, ScanResult & { rules?: readonly unknown[] }][] = [
    ['sample', sampleScan()],
    ['empty', { findings: [], suppressed: [], notices: [], filesScanned: 0, resourcesScanned: 0 }],
    ...(['pss-restricted', 'minpriv', 'pss-baseline'] as const).map((profile): [string, ScanResult] => [
      `fixtures ${profile}`,
      scan(fixtures, { profile, keepParsed: false }),
    ]),
  ];

  it('has fixtures with findings, suppressed findings and notices to compare', () => {
    const big = scans[2]?.[1] as ScanResult;
    expect(fixtures.length).toBeGreaterThan(100);
    expect(big.findings.length).toBeGreaterThan(100);
    expect(scans.some(([, r]) => r.suppressed.length > 0)).toBe(true);
    expect(big.notices.length).toBeGreaterThan(0);
  });

  for (const [name, result] of scans) {
    it(`json: ${name}`, () => {
      for (const settings of [undefined, { profile: 'pss-restricted', failOn: 'high' }]) {
        const options = { toolVersion: '1.2.3', ...(settings ? { settings } : {}) };
        const whole = renderJson(result, options);
        expect(joined(renderJsonChunks(result, options))).toBe(whole);
        // Chunk boundaries anywhere change nothing.
        expect(joined(renderJsonChunks(result, options, 1))).toBe(whole);
        expect(joined(renderJsonChunks(result, options, 997))).toBe(whole);
      }
    });

    it(`sarif: ${name}`, () => {
      const rules = [...((result as { rules?: Parameters<typeof renderSarif>[1]['rules'] }).rules ?? []), yamlSyntax];
      for (const extra of [{}, { root: '/work/repo' }, { maxResults: 7 }]) {
        const options = { toolVersion: '1.2.3', rules, ...extra };
        const whole = renderSarif(result, options);
        expect(joined(renderSarifChunks(result, options))).toBe(whole);
        expect(joined(renderSarifChunks(result, options, 500))).toBe(whole);
      }
    });
  }

  it('writes a large report as many chunks, none of them the whole', () => {
    const result = scans[3]?.[1] as ScanResult;
    const chunks = [...renderJsonChunks(result, { toolVersion: '1' }, 4096)];
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(4096 + 10_000);
  });

  it('jsonChunks matches JSON.stringify on nested and empty values', () => {
    const values: unknown[] = [
      {},
      [],
      { a: [], b: {}, c: null, d: undefined, e: 'x\ny\u2028', f: [1, [2, { g: 3 }]], h: 1.5e-7 },
      [undefined, null, 'a'],
      'plain',
      42,
    ];
    for (const v of values) expect(joined(jsonChunks(v, 3))).toBe(`${JSON.stringify(v, null, 2)}\n`);
    const streamed = JsonStream.object({
      a: JsonStream.array([1, JsonStream.object({ b: JsonStream.array([]) }), undefined]),
      c: undefined,
      d: JsonStream.object({}),
    });
    expect(joined(jsonChunks(streamed, 2))).toBe(`${JSON.stringify({ a: [1, { b: [] }, null], d: {} }, null, 2)}\n`);
  });
});

describe('minpriv scan writes the streamed report', () => {
  it('stdout and --output hold the same bytes as the whole-string renderers', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'minpriv-stream-'));
    try {
      for (const f of fixtures.filter((f) => f.path.startsWith('rules/'))) {
        const to = path.join(dir, f.path);
        mkdirSync(path.dirname(to), { recursive: true });
        writeFileSync(to, f.content as string);
      }
      for (const format of ['json', 'sarif']) {
        const out = await runScan(['--format', format, 'rules'], { cwd: dir });
        expect(out.stdout.length).toBeGreaterThan(10_000);
        const file = await runScan(['--format', format, '--output', 'report.out', 'rules'], { cwd: dir });
        expect(file.code).toBe(out.code);
        expect(readFileSync(path.join(dir, 'report.out'), 'utf8')).toBe(out.stdout);
        const parsed = JSON.parse(out.stdout) as { findings?: unknown[]; runs?: unknown[] };
        expect(parsed.findings ?? parsed.runs).toBeDefined();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('waits for a full stdout to drain', async () => {
    const { run } = await import('../../src/cli/scan.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'minpriv-drain-'));
    try {
      for (const f of fixtures.filter((f) => f.path.startsWith('rules/'))) {
        const to = path.join(dir, f.path);
        mkdirSync(path.dirname(to), { recursive: true });
        writeFileSync(to, f.content as string);
      }
      const stdout = new PassThrough({ highWaterMark: 1024 });
      let text = '';
      stdout.setEncoding('utf8');
      // A slow reader: read only after a while.
      setTimeout(() => stdout.on('data', (c: string) => (text += c)), 20);
      const stderr = { write: () => true };
      const code = await run(['--format', 'json', 'rules'], { stdout, stderr, stdin: new PassThrough(), cwd: dir, env: {} });
      expect(code).toBeLessThan(2);
      const reference = await runScan(['--format', 'json', 'rules'], { cwd: dir });
      expect(text).toBe(reference.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
