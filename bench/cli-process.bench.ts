/**
 * The whole `minpriv scan` process against a bare-parse process, on the bench corpus written to disk at
 * 20k and 50k workloads: what a user waits for and what the machine must hold, start-up, reading,
 * scanning and writing the report included.
 *
 * The CLI is the compiled one (`tsc -p tsconfig.build.json` into a temporary folder, as `npm run build`
 * makes `dist/`), run with `node` as the `minpriv` bin runs it; its report goes to a file (`--output`).
 * The baseline is a tiny script that walks the same folder and runs js-yaml's `loadAll` (the CommonJS
 * build, the one `scan()` parses with) on each file in turn, keeping nothing.
 *
 * Paired rounds: each round runs every side once, in a rotating order; the headline ratios are the medians
 * of the per-round ratios. Peak RSS is the child's own `process.resourceUsage().maxRSS`, written by a
 * preloaded module when it exits (the same figure as `/usr/bin/time -v`'s "Maximum resident set size").
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MemoryBreakdown } from './cli-memory.js';
import { generateCorpus } from './scan-corpus.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = [20_000, 50_000];
const ROUNDS = Number(process.env.MINPRIV_BENCH_ROUNDS ?? 5);
const TARGET = 2;

const BARE = `import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
const { loadAll } = createRequire(${JSON.stringify(path.join(ROOT, 'package.json'))})('js-yaml');
function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\\.ya?ml$/i.test(e.name)) out.push(p);
  }
  return out;
}
let docs = 0;
for (const f of walk(process.argv[2])) docs += loadAll(readFileSync(f, 'utf8')).length;
process.stdout.write(String(docs));
`;

/** Preloaded into every child: its peak RSS, written where the parent reads it. */
const PEAK = `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const u = process.resourceUsage();
  writeFileSync(process.env.MINPRIV_BENCH_PEAK, JSON.stringify({ rss: u.maxRSS * 1024, cpu: (u.userCPUTime + u.systemCPUTime) / 1000 }));
});
`;

type Side = 'bare' | 'json' | 'sarif';
const SIDES: readonly Side[] = ['bare', 'json', 'sarif'];

interface Sample {
  wall: number;
  /** User and system CPU milliseconds of the child, its GC threads included: steadier than wall time on a shared machine. */
  cpu: number;
  rss: number;
}

interface Work {
  dir: string;
  cli: string;
  bare: string;
  peak: string;
}

/** The CLI compiled into `dir/dist`, with the repository's node_modules beside it. */
function build(dir: string): string {
  try {
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', path.join(dir, 'dist')],
      {
        stdio: 'pipe',
      },
    );
  } catch (err) {
    // A type error elsewhere in the tree still emits JavaScript; only a missing CLI stops the bench.
    if (!existsSync(path.join(dir, 'dist/cli/main.js'))) throw err;
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return path.join(dir, 'dist/cli/main.js');
}

function writeCorpus(dir: string, workloads: number): { files: number; bytes: number } {
  let bytes = 0;
  const files = generateCorpus(workloads);
  for (const f of files) {
    const to = path.join(dir, f.path);
    mkdirSync(path.dirname(to), { recursive: true });
    writeFileSync(to, f.content as string);
    bytes += Buffer.byteLength(f.content as string);
  }
  return { files: files.length, bytes };
}

function runChild(work: Work, side: Side, corpus: string): Promise<Sample & { code: number | null }> {
  const args =
    side === 'bare' ? [work.bare, corpus] : [work.cli, 'scan', '--format', side, '--output', path.join(work.dir, `report.${side}`), '--no-config', '.'];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', work.peak, ...args], {
      cwd: corpus,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, MINPRIV_BENCH_PEAK: path.join(work.dir, 'peak') },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e6;
      // 0: no finding at --fail-on, 1: findings; anything else is a failed run, not a sample.
      if (code !== 0 && code !== 1) reject(new Error(`${side} exited ${code}: ${stderr}`));
      else resolve({ wall, ...(JSON.parse(readFileSync(path.join(work.dir, 'peak'), 'utf8')) as { rss: number; cpu: number }), code });
    });
  });
}

