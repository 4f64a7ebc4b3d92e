/**
 * Scan throughput: the full `scan()` (profile pss-restricted, every rule) against a bare js-yaml
 * `loadAll` of the same texts, on the generated corpus of bench/scan-corpus.ts.
 *
 * Fair by construction: a warm-up round first; then paired rounds, each running every side once in
 * a rotating order, with a full garbage collection before each run so that no run pays for the
 * garbage of the one before; the headline is the median of the per-round ratios. Peak memory is
 * measured in a child process per side, so each peak is clean.
 *
 * The baseline is js-yaml's CommonJS build, the one `scan()` parses with (src/yaml/parse.ts): its ES
 * module build is 2-3× slower on Node 20, and comparing against it would flatter the scan. Its time
 * is shown too, as what `import { loadAll } from 'js-yaml'` costs.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadAll as loadAllEsm } from 'js-yaml';
import type { SourceFile } from '../src/core/types.js';
import { scan } from '../src/engine/scan.js';
import { generateCorpus, WORKLOADS } from './scan-corpus.js';

export { generateCorpus };

const { loadAll } = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml');
const ROUNDS = 11;
/** Smaller cuts of the corpus for the per-workload guard (the full corpus is the largest size). */
const SWEEP = [1_000, 5_000];
const WORKER_ENV = 'MINPRIV_SCAN_BENCH_WORKER';

/**
 * Why the ≤ 1.5× target is missed, from a profile (not re-measured by this bench: the figures are
 * those of the run named in the text).
 */
const WHAT_IS_LEFT = [
  "**What is left, and why (target ≤ 1.5× missed).** Profile of the report-only scan as `minpriv scan` runs it (`node --cpu-prof`, five scans of the 20,000-workload corpus after two warm-ups, 2026-12-06; shares of the scans' samples, the garbage collector's included): the parse 39 % (js-yaml's tokenizer and construction, which `loadAll` does too, about 33 %; minpriv's event index and line starts about 3 %), the rules 29 % (making the findings 20 %: the position of each finding, its fingerprint — a SHA-256 per finding, 3 % on its own —, its suppression and its flat strings; the rules' own logic about 9 %), the garbage collector 27 %, the rest (listing objects, suppression comments, counting resources) 5 %. `loadAll` is js-yaml's `parseEvents` followed by `constructFromEvents`, the two calls `parseYamlFile` makes, so the parse alone is about 1.15× `loadAll`; ≤ 1.5× would leave a third of a bare parse to run every rule over 26,000 documents and make 64,000 findings with positions and fingerprints, and making the findings alone costs about half of one. A larger young generation does not change the ratio: `--max-semi-space-size=64` makes `loadAll` and the scan about 13 % cheaper alike (CPU ratio scan / `loadAll` 2.24× with the default, 2.21× with it; 7 paired rounds in each process). What would move it: one pass that builds values and positions together (js-yaml's API builds values from a finished event list; it would mean forking its parser) and fewer findings per workload for the same information (one finding per control and pod instead of per container), which changes what users see and is not a speed decision.",
  '\n\n',
  "What the last step changed (issue 15): making a finding was about a third of the report-only scan's CPU, most of it work done again per finding. `PathLocator` (src/yaml/locate.ts), one per scanned file, walks only the path segments a finding does not share with the previous one (a scan reports object by object and rule by rule, so consecutive paths share long prefixes) and allocates no position objects; report-only paths are shared through a tree of segments; the resource part of a fingerprint is built once per object; the byte cap is decided from a string's length when that is enough. Paired in one process against the previous code: CPU 0.88× (9 rounds) and 0.96× (7 rounds) on a shared machine. Same bytes: `scan` JSON, SARIF, text and text `--show-suppressed` with three profiles over test/fixtures and ../shared/corpus, and the 20,000-workload corpus, compared with `cmp` (29 runs); test/yaml/path-locator.test.ts checks the locator against `positionOf`.",
].join('');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type Side = 'parse' | 'parse-esm' | 'parse-kept' | 'scan' | 'scan-nokeep' | 'scan-cli';
const SIDES: readonly Side[] = ['parse', 'parse-esm', 'parse-kept', 'scan', 'scan-nokeep', 'scan-cli'];
const SWEEP_SIDES: readonly Side[] = ['parse', 'scan', 'scan-cli'];

