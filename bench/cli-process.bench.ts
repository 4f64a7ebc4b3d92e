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
import { availableParallelism, tmpdir } from 'node:os';
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

/** `json1`: the JSON run on the main thread alone (`--threads 0`), beside the default, threaded one. */
type Side = 'bare' | 'json' | 'sarif' | 'json1';
const SIDES: readonly Side[] = ['bare', 'json', 'sarif', 'json1'];
/** The scan threads `minpriv scan` starts by default here (`--threads`, default: the number of cores). */
const THREADS = availableParallelism();

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
  const format = side === 'json1' ? 'json' : side;
  const threads = side === 'json1' ? ['--threads', '0'] : [];
  const args =
    side === 'bare'
      ? [work.bare, corpus]
      : [work.cli, 'scan', '--format', format, ...threads, '--output', path.join(work.dir, `report.${side}`), '--no-config', '.'];
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
  "**Report-only scan, files read one at a time (issue 15).** `minpriv scan` without external scanners now lists the files first and reads each one just before it is scanned (`readPaths(…, { lazy: true })`: a file's `content` reads it when asked and keeps nothing), so the process holds one file's bytes at a time, as the bare parse does; rules that read other objects (`needsIndex`) are unaffected, the scan keeps parses, not bytes, for them. It scans with `reportOnly: true`: a fix keeps its title and confidence (all a report prints) and no edit operations, and every string a finding takes from the YAML (message, path segments, container, resource id, suppression reason, fix title) is a copy of its own (`flatString` in `src/engine/report-only.ts`), so no finding keeps a file's text alive; strings that many findings repeat are shared through one table per scan. Every minpriv finding shares one frozen `sources` array, a fingerprint no longer holds its whole 64-digit hash, and the external scanners' code (and execa) is loaded only when one is enabled. Per finding, the live heap after the scan goes from about 1.3 KB to 660–760 B, and the file bytes are no longer held (table above). The bytes are the same: `scan` JSON, SARIF and text over `test/fixtures` (three profiles, with and without `--show-suppressed`) and over this corpus at 20k workloads (JSON, SARIF and text; JSON under the `minpriv` profile, whose rules need the index), saved before the change and compared with `cmp` after it, are identical; `test/engine/report-only.test.ts` renders JSON, SARIF and text from whole and from report-only findings over every fixture (suppressed findings included) and compares the bytes; `test/sources/paths-lazy.test.ts` compares scans of lazily and eagerly read files, with `needsIndex` rules and a kustomize context.",
  '',
  "**Scan threads (issue 15).** `minpriv scan` now scans on worker threads when the scan goes file by file: no selected rule reads other objects (`needsIndex`: the `minpriv` profile's RBAC and service-account rules do), no external scanner, every file on disk (not standard input), and at least 4 MB of input (`THREADS_MIN_BYTES`; below it the threads' start-up would cost more than they save). `--threads N` or `MINPRIV_SCAN_THREADS` sets the number (default: `os.availableParallelism()`; 0 or 1: the main thread alone). Each thread (`src/cli/scan-worker.ts`) is handed whole files, the biggest first, reads each as the in-process scan does, scans it report-only with the rules chosen once, and posts its findings back; the main thread keeps them by file, shares again the strings most findings repeat (rule id, title, severity, file, `sources`), and sorts them with `scan`'s comparator, so the report is the in-process one byte for byte. A file that cannot be read raises the in-process error (that of the first such file in order); a thread that dies is an error that says so; a thread out of memory makes the scan run again on the main thread. Each thread has an 8 MiB young generation and an old-generation limit of 512 MiB per MiB of `--max-bytes`: a thread keeps nothing from one file to the next, and with a limit V8 collects its promoted parses long before it is reached, so the process's peak RSS falls below the single-thread scan's (the live findings sit in the main thread's heap, which makes little garbage). The table shows the threaded runs (the default) and the JSON run with `--threads 0`. The bytes are the same: `scan` JSON, SARIF, text and text `--show-suppressed` under the three profiles over `test/fixtures` and `/work/shared/corpus`, with the threshold set to 0 so that every run that can be threaded is (2 and 3 threads), and over this corpus at 20k workloads with the default build (2 threads), saved from the build before this change and compared with `cmp` (standard output, standard error and exit status: 72 + 72 + 108 files), are identical; `test/cli/scan-threads.test.ts` compares threaded and in-process reports over the fixtures and a generated corpus with suppressions, and the CLI's bytes with threads on and off over a 5 MB corpus.",
  '',
  'Measured on the 2-core machine shared with two other benchmarking sessions (load average 5–11, so wall times say little and CPU times are inflated too; JSON, paired rounds against the bare parse, medians of per-round ratios, this build against the build before this change): at 50k workloads (2 rounds) peak RSS 1.87× (1.85–1.87) on 2 threads, 2.65× on the main thread alone, 2.52× before; CPU 4.17×, 3.22× and 3.01×. At 20k (3 rounds, twice) peak RSS 1.51× and 1.61× on 2 threads, 1.78–1.86× on the main thread alone, 1.82× before; CPU 4.5–5.1× on 2 threads against 3.2–3.4× on the main thread. One worker thread alone (an experiment: `--threads 1` scans on the main thread; 20k, 2 rounds): peak RSS 1.31×, CPU about a sixth more than the main thread alone. Without the old-generation limit, two threads peaked at 2.8× at 20k and 2.1–2.4× (once 3.4×) at 50k, for the same CPU; a larger young generation (16, 32, 48 MiB) raised the peak and saved no CPU that could be measured.',
  '',
  "**What is left, and why.** Memory: on threads the peak RSS is under 2× at both sizes; on the main thread alone (`--threads 0`, or small inputs, or rules that need the index) it is still about 2.5× at 50k workloads, for the reasons below. Time: the threads cost CPU: each loads the engine, the findings cross threads by structured clone and are shared again, and two threads on a machine's two cores run slower each (on the shared machine the threaded runs took about 1.3–1.6 times the CPU of the main thread alone; how much of that is the machine's load and how much the threads' own work could not be told apart there). So the wall time gains only where cores are free, and on two cores there are none to spare: the main thread, which merges the findings and writes the report, competes with the two scan threads. In the quiet run of 2026-12-06 (2 cores) two threads against the main thread alone: at 20k workloads wall 3.29 s against 2.99 s, CPU 5.46 s against 3.78 s, peak RSS 198 MB against 247 MB; at 50k wall 6.80 s against 7.12 s, CPU 11.2 s against 8.6 s, peak RSS 267 MB against 387 MB. On this machine the threads buy memory (the peak under 2× the bare parse at both sizes), not time; the time they could save needs a third core, or a cheaper hand-over (findings as compact records or report text instead of structured clones). On the main thread alone the process is 2.3–2.8× the bare parse (CPU 2.5–3.0×): at 50k, `--trace-gc` shows the old generation growing to about three times the live heap before each full collection (the last one: 306 MB → 103 MB): the garbage is the parses of the larger files (up to 530 KB, tens of MB of events and objects each), which outlive two scavenges and are promoted, and V8, whose collections are quick next to the mutator, lets the heap grow by a large factor (`node --heap-growing-percent=50` brings the 50k peak to 255 MB but costs about a third more CPU). In a CPU profile of the JSON run at 20k workloads on the main thread, of the active time: the parse (`parseYamlFile`: js-yaml events, construction, position index) 36 %, rules 21 % (making the findings: positions, fingerprints, suppressions, 12 %), the garbage collector 18 %, the report 8 %, module loading about 7 %, reading 4 %. The parse alone costs about what the whole bare process does, so 2× of CPU needs a cheaper parse (one pass instead of three, in `src/yaml`) as much as a cheaper scan; and cheaper threads need findings that cross threads as a compact record (or as report text) rather than as objects.",
].join('\n');

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
  const rest = peak - m.reportOnly.heap - m.reportOnly.buffers;
  return `| ${n.toLocaleString('en')} | ${m.findings.toLocaleString('en')} | ${mb(m.input)} | ${mb(m.whole.heap)} (${perFinding(m.whole.heap)}) + ${mb(m.whole.buffers)} of files | ${mb(m.reportOnly.heap)} (${perFinding(m.reportOnly.heap)}) + ${mb(m.reportOnly.buffers)} of files | ${mb(rest)} |`;
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
      memory.push(memoryRow(n, breakdown(corpus), median(samples.get('json1')?.map((x) => x.rss) ?? [])));
      rmSync(corpus, { recursive: true, force: true });
      const of = (s: Side) => samples.get(s) as Sample[];
      const ratio = (s: Side, key: keyof Sample) => median(of(s).map((x, i) => x[key] / (of('bare')[i] as Sample)[key]));
      const cell = (s: Side) =>
        s === 'bare' ? '1.00× | 1.00× | 1.00×' : `**${ratio(s, 'wall').toFixed(2)}×** | ${ratio(s, 'cpu').toFixed(2)}× | **${ratio(s, 'rss').toFixed(2)}×**`;
      const label: Record<Side, string> = {
        bare: 'bare parse: walk, read and `loadAll` each file (baseline)',
        json: `\`minpriv scan --format json --output FILE\` (${mb(sizes.json)} report; ${THREADS} scan threads, the default here)`,
        sarif: `\`minpriv scan --format sarif --output FILE\` (${mb(sizes.sarif)} report; ${THREADS} scan threads)`,
        json1: '`minpriv scan --format json --output FILE --threads 0` (the main thread alone)',
      };
      for (const s of SIDES) {
        rows.push(
          `| ${n.toLocaleString('en')} (${files} files, ${mb(bytes)}) | ${label[s]} | ${sec(median(of(s).map((x) => x.wall)))} | ${sec(median(of(s).map((x) => x.cpu)))} | ${mb(median(of(s).map((x) => x.rss)))} | ${cell(s)} |`,
        );
      }
      for (const s of ['json', 'sarif', 'json1'] as const) {
        const ok = (key: keyof Sample) => (ratio(s, key) <= TARGET ? 'met' : 'missed');
        verdicts.push(
          `${n.toLocaleString('en')} workloads, ${s === 'json1' ? 'json on the main thread' : s}: time ${ok('wall')} (CPU ${ok('cpu')}), peak RSS ${ok('rss')}`,
        );
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
      'Where the memory goes (`bench/cli-memory.ts`, in a child with `--expose-gc`: what is alive once the scan is done, after a full collection; the scan as `minpriv scan` ran it before this change, then as it runs it now):',
      '',
      '| workloads | findings | files (bytes) | alive after the scan, every file read first and whole findings (before) | alive after the scan, each file read as it is scanned and `reportOnly` findings (now) | rest of the peak RSS of the JSON run on the main thread (Node and its code, garbage not yet collected) |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      ...memory,
      '',
      NOTES,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
