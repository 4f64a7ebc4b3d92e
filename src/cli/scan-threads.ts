/**
 * `minpriv scan` on several threads: each scan thread (scan-worker.ts) takes whole files from a queue, the
 * biggest first, scans each report-only and posts its findings back; the main thread puts them in file order
 * and sorts them as `scan` does, so the report is byte for byte the in-process one. Trivy and kube-linter scan
 * files in parallel the same way. Only for scans that go file by file: no rule that reads other objects
 * (`needsIndex`), no external scanner, every file on disk (not standard input), and enough bytes that the
 * threads' start-up (about a tenth of a second each) is paid back.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { type Finding, MinprivError, type Notice, type SourceFile } from '../core/types.js';
import { MINPRIV_SOURCES } from '../engine/report-only.js';
import { compareFindings, type ScanOptions, type ScanOutput, scan, selectRules } from '../engine/scan.js';
import { kustomizePatches } from '../k8s/objects.js';
import { type DiskFile, diskFileOf } from '../sources/paths.js';
import { DEFAULT_LIMITS } from '../yaml/parse.js';
import type { FileJob, FileResult, WorkerSetup } from './scan-worker.js';

/** Below this many bytes of input the scan stays on the main thread: starting threads would cost more than they save. */
export const THREADS_MIN_BYTES = 4 * 1024 * 1024;

/**
 * Young generation of each scan thread, in MiB (V8's default is 48 on 64-bit machines). A thread keeps
 * nothing from one file to the next, so what it promotes is garbage its next full collection frees; a small
 * young generation kept the peak RSS lowest (bench/cli-process.bench.ts), at no CPU cost that could be measured.
 */
export const THREAD_YOUNG_MB = 8;

/**
 * Old generation of each scan thread, in MiB (512 per MiB of `maxBytes`): room for the parse of the
 * biggest file many times over (a 530 KB file's parse is tens of MB). A heap limit makes V8 collect a thread's
 * garbage long before it is reached (it keeps each new limit halfway between the heap and its maximum), which
 * keeps two threads' peak RSS near one in-process scan's; a thread that still runs out of it makes the scan
 * run again on the main thread, with the same output.
 */
export function threadHeapMb(maxBytes: number): number {
  return 512 * Math.max(1, Math.ceil(maxBytes / (1024 * 1024)));
}

/** `--threads` or `MINPRIV_SCAN_THREADS`: scan threads, 0 or 1 for none; default: the machine's cores. */
export function scanThreadCount(flag: string | undefined, env: NodeJS.ProcessEnv): number {
  const [raw, name] = flag !== undefined ? [flag, '--threads'] : [env.MINPRIV_SCAN_THREADS, 'MINPRIV_SCAN_THREADS'];
  if (raw === undefined || raw === '') return availableParallelism();
  if (!/^\d+$/.test(raw)) throw new MinprivError('USAGE', `invalid value for ${name}: "${raw}" (expected a whole number of threads, 0 for none)`);
  return Number(raw);
}

/**
 * The files to hand to `threads` scan threads, or undefined when the scan should stay on the main thread:
 * one thread or less asked, a rule that needs the whole scan's objects, a file not on disk, or a small input.
 */
export function threadedFiles(files: readonly SourceFile[], options: ScanOptions, threads: number, minBytes = THREADS_MIN_BYTES): DiskFile[] | undefined {
  if (threads < 2 || files.length < 2) return undefined;
  if (selectRules(options).some((r) => r.needsIndex)) return undefined;
  const disk: DiskFile[] = [];
  for (const f of files) {
    const d = diskFileOf(f);
    if (!d) return undefined;
    disk.push(d);
  }
  let bytes = 0;
  for (const d of disk) {
    try {
      bytes += Math.min(statSync(d.abs).size, d.maxBytes + 1);
    } catch {
      return undefined; // The in-process scan says what is wrong with it.
    }
    if (bytes >= minBytes) return disk;
  }
  return undefined;
}

/** The module a scan thread runs: `.js` once built; under tsx (dev, tests) a shim that registers tsx's loader first. */
function workerModule(): URL {
  const self = import.meta.url;
  return new URL(self.endsWith('.ts') ? './scan-worker.dev.mjs' : './scan-worker.js', self);
}

/**
 * Scan `files` (their disk locations `disk`, from `threadedFiles`) on `threads` threads, report-only. The
 * output is the in-process `scan(files, { ...options, keepParsed: false, reportOnly: true })`'s, without the
 * per-file map (`files` is empty); a file that fails to read throws the error the in-process scan throws
 * (the first such file in order); a thread out of memory makes it scan on the main thread instead; a thread
 * that dies otherwise is an error that says so. `how`: the thread's code and
 * old-generation limit (tests).
 */
