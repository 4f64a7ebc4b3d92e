/**
 * Scan throughput: the full `scan()` (profile pss-restricted, every rule) against a bare js-yaml
 * `loadAll` of the same texts, on a generated corpus of realistic workloads. Timing is the median
 * of several runs after a warm-up, in this process; peak memory is measured in a child process per
 * side so that each peak is clean.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import type { SourceFile } from '../src/core/types.js';
import { scan } from '../src/engine/scan.js';

const RESOURCES = 20_000;
const PER_FILE = 400;
const RUNS = 9;
const WORKER_ENV = 'MINPRIV_SCAN_BENCH_WORKER';

/** Deterministic pseudo-random numbers, so every run scans the same corpus. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const IMAGES = ['nginx:1.27.1', 'ghcr.io/acme/api:4.2.0', 'redis:7.4', 'envoyproxy/envoy:v1.31.0', 'busybox:1.36', 'ghcr.io/acme/worker:2.0.3'];

function container(r: () => number, name: string, indent: string, hardened: boolean): string[] {
  const image = IMAGES[Math.floor(r() * IMAGES.length)] as string;
  const lines = [
    `${indent}- name: ${name}`,
    `${indent}  image: ${image}`,
    `${indent}  ports:`,
    `${indent}    - containerPort: ${8000 + Math.floor(r() * 1000)}`,
    `${indent}  resources:`,
    `${indent}    requests: {cpu: ${50 + Math.floor(r() * 200)}m, memory: ${64 + Math.floor(r() * 192)}Mi}`,
  ];
  if (hardened) {
    lines.push(`${indent}  securityContext:`, `${indent}    allowPrivilegeEscalation: false`, `${indent}    capabilities:`, `${indent}      drop: ["ALL"]`);
  } else if (r() < 0.3) {
    lines.push(`${indent}  securityContext:`, `${indent}    privileged: true`);
  }
  return lines;
}

function podSpec(r: () => number, app: string, indent: string): string[] {
  const hardened = r() < 0.5;
  const out: string[] = [];
  if (hardened) out.push(`${indent}securityContext:`, `${indent}  runAsNonRoot: true`, `${indent}  seccompProfile: {type: RuntimeDefault}`);
  if (r() < 0.1) out.push(`${indent}hostNetwork: true`);
  out.push(`${indent}containers:`);
  const n = 2 + Math.floor(r() * 2);
  for (let i = 0; i < n; i++) out.push(...container(r, i === 0 ? app : `sidecar-${i}`, `${indent}  `, hardened));
  if (r() < 0.15) out.push(`${indent}volumes:`, `${indent}  - name: host`, `${indent}    hostPath: {path: /var/run}`);
  return out;
}

function resource(r: () => number, i: number): string {
  const app = `app-${i}`;
  const pick = r();
  const meta = ['metadata:', `  name: ${app}`, `  namespace: team-${i % 37}`, `  labels: {app: ${app}}`];
  if (pick < 0.6 || pick >= 0.85) {
    const kind = pick < 0.6 ? 'Deployment' : 'StatefulSet';
    return [
      'apiVersion: apps/v1',
      `kind: ${kind}`,
      ...meta,
      'spec:',
      `  replicas: ${1 + (i % 5)}`,
      '  template:',
      '    spec:',
      ...podSpec(r, app, '      '),
    ].join('\n');
  }
  return [
    'apiVersion: batch/v1',
    'kind: CronJob',
    ...meta,
    'spec:',
    `  schedule: "${i % 60} * * * *"`,
    '  jobTemplate:',
    '    spec:',
    '      template:',
    '        spec:',
    ...podSpec(r, app, '          '),
  ].join('\n');
}

export function generateCorpus(): SourceFile[] {
  const r = rng(42);
  const files: SourceFile[] = [];
  for (let f = 0; f * PER_FILE < RESOURCES; f++) {
    const docs: string[] = [];
    for (let i = f * PER_FILE; i < Math.min(RESOURCES, (f + 1) * PER_FILE); i++) docs.push(resource(r, i));
    files.push({ path: `clusters/prod/apps-${String(f).padStart(3, '0')}.yaml`, content: `${docs.join('\n---\n')}\n` });
  }
  return files;
}

/** The same parse, keeping every document until all files are read, as a scan keeps its results. */
function keptParse(files: SourceFile[]): number {
  const kept = files.map((f) => loadAll(f.content as string));
  return kept.length;
}

function bareParse(files: SourceFile[]): number {
  let docs = 0;
  for (const f of files) docs += loadAll(f.content as string).length;
  return docs;
}