/** Run one side once and return what it produced, so that nothing is optimised away. */
function runSide(side: Side, files: readonly SourceFile[]): unknown {
  switch (side) {
    case 'parse': {
      let docs = 0;
      for (const f of files) docs += loadAll(f.content as string).length;
      return docs;
    }
    case 'parse-esm': {
      let docs = 0;
      for (const f of files) docs += loadAllEsm(f.content as string).length;
      return docs;
    }
    case 'parse-kept':
      return files.map((f) => loadAll(f.content as string));
    case 'scan':
      return scan(files, { profile: 'pss-restricted' });
    case 'scan-nokeep':
      return scan(files, { profile: 'pss-restricted', keepParsed: false });
    case 'scan-cli':
      return scan(files, { profile: 'pss-restricted', keepParsed: false, reportOnly: true });
  }
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Wall and CPU milliseconds of one run, after a full collection. CPU counts the GC's helper threads. */
function time(side: Side, files: readonly SourceFile[]): Timing {
  gc();
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  let result = runSide(side, files);
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  const d = process.cpuUsage(c);
  result = undefined;
  void result;
  return { wall, cpu: (d.user + d.system) / 1000 };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Child mode: generate the corpus, run one side once keeping its result, print peak RSS and live heap. */
function worker(side: string): void {
  const files = generateCorpus();
  const kept = side === 'none' ? undefined : runSide(side as Side, files);
  gc();
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
const ms = (n: number) => `${n.toFixed(0)} ms`;

export async function run(): Promise<string> {
  const files = generateCorpus();
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content as string), 0);
  const probe = scan(files, { profile: 'pss-restricted', keepParsed: false });
  const documents = (runSide('parse', files) as number).toLocaleString('en');
  for (const side of SIDES) runSide(side, files);
  const runs = new Map<Side, Timing[]>(SIDES.map((s) => [s, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so that no side always runs first (or right after the heaviest one).
    for (let k = 0; k < SIDES.length; k++) {
      const side = SIDES[(round + k) % SIDES.length] as Side;
      runs.get(side)?.push(time(side, files));
    }
  }
  const of = (s: Side) => runs.get(s) as Timing[];
  const wall = (s: Side) => median(of(s).map((x) => x.wall));
  const cpu = (s: Side) => median(of(s).map((x) => x.cpu));
  const ratio = (s: Side, key: keyof Timing) => median(of(s).map((x, i) => x[key] / (of('parse')[i] as Timing)[key]));
  const mem = {
    none: measureChild('none'),
    parse: measureChild('parse-kept'),
    scan: measureChild('scan'),
    nokeep: measureChild('scan-nokeep'),
    cli: measureChild('scan-cli'),
  };
  // The guard: the same scans on smaller cuts of the corpus, per workload against the full one.
  const sweep = SWEEP.map((n) => {
    const cut = generateCorpus(n);
    for (const side of SWEEP_SIDES) runSide(side, cut);
    const times = new Map<Side, number[]>(SWEEP_SIDES.map((s) => [s, []]));
    // Each sample covers at least the 5k workloads: a smaller cut is run several times over (time per pass).
    const reps = Math.max(1, Math.ceil(5_000 / n));
    const perPass = (side: Side): number => {
      gc();
      const t = process.hrtime.bigint();
      for (let i = 0; i < reps; i++) runSide(side, cut);
      return Number(process.hrtime.bigint() - t) / 1e6 / reps;
    };
    for (let round = 0; round < ROUNDS; round++) for (const side of SWEEP_SIDES) times.get(side)?.push(perPass(side));
    return { n, wall: (s: Side) => median(times.get(s) as number[]) };
  });
  const full = { n: WORKLOADS, wall };
  const perWorkload = (row: { n: number; wall: (s: Side) => number }, s: Side) => (row.wall(s) / row.n) * 1000;
  const smallest = sweep[0] ?? full;
  const growth = (s: Side) => perWorkload(full, s) / perWorkload(smallest, s);
  const guard = `Per-workload cost, ${WORKLOADS.toLocaleString('en')} over ${smallest.n.toLocaleString('en')} workloads (1.00× = linear): scan ${growth('scan').toFixed(2)}×, report-only scan ${growth('scan-cli').toFixed(2)}×, bare parse ${growth('parse').toFixed(2)}×.`;
  process.stderr.write(`bench: ${guard}\n`);
  const sizeRow = (row: { n: number; wall: (s: Side) => number }) =>
    `| ${row.n.toLocaleString('en')} | ${SWEEP_SIDES.map((s) => `${perWorkload(row, s).toFixed(1)} µs`).join(' | ')} |`;
  const resources = probe.resourcesScanned;
  const rate = (s: Side) => Math.round(resources / (wall(s) / 1000)).toLocaleString('en');
  const row = (label: string, s: Side, memory?: { rss: number; heap: number }) =>
    `| ${label} | ${ms(wall(s))} | ${ms(cpu(s))} | ${rate(s)} | ${s === 'parse' ? '1.00×' : `${ratio(s, 'wall').toFixed(2)}×`} | ${memory ? `${mb(memory.rss)} | ${mb(memory.heap)}` : ' | '} |`;
  return [
    '## Scan throughput (`bench/scan.bench.ts`)',
    '',
    `Command: \`npm run bench\` (or \`npx tsx bench/run.ts scan\`). Corpus (bench/scan-corpus.ts): ${resources.toLocaleString('en')} workloads (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods, ReplicaSets, Argo Rollouts; one to three containers, some init containers; a third hardened, a third half-hardened, some risky) among ${documents} documents with Services, ConfigMaps and ServiceAccounts, in ${files.length} files from one app to rendered bundles of hundreds of documents, ${(bytes / 1024 / 1024).toFixed(1)} MB; the scan reports ${probe.findings.length.toLocaleString('en')} findings (${probe.suppressed.length} suppressed).`,
    '',
    `Median of ${ROUNDS} rounds after a warm-up; each round runs every row once, in a rotating order, each run after a full garbage collection. Peak RSS and the live heap holding the result are measured in a child process per row.`,
    '',
    '| | median wall time | median CPU time | workloads/s (wall) | × bare parse (wall) | peak RSS (child) | live heap with result (child) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('js-yaml `loadAll`, CommonJS build (baseline: the build `scan()` parses with)', 'parse'),
    row('js-yaml `loadAll`, ES module build (`import { loadAll } from "js-yaml"`)', 'parse-esm'),
    row('js-yaml `loadAll` (CommonJS), every result kept until the end', 'parse-kept', mem.parse),
    row('minpriv `scan()`, pss-restricted (keeps each parse for fixes, as the App)', 'scan', mem.scan),
    row('minpriv `scan()`, `keepParsed: false`', 'scan-nokeep', mem.nokeep),
    row('minpriv `scan()`, `keepParsed: false, reportOnly: true` (as `minpriv scan`)', 'scan-cli', mem.cli),
    '',
    `By corpus size (the corpus cut at each size; median wall time per workload of ${ROUNDS} runs, each after a full collection):`,
    '',
    '| workloads | bare parse | `scan()` | `scan()`, report-only (as `minpriv scan`) |',
    '| ---: | ---: | ---: | ---: |',
    ...sweep.map(sizeRow),
    sizeRow(full),
    '',
    guard,
    '',
    `Ratio scan / bare parse (median of the ${ROUNDS} per-round ratios): **${ratio('scan', 'wall').toFixed(2)}×** wall, ${ratio('scan', 'cpu').toFixed(2)}× CPU (target ≤ 1.5×); without kept parses ${ratio('scan-nokeep', 'wall').toFixed(2)}× wall, ${ratio('scan-nokeep', 'cpu').toFixed(2)}× CPU; report-only, as \`minpriv scan\` runs it, ${ratio('scan-cli', 'wall').toFixed(2)}× wall, ${ratio('scan-cli', 'cpu').toFixed(2)}× CPU. Against the ES module build of \`loadAll\`: ${(wall('scan') / wall('parse-esm')).toFixed(2)}× wall. CPU time counts the garbage collector's helper threads. The generated corpus alone takes ${mb(mem.none.rss)} RSS in the child. Timed through tsx, as \`npm run bench\` runs it.`,
    '',
    WHAT_IS_LEFT,
  ].join('\n');
}

const side = process.env[WORKER_ENV];
if (side) worker(side);
