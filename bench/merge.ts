/**
 * The overhead of merging external scanner results: `mergeExternal()` (with minpriv's parse placing the results
 * without lines) on 10,000 results from the four tools, against `scan()` of the same manifests.
 *
 * `npx tsx bench/merge.ts [results]`: prints a Markdown table. Not part of `npm run bench` (bench/run.ts).
 * The manifests: 1,000 Deployments (one per document, 10 per file), bare, so every one has findings. Each gets
 * 10 results: 6 that minpriv's rules cover (merged into its findings) and 4 that only the tools report (one
 * tool-only finding per concept). Median of 5 runs after a warm-up.
 */
import { performance } from 'node:perf_hooks';
import type { SourceFile } from '../src/core/types.js';
import { scan } from '../src/engine/scan.js';
import { mergeExternal } from '../src/scanners/merge.js';
import { scanLocator } from '../src/scanners/provider.js';
import type { ExternalResult, ScannerRun, ScannerTool } from '../src/scanners/types.js';

const RESULTS = Number(process.argv[2] ?? 10_000);
const PER_WORKLOAD = 10;
const WORKLOADS = Math.ceil(RESULTS / PER_WORKLOAD);
const PER_FILE = 10;
const RUNS = 5;

function deployment(i: number): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: app-${i}`,
    '  namespace: shop',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `      - name: app-${i}`,
    `        image: ghcr.io/acme/app-${i}:1.0.0`,
    '        securityContext:',
    '          privileged: true',
  ].join('\n');
}

function corpus(): SourceFile[] {
  const files: SourceFile[] = [];
  for (let f = 0; f * PER_FILE < WORKLOADS; f++) {
    const docs: string[] = [];
    for (let i = f * PER_FILE; i < Math.min(WORKLOADS, (f + 1) * PER_FILE); i++) docs.push(deployment(i));
    files.push({ path: `apps/bundle-${f}.yaml`, content: `${docs.join('\n---\n')}\n` });
  }
  return files;
}

/** Ten results about Deployment `app-i`, as the parsers give them: Trivy with lines, the others without. */
function resultsFor(i: number): ExternalResult[] {
  const file = `apps/bundle-${Math.floor(i / PER_FILE)}.yaml`;
  const start = (i % PER_FILE) * 14 + 1;
  const resource = { kind: 'Deployment', name: `app-${i}`, namespace: 'shop' };
  const container = `app-${i}`;
  const c0 = 'spec.template.spec.containers[0]';
  const r = (tool: ScannerTool, id: string, extra: Partial<ExternalResult> = {}): ExternalResult => ({
    tool,
    toolId: id,
    normalizedId: id,
    title: id,
    message: `${tool} ${id} on app-${i}`,
    severity: 'high',
    file,
    resource,
    container,
    ...extra,
  });
  const lines = { line: start + 9, endLine: start + 12 };
  return [
    // Covered by minpriv's rules: merged.
    r('trivy', 'KSV-0017', lines),
    r('kubescape', 'C-0057', { path: `${c0}.securityContext.privileged` }),
    r('kube-linter', 'privileged-container'),
    r('trivy', 'KSV-0001', lines),
    r('kubescape', 'C-0016', { path: `${c0}.securityContext.allowPrivilegeEscalation` }),
    r('kube-linter', 'run-as-non-root'),
    // Only the tools: three tools, one concept (one finding), and one more concept.
    r('trivy', 'KSV-0014', lines),
    r('kubescape', 'C-0017', { path: `${c0}.securityContext.readOnlyRootFilesystem` }),
    r('kube-linter', 'no-read-only-root-fs'),
    r('datree', 'CONTAINERS_MISSING_LIVENESSPROBE_KEY', { path: c0 }),
  ];
}

function runsOf(results: readonly ExternalResult[]): ScannerRun[] {
  const byTool = new Map<ScannerTool, ExternalResult[]>();
  for (const x of results) byTool.set(x.tool, [...(byTool.get(x.tool) ?? []), x]);
  return [...byTool].map(([tool, rs]) => ({ tool, results: rs, notices: [] }));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function time<T>(f: () => T): { ms: number; out: T } {
  const t0 = performance.now();
  const out = f();
  return { ms: performance.now() - t0, out };
}

const files = corpus();
const results = Array.from({ length: WORKLOADS }, (_, i) => resultsFor(i))
  .flat()
  .slice(0, RESULTS);
const runs = runsOf(results);
const options = { profile: 'pss-restricted' as const };

const scanned = scan(files, options);
const once = mergeExternal([...scanned.findings, ...scanned.suppressed], runs, scanned.rules, { locate: scanLocator(files, scanned) });
const enriched = once.findings.filter((f) => f.sources.length > 1).length;

const scanMs: number[] = [];
const mergeMs: number[] = [];
for (let round = 0; round <= RUNS; round++) {
  const s = time(() => scan(files, options));
  const m = time(() => mergeExternal([...s.out.findings, ...s.out.suppressed], runs, s.out.rules, { locate: scanLocator(files, s.out) }));
  // Round 0 warms up.
  if (round === 0) continue;
  scanMs.push(s.ms);
  mergeMs.push(m.ms);
}

const fmt = (n: number) => n.toLocaleString('en-US');
process.stdout.write(
  [
    `Merging ${fmt(results.length)} external results into the findings of ${fmt(WORKLOADS)} Deployments (${fmt(files.length)} files), median of ${RUNS} runs:`,
    '',
    '| results | minpriv findings | enriched | tool-only findings | scan | merge (with locate) | merge / scan | per result |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${fmt(results.length)} | ${fmt(scanned.findings.length)} | ${fmt(enriched)} | ${fmt(once.extra.length)} | ${median(scanMs).toFixed(0)} ms | ${median(mergeMs).toFixed(0)} ms | ${(median(mergeMs) / median(scanMs)).toFixed(2)}× | ${((median(mergeMs) * 1000) / results.length).toFixed(1)} µs |`,
    '',
  ].join('\n'),
);