function fullScan(files: SourceFile[], keepParsed = true): number {
  return scan(files, { profile: 'pss-restricted', keepParsed }).resourcesScanned;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Wall and CPU milliseconds of one call. CPU time holds up better when other work shares the machine. */
function time(fn: () => unknown): { wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  fn();
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  const d = process.cpuUsage(c);
  return { wall, cpu: (d.user + d.system) / 1000 };
}

/** Child mode: generate the corpus, run one side once keeping its result, print peak RSS and live heap in bytes. */
function worker(side: string): void {
  const files = generateCorpus();
  let kept: unknown;
  if (side === 'parse') kept = files.map((f) => loadAll(f.content as string));
  if (side === 'scan') kept = scan(files, { profile: 'pss-restricted' });
  if (side === 'scan-cli') kept = scan(files, { profile: 'pss-restricted', keepParsed: false });
  const heap = process.memoryUsage().heapUsed;
  process.stdout.write(JSON.stringify({ rss: process.resourceUsage().maxRSS * 1024, heap, kept: kept === undefined ? 0 : 1 }));
}

function measureChild(side: string): { rss: number; heap: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, [WORKER_ENV]: side },
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(out) as { rss: number; heap: number };
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

export async function run(): Promise<string> {
  const files = generateCorpus();
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content as string), 0);
  // Warm-up: JIT both paths before timing.
  bareParse(files);
  const resources = fullScan(files);
  const parseRuns: { wall: number; cpu: number }[] = [];
  const keptRuns: { wall: number; cpu: number }[] = [];
  const scanRuns: { wall: number; cpu: number }[] = [];
  const cliRuns: { wall: number; cpu: number }[] = [];
  fullScan(files, false);
  for (let i = 0; i < RUNS; i++) {
    parseRuns.push(time(() => bareParse(files)));
    keptRuns.push(time(() => keptParse(files)));
    scanRuns.push(time(() => fullScan(files)));
    cliRuns.push(time(() => fullScan(files, false)));
  }
  const p = median(parseRuns.map((x) => x.wall));
  const s = median(scanRuns.map((x) => x.wall));
  const pc = median(parseRuns.map((x) => x.cpu));
  const k = median(keptRuns.map((x) => x.wall));
  const kc = median(keptRuns.map((x) => x.cpu));
  const sc = median(scanRuns.map((x) => x.cpu));
  const l = median(cliRuns.map((x) => x.wall));
  const lc = median(cliRuns.map((x) => x.cpu));
  const mem = { base: measureChild('none'), parse: measureChild('parse'), scan: measureChild('scan'), cli: measureChild('scan-cli') };
  // Each scan is paired with the parse timed just before it: the median of the pair ratios holds up
  // better than a ratio of medians when other work shares the machine.
  const ratio = median(scanRuns.map((x, i) => x.wall / (parseRuns[i] as { wall: number }).wall));
  const cliRatio = median(cliRuns.map((x, i) => x.wall / (parseRuns[i] as { wall: number }).wall));
  return [
    '## Scan throughput (`bench/scan.bench.ts`)',
    '',
    `Command: \`npm run bench\` (or \`npx tsx bench/run.ts scan\`). Corpus: ${resources.toLocaleString('en')} generated workloads (Deployments, StatefulSets, CronJobs; 2-3 containers each) in ${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB. Median of ${RUNS} runs after a warm-up.`,
    '',
    '| | median wall time | median CPU time | resources/s (wall) | peak RSS (child) | live heap with result (child) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| js-yaml \`loadAll\` (baseline) | ${p.toFixed(0)} ms | ${pc.toFixed(0)} ms | ${Math.round(resources / (p / 1000)).toLocaleString('en')} | ${mb(mem.parse.rss)} | ${mb(mem.parse.heap)} |`,
    `| js-yaml \`loadAll\`, every result kept until the end | ${k.toFixed(0)} ms | ${kc.toFixed(0)} ms | ${Math.round(resources / (k / 1000)).toLocaleString('en')} | | |`,
    `| minpriv \`scan()\`, pss-restricted (keeps each parse for fixes, as the App) | ${s.toFixed(0)} ms | ${sc.toFixed(0)} ms | ${Math.round(resources / (s / 1000)).toLocaleString('en')} | ${mb(mem.scan.rss)} | ${mb(mem.scan.heap)} |`,
    `| minpriv \`scan()\`, \`keepParsed: false\` (as \`minpriv scan\`) | ${l.toFixed(0)} ms | ${lc.toFixed(0)} ms | ${Math.round(resources / (l / 1000)).toLocaleString('en')} | ${mb(mem.cli.rss)} | ${mb(mem.cli.heap)} |`,
    '',
    `Ratio scan / bare parse (median of the ${RUNS} paired runs): **${ratio.toFixed(2)}×** wall, ${(sc / pc).toFixed(2)}× CPU (target ≤ 1.5×); without kept parses ${cliRatio.toFixed(2)}× wall, ${(lc / pc).toFixed(2)}× CPU. CPU time counts the garbage collector's helper threads, which mark the retained parses in parallel. The generated corpus alone takes ${mb(mem.base.rss)} RSS in the child. Timed through tsx, as \`npm run bench\` runs it.`,
  ].join('\n');
}

const side = process.env[WORKER_ENV];
if (side) worker(side);
