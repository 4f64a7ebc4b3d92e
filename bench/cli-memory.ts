/**
 * Where `minpriv scan`'s memory goes, for bench/cli-process.bench.ts (run as a child process:
 * `node --expose-gc --import tsx bench/cli-memory.ts FOLDER`): what stays alive once the scan is done and
 * its parses are gone (the findings, and the files if they were all read first), measured after a full
 * collection, for the scan as `minpriv scan` runs it (each file read as it is scanned, report-only findings)
 * and for the scan before that (every file read first, whole findings).
 */
import type { ScanResult } from '../src/core/types.js';
import { scan } from '../src/engine/scan.js';
import { readPaths } from '../src/sources/paths.js';

export interface MemoryBreakdown {
  findings: number;
  /** Bytes of the files (Buffers, outside the heap). */
  input: number;
  /** Live heap and Buffers after the scan: every file read first, whole findings (fix operations and all). */
  whole: { heap: number; buffers: number };
  /** The same as `minpriv scan` runs it now: each file read as it is scanned, `reportOnly` findings. */
  reportOnly: { heap: number; buffers: number };
}

const gc = (globalThis as { gc?: () => void }).gc;

function live(): { heap: number; buffers: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

export async function breakdown(folder: string): Promise<MemoryBreakdown> {
  const measure = async (now: boolean): Promise<{ result: ScanResult; mem: { heap: number; buffers: number }; input: number }> => {
    const read = await readPaths(['.'], { cwd: folder, maxBytes: 10 * 1024 * 1024, lazy: now });
    const output = scan(read.files, { profile: 'pss-restricted', keepParsed: false, reportOnly: now, contextFiles: read.context });
    output.files.clear();
    const mem = live();
    let input = 0;
    for (const f of read.files) input += typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.byteLength;
    return { result: { ...output }, mem, input };
  };
  let before: Awaited<ReturnType<typeof measure>> | undefined = await measure(false);
  const whole = before.mem;
  const findings = before.result.findings.length + before.result.suppressed.length;
  const input = before.input;
  before = undefined;
  const now = await measure(true);
  return { findings, input, whole, reportOnly: now.mem };
}

const folder = process.argv[2];
if (folder && import.meta.url === `file://${process.argv[1]}`) {
  if (!gc) throw new Error('run with node --expose-gc');
  process.stdout.write(JSON.stringify(await breakdown(folder)));
}