export async function scanInThreads(
  files: readonly SourceFile[],
  disk: readonly DiskFile[],
  options: ScanOptions,
  threads: number,
  how: { module?: URL; heapMb?: number } = {},
): Promise<ScanOutput> {
  const parse = { ...DEFAULT_LIMITS, ...options.limits };
  const { contextFiles, ...rest } = options;
  const setup: WorkerSetup = { options: rest, patches: [...kustomizePatches(files, contextFiles ?? [], parse).patches] };
  // The biggest files first, so that no thread is left with a big one at the end.
  const sizes = disk.map((d) => {
    try {
      return statSync(d.abs).size;
    } catch {
      return 0; // Its thread reads it and says what is wrong.
    }
  });
  const queue = disk.map((_, i) => i).sort((a, b) => (sizes[b] as number) - (sizes[a] as number) || a - b);
  const limits: ResourceLimits = { maxYoungGenerationSizeMb: THREAD_YOUNG_MB, maxOldGenerationSizeMb: how.heapMb ?? threadHeapMb(parse.maxBytes) };
  let results: FileResult[];
  try {
    results = await runThreads(how.module ?? workerModule(), setup, disk, queue, Math.min(threads, disk.length), limits);
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code !== 'ERR_WORKER_OUT_OF_MEMORY') throw err;
    return scan(files, { ...options, keepParsed: false, reportOnly: true });
  }
  return merge(files, results, selectRules(options));
}

function runThreads(
  module: URL,
  setup: WorkerSetup,
  disk: readonly DiskFile[],
  queue: number[],
  threads: number,
  resourceLimits: ResourceLimits,
): Promise<FileResult[]> {
  const results: FileResult[] = new Array(disk.length);
  const workers: Worker[] = [];
  let done = 0;
  let next = 0;
  return new Promise<FileResult[]>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      void Promise.all(workers.map((w) => w.terminate())).then(() => (err ? reject(err) : resolve(results)));
    };
    const give = (w: Worker): void => {
      const index = queue[next++];
      if (index !== undefined) w.postMessage({ index, file: disk[index] as DiskFile } satisfies FileJob);
    };
    for (let t = 0; t < threads; t++) {
      const w = new Worker(module, { workerData: setup, resourceLimits });
      workers.push(w);
      w.on('message', (r: FileResult) => {
        results[r.index] = r;
        if (++done === disk.length) finish();
        else give(w);
      });
      w.on('error', (err) => finish(new MinprivError('INTERNAL', `a scan thread failed: ${err.message}`, { cause: err })));
      w.on('exit', (code) => finish(new MinprivError('INTERNAL', `a scan thread stopped (exit code ${code}) before the scan was done`)));
      // Two files each: the next one waits in the thread's queue while the main thread takes the last one's findings.
      give(w);
      give(w);
    }
  });
}

/** The threads' per-file results as one scan output: findings in `scan`'s order, notices in file order. */
function merge(files: readonly SourceFile[], results: readonly FileResult[], rules: ScanOutput['rules']): ScanOutput {
  const failed = results.find((r) => 'error' in r);
  if (failed && 'error' in failed) throw failed.error.code ? new MinprivError(failed.error.code, failed.error.message) : new Error(failed.error.message);
  const share = new Sharing();
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const notices: Notice[] = [];
  let resources = 0;
  for (const r of results) {
    if ('error' in r) continue;
    for (const f of r.findings) findings.push(share.finding(f));
    for (const f of r.suppressed) suppressed.push(share.finding(f));
    for (const n of r.notices) notices.push(n);
    resources += r.resources;
  }
  // As `scan` sorts them: file order on disk is not the findings' order (`a-b/` sorts before `a/`).
  findings.sort(compareFindings);
  suppressed.sort(compareFindings);
  return { findings, suppressed, notices, filesScanned: files.length, resourcesScanned: resources, files: new Map(), rules };
}

/**
 * A finding that crossed threads holds its own copy of every string: the strings most findings repeat (rule
 * id, title, severity, file) are shared again here, and the `sources` of minpriv's own findings is the one
 * frozen array, as in the in-process scan.
 */
class Sharing {
  private readonly strings = new Map<string, string>();

  private shared(s: string): string {
    let out = this.strings.get(s);
    if (out === undefined) {
      out = s;
      this.strings.set(s, s);
    }
    return out;
  }

  finding(f: Finding): Finding {
    f.ruleId = this.shared(f.ruleId);
    f.title = this.shared(f.title);
    f.severity = this.shared(f.severity) as Finding['severity'];
    f.file = this.shared(f.file);
    if (f.sources.length === 1 && f.sources[0] === 'minpriv') f.sources = MINPRIV_SOURCES;
    return f;
  }
}