/** What the figures say; kept here so that a rerun of the bench keeps it next to them. */
const NOTES = [
  "**Output.** JSON and SARIF are written as they are made: one finding (one SARIF result) at a time, joined into chunks of about 64 KiB, each written when ready (standard output: waiting for `drain` when a pipe is full; `--output`: one awaited write per chunk); the report is never one string. A finding is written by `jsonFindingText`, straight from the finding, not building the `jsonFinding` object nor re-indenting `JSON.stringify` text, and takes the `JSON.stringify` way for any value of an unexpected type. The bytes are the same as before: `scan --format json` and `--format sarif` over `test/fixtures` and over this corpus at 20k and 50k workloads, saved before the change and compared with `cmp` after it, are identical; `test/report/stream-bytes.test.ts` compares the streamed bytes with `JSON.stringify` of the whole report object (empty, fixture, unicode and special-character reports, and 500 generated findings), `test/report/stream.test.ts` with the whole-string renderers over every fixture. In a CPU profile of the JSON run at 20k workloads, making and writing the report is under a tenth of the process's CPU.",
  '',
  "**What is left, and why.** The peak is reached at the end of the scan, before any output: the files as read, every finding, and the garbage V8 lets the old generation grow to before a full collection (roughly as much again as the live heap). The findings are what grows with the corpus, about 1.3 KB each, and two parts of them are dead weight for a report: the fix intents (edit operations with their paths and values; the reports print only a fix's title and confidence) and, through them and through strings taken from the YAML, the text of every file (a string sliced from a file keeps the whole file alive). Dropping both and sharing the `sources` array halves the live heap (the last columns above). That alone does not reach 2×: with half the live heap and the same proportion of garbage, the 50k peak would still be about 2.4× the bare parse's; the rest needs the files read one at a time as they are scanned (the bare parse holds one file, the CLI all of them) and findings kept in a compact record (or spilled to disk and merged) rather than as objects. The time follows the memory: the bare parse is one pass of js-yaml; the scan is the same parse plus positions, objects, rules and fingerprints, and the garbage collector, which works in proportion to the live findings, takes about a quarter of the main thread's time in the same profile. All of it lives in `src/engine` and `src/sources` (out of this change's hands); the proposals: a report-only scan option that keeps a fix's title and confidence only (as `keepParsed: false` does for parses), strings copied flat where a finding or a resource id takes them from the YAML, one frozen `['minpriv']` sources array, and reading each file just before it is scanned instead of all of them first.",
].join('\n');

const STEPS = [
  'strings of the findings copied flat (no longer slices of the file texts)',
  '+ fixes cut to title and confidence (all a report prints)',
  "+ one shared `sources: ['minpriv']`",
];

/** The memory breakdown of bench/cli-memory.ts, run in a child with the garbage collector exposed. */
function breakdown(corpus: string): MemoryBreakdown {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(ROOT, 'bench/cli-memory.ts'), corpus], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(out) as MemoryBreakdown;
}

