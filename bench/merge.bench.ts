/**
 * The cost of merging external scanner results: `mergeExternal()` (with minpriv's parse placing the results
 * without lines) against `scan()` of the same manifests, at several sizes and file shapes, with the per-result
 * cost at the largest size over the smallest (1.00× = linear).
 *
 * `npm run bench` (or `npx tsx bench/run.ts merge`). The manifests: Deployments (one per document), bare, so every
 * one has findings, 10 per file or 500 per file (a rendered bundle). Each gets 10 results: 6 that minpriv's rules
 * cover (merged into its findings) and 4 that only the tools report (one tool-only finding per concept).
 * Median of 5 runs after a warm-up; each round times the scan and the merge in turn.
 */
import { performance } from 'node:perf_hooks';
import type { SourceFile } from '../src/core/types.js';
import { scan } from '../src/engine/scan.js';
import { mergeExternal } from '../src/scanners/merge.js';
import { scanLocator } from '../src/scanners/provider.js';
import type { ExternalResult, ScannerRun, ScannerTool } from '../src/scanners/types.js';

const PER_WORKLOAD = 10;
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

function corpus(WORKLOADS: number, PER_FILE: number): SourceFile[] {
  const files: SourceFile[] = [];
  for (let f = 0; f * PER_FILE < WORKLOADS; f++) {
    const docs: string[] = [];
    for (let i = f * PER_FILE; i < Math.min(WORKLOADS, (f + 1) * PER_FILE); i++) docs.push(deployment(i));
    files.push({ path: `apps/bundle-${f}.yaml`, content: `${docs.join('\n---\n')}\n` });
  }
  return files;
}

/** Ten results about Deployment `app-i`, as the parsers give them: Trivy with lines, the others without. */
function resultsFor(i: number, PER_FILE: number): ExternalResult[] {
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
  for (const x of results) {
    const list = byTool.get(x.tool);
    if (list) list.push(x);
    else byTool.set(x.tool, [x]);
  }
  return [...byTool].map(([tool, rs]) => ({ tool, results: rs, notices: [] }));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function time<T>(f: () => T): { ms: number; out: T } {
  const t0 = performance.now();
  const out = f();
  return { ms: performance.now() - t0, out };
}

interface Row {
  results: number;
  perFile: number;
  files: number;
  findings: number;
  enriched: number;
  extra: number;
  scanMs: number;
  mergeMs: number;
}

function measure(count: number, perFile: number): Row {
  const workloads = Math.ceil(count / PER_WORKLOAD);
  const files = corpus(workloads, perFile);
  const results = Array.from({ length: workloads }, (_, i) => resultsFor(i, perFile))
    .flat()
    .slice(0, count);
  const runs = runsOf(results);
  const options = { profile: 'pss-restricted' as const };
  const scanned = scan(files, options);
  const once = mergeExternal([...scanned.findings, ...scanned.suppressed], runs, scanned.rules, { locate: scanLocator(files, scanned) });
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
  return {
    results: results.length,
    perFile,
    files: files.length,
    findings: scanned.findings.length,
    enriched: once.findings.filter((f) => f.sources.length > 1).length,
    extra: once.extra.length,
    scanMs: median(scanMs),
    mergeMs: median(mergeMs),
  };
}

export async function run(): Promise<string> {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const rows = [measure(2_000, 10), measure(10_000, 10), measure(40_000, 10), measure(10_000, 500)];
  const perResult = (r: Row) => (r.mergeMs * 1000) / r.results;
  const small = rows[0] as Row;
  const large = rows[2] as Row;
  const dense = rows[3] as Row;
  return [
    '## Merging external scanner results (`bench/merge.bench.ts`)',
    '',
    `Command: \`npx tsx bench/run.ts merge\`. \`mergeExternal()\` with minpriv's parse placing the results that have no lines (\`scanLocator\`), against \`scan()\` (profile pss-restricted) of the same Deployments; 10 results per Deployment (6 merged into minpriv's findings, 4 tool-only: one finding per concept); median of ${RUNS} runs after a warm-up.`,
    '',
    '| results | Deployments per file | files | minpriv findings | enriched | tool-only findings | scan | merge (with locate) | merge / scan | per result |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${fmt(r.results)} | ${r.perFile} | ${fmt(r.files)} | ${fmt(r.findings)} | ${fmt(r.enriched)} | ${fmt(r.extra)} | ${r.scanMs.toFixed(0)} ms | ${r.mergeMs.toFixed(0)} ms | ${(r.mergeMs / r.scanMs).toFixed(2)}× | ${perResult(r).toFixed(1)} µs |`,
    ),
    '',
    `Per-result cost (1.00× = linear): 40,000 over 2,000 results ${(perResult(large) / perResult(small)).toFixed(2)}×; 500 Deployments per file over 10 per file (10,000 results) ${(perResult(dense) / perResult(rows[1] as Row)).toFixed(2)}×.`,
    '',
    "What changed (issue 15, stop 19): `mergeExternal` tried every minpriv finding for each external result, every tool-only group for each leftover result, and placing or suppressing a result walked every object of its file; the old `bench/merge.ts` measured 58 µs per result at 10,000 results and 291 µs at 40,000 (the merge 10–38× the scan). Results are now matched through an index by file, rule id and object name, groups are tried within their file and subject only, and a file's objects are looked up by kind and name, with spans and ids built once per file. Same output: 300 random rounds (1–60 results each: names, kinds in another case, missing or `default` namespaces, line-only results, other files) over test/fixtures and the shared corpus, old against new `mergeExternal` and `scanLocator`, 300/300 identical JSON; test/scanners/merge.test.ts holds a file of 300 Deployments and 300 Services of the same names.",
  ].join('\n');
}
