/**
 * Fix engine cost: `buildFixes()` (plan, merge, verify by re-parse and re-scan) against `scan()` of the
 * same file, for one file with many documents and one `kind: List` with many items (where verification
 * cannot work document by document). Median of a few runs after a warm-up.
 */

import { buildFixes } from '../src/engine/fix.js';
import type { ScanOptions } from '../src/engine/scan.js';
import { scan } from '../src/engine/scan.js';

const RUNS = 5;
const OPTIONS: ScanOptions = { profile: 'pss-restricted' };

function workload(i: number): string[] {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: app-${i}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: app',
    '        image: nginx:1.27',
    '        ports:',
    '        - containerPort: 80',
    '      - name: sidecar',
    '        image: busybox:1.36',
    '        securityContext:',
    '          privileged: true',
  ];
}

function multiDoc(n: number): string {
  return Array.from({ length: n }, (_, i) => `${workload(i).join('\n')}\n`).join('---\n');
}

function list(n: number): string {
  const items = Array.from({ length: n }, (_, i) => workload(i).map((l, k) => (k === 0 ? `- ${l}` : `  ${l}`)));
  return `apiVersion: v1\nkind: List\nitems:\n${items.map((x) => x.join('\n')).join('\n')}\n`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function measure(text: string): { scanMs: number; fixMs: number; findings: number; fixes: number; declined: number } {
  const path = 'bench.yaml';
  const once = () => {
    const t0 = performance.now();
    const out = scan([{ path, content: text }], OPTIONS);
    const t1 = performance.now();
    const file = out.files.get(path);
    if (!file) throw new Error('not scanned');
    const r = buildFixes(file, out.findings, { scan: OPTIONS });
    return { scanMs: t1 - t0, fixMs: performance.now() - t1, findings: out.findings.length, fixes: r.fixes.length, declined: r.declined.length };
  };
  once();
  const runs = Array.from({ length: RUNS }, once);
  const last = runs[runs.length - 1] as ReturnType<typeof once>;
  return { ...last, scanMs: median(runs.map((r) => r.scanMs)), fixMs: median(runs.map((r) => r.fixMs)) };
}

export async function run(): Promise<string> {
  const cases = [
    { name: '400 Deployments, one per document', text: multiDoc(400) },
    { name: '400 Deployments in one `kind: List`', text: list(400) },
  ];
  const rows = cases.map((c) => {
    const m = measure(c.text);
    return `| ${c.name} | ${c.text.split('\n').length.toLocaleString('en')} | ${m.findings.toLocaleString('en')} | ${m.fixes} | ${m.declined} | ${m.scanMs.toFixed(0)} ms | ${m.fixMs.toFixed(0)} ms | ${(m.fixMs / m.scanMs).toFixed(1)}× |`;
  });
  return [
    '## Fix engine (`bench/fix.bench.ts`)',
    '',
    `Command: \`npx tsx bench/run.ts fix\`. \`buildFixes()\` on one file: plan the ops into line edits, merge them per container/pod spec, and verify every edit (re-parse, re-scan, deep-equal), against \`scan()\` of the same file. Median of ${RUNS} runs after a warm-up.`,
    '',
    '| file | lines | findings | verified fixes | declined | scan | buildFixes | fix / scan |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}