function memoryRow(n: number, m: MemoryBreakdown, peak: number): string {
  const perFinding = (heap: number) => `${Math.round(heap / m.findings).toLocaleString('en')} B`;
  const steps = m.steps.map((s) => `${mb(s.heap)} (${perFinding(s.heap)})`);
  return `| ${n.toLocaleString('en')} | ${m.findings.toLocaleString('en')} | ${mb(m.input)} | ${mb(m.findingsHeap)} | ${perFinding(m.findingsHeap)} | ${steps.join(' | ')} | ${mb(peak - m.input - m.findingsHeap)} |`;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const sec = (n: number) => `${(n / 1000).toFixed(2)} s`;

export async function run(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'minpriv-cli-bench-'));
  try {
    const work: Work = { dir, cli: build(dir), bare: path.join(dir, 'bare.mjs'), peak: path.join(dir, 'peak.mjs') };
    writeFileSync(work.bare, BARE);
    writeFileSync(work.peak, PEAK);
    const rows: string[] = [];
    const verdicts: string[] = [];
    const memory: string[] = [];
    for (const n of SIZES) {
      const corpus = path.join(dir, `corpus-${n}`);
      const { files, bytes } = writeCorpus(corpus, n);
      for (const side of SIDES) await runChild(work, side, corpus);
      const sizes = { json: statSync(path.join(dir, 'report.json')).size, sarif: statSync(path.join(dir, 'report.sarif')).size };
      const samples = new Map<Side, Sample[]>(SIDES.map((s) => [s, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < SIDES.length; k++) {
          const side = SIDES[(round + k) % SIDES.length] as Side;
          samples.get(side)?.push(await runChild(work, side, corpus));
        }
        process.stderr.write(`bench: cli-process ${n} round ${round + 1}/${ROUNDS}\n`);
      }
      memory.push(memoryRow(n, breakdown(corpus), median(samples.get('json')?.map((x) => x.rss) ?? [])));
      rmSync(corpus, { recursive: true, force: true });
      const of = (s: Side) => samples.get(s) as Sample[];
      const ratio = (s: Side, key: keyof Sample) => median(of(s).map((x, i) => x[key] / (of('bare')[i] as Sample)[key]));
      const cell = (s: Side) =>
        s === 'bare' ? '1.00× | 1.00× | 1.00×' : `**${ratio(s, 'wall').toFixed(2)}×** | ${ratio(s, 'cpu').toFixed(2)}× | **${ratio(s, 'rss').toFixed(2)}×**`;
      const label: Record<Side, string> = {
        bare: 'bare parse: walk, read and `loadAll` each file (baseline)',
        json: `\`minpriv scan --format json --output FILE\` (${mb(sizes.json)} report)`,
        sarif: `\`minpriv scan --format sarif --output FILE\` (${mb(sizes.sarif)} report)`,
      };
      for (const s of SIDES) {
        rows.push(
          `| ${n.toLocaleString('en')} (${files} files, ${mb(bytes)}) | ${label[s]} | ${sec(median(of(s).map((x) => x.wall)))} | ${sec(median(of(s).map((x) => x.cpu)))} | ${mb(median(of(s).map((x) => x.rss)))} | ${cell(s)} |`,
        );
      }
      for (const s of ['json', 'sarif'] as const) {
        const ok = (key: keyof Sample) => (ratio(s, key) <= TARGET ? 'met' : 'missed');
        verdicts.push(`${n.toLocaleString('en')} workloads, ${s}: time ${ok('wall')} (CPU ${ok('cpu')}), peak RSS ${ok('rss')}`);
      }
    }
    return [
      '## Scan output and whole CLI process (`bench/cli-process.bench.ts`)',
      '',
      `Command: \`npm run bench\` (or \`npx tsx bench/run.ts cli-process\`; \`MINPRIV_BENCH_ROUNDS\` sets the rounds, default 5). The bench corpus (bench/scan-corpus.ts) is written to disk at each size; the CLI is compiled with \`tsc -p tsconfig.build.json\` and run with \`node\`, its report written to a file. Each process, from spawn to exit, against a bare-parse process in the same round; ${ROUNDS} paired rounds in a rotating order, medians. Peak RSS and CPU time (user + system, the garbage collector's threads included): the child's \`process.resourceUsage()\` at exit; on a machine shared with other work the CPU ratio is the steadier one.`,
      '',
      '| workloads | process | median wall time | median CPU time | median peak RSS | × bare: wall (median of per-round ratios) | × bare: CPU | × bare: peak RSS |',
      '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `Targets ≤ ${TARGET}× in time and in peak RSS: ${verdicts.join('; ')}.`,
      '',
      'Where the memory goes (`bench/cli-memory.ts`, in a child with `--expose-gc`: the scan as `minpriv scan` runs it, then the live heap after a full collection; then the findings slimmed in place, step by step, each step on top of the ones before, to price what the engine could drop):',
      '',
      `| workloads | findings | files as read (outside the heap, held until the scan ends) | live heap after the scan (the findings) | per finding | ${STEPS.join(' | ')} | rest of the JSON run's peak RSS (Node, garbage not yet collected) |`,
      `| ---: | ---: | ---: | ---: | ---: | ${STEPS.map(() => '---:').join(' | ')} | ---: |`,
      ...memory,
      '',
      NOTES,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
