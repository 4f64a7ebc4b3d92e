/**
 * One scan thread of `minpriv scan` (see scan-threads.ts): it is handed files one at a time, reads each from
 * disk as the in-process scan does (`lazyFile`), scans it report-only with the rules and settings chosen once,
 * and posts the file's findings, suppressed findings, notices and resource count back, or the error the scan
 * threw (which the main thread raises as the in-process scan would have).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Finding, Notice } from '../core/types.js';
import { prepareScan, type ScanOptions, scan } from '../engine/scan.js';
import { type DiskFile, lazyFile } from '../sources/paths.js';

/** What every scan thread is started with. */
export interface WorkerSetup {
  /** The scan options, without `contextFiles`: the patches below stand for them. */
  options: ScanOptions;
  /** The files that kustomizations name as patches (`kustomizePatches` over the whole scan). */
  patches: string[];
}

export interface FileJob {
  index: number;
  file: DiskFile;
}

export type FileResult =
  | { index: number; findings: Finding[]; suppressed: Finding[]; notices: Notice[]; resources: number }
  | { index: number; error: { message: string; code?: string } };

const setup = workerData as WorkerSetup;
const options: ScanOptions = { ...setup.options, keepParsed: false, reportOnly: true };
const prepared = prepareScan(options);
const patches = new Set(setup.patches);
const port = parentPort;

port?.on('message', (job: FileJob) => {
  let out: FileResult;
  try {
    const f = job.file;
    const r = scan([lazyFile(f.path, f.abs, f.maxBytes, f.shown)], options, { prepared, patches });
    out = { index: job.index, findings: r.findings, suppressed: r.suppressed, notices: r.notices, resources: r.resourcesScanned };
  } catch (err) {
    const code = (err as { code?: unknown } | undefined)?.code;
    out = { index: job.index, error: { message: err instanceof Error ? err.message : String(err), ...(typeof code === 'string' ? { code } : {}) } };
  }
  port?.postMessage(out);
});
