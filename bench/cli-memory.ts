/**
 * Where `minpriv scan`'s memory goes, for bench/cli-process.bench.ts (run as a child process:
 * `node --expose-gc --import tsx bench/cli-memory.ts FOLDER`): the files as read, then the live heap
 * once the scan is done and its parses are gone, which is all findings. Then, to price what the engine
 * could drop, the findings are slimmed step by step in place and the live heap measured after each:
 * a report-only scan needs of a fix only its title and confidence, and the findings' strings need not
 * be slices of the files' texts (a slice keeps its whole text alive).
 */
import type { Finding } from '../src/core/types.js';
import { scan } from '../src/engine/scan.js';
import { readPaths } from '../src/sources/paths.js';

export interface MemoryBreakdown {
  findings: number;
  /** Bytes of the files as read (Buffers, outside the heap), held until the scan ends. */
  input: number;
  /** Live heap after the scan, every parse released: the findings. */
  findingsHeap: number;
  /** Live heap after each slimming step, cumulative. */
  steps: { label: string; heap: number }[];
}

const gc = (globalThis as { gc?: () => void }).gc;

function liveHeap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** A flat copy of a string: no longer a slice or a concatenation of others. */
function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

export async function breakdown(folder: string): Promise<MemoryBreakdown> {
  const read = await readPaths(['.'], { cwd: folder, maxBytes: 10 * 1024 * 1024 });
  const input = read.files.reduce((n, f) => n + (typeof f.content === 'string' ? Buffer.byteLength(f.content) : (f.content?.byteLength ?? 0)), 0);
  const output = scan(read.files, { profile: 'pss-restricted', keepParsed: false, contextFiles: read.context });
  read.files.length = 0;
  const all: Finding[] = [...output.findings, ...output.suppressed];
  output.files.clear();
  const findingsHeap = liveHeap();
  const steps: MemoryBreakdown['steps'] = [];
  const step = (label: string, slim: (f: Finding) => void, done?: () => void) => {
    for (const f of all) slim(f);
    done?.();
    steps.push({ label, heap: liveHeap() });
  };
  // Interned while copying, so a string many findings share stays one string.
  const copies = new Map<string, string>();
  const once = (s: string): string => copies.get(s) ?? (copies.set(s, flat(s)).get(s) as string);
  const resources = new Map<object, Finding['resource']>();
  step(
    'strings of findings and resources copied flat (fixes untouched)',
    (f) => {
      f.message = once(f.message);
      f.path = f.path.map((p) => (typeof p === 'string' ? once(p) : p));
      if (f.container !== undefined) f.container = once(f.container);
      if (f.resource) {
        const r = f.resource;
        f.resource =
          resources.get(r) ??
          (resources.set(r, { ...r, apiVersion: once(r.apiVersion), kind: once(r.kind), name: once(r.name) }).get(r) as Finding['resource']);
      }
      if (f.suppressed?.reason !== undefined) f.suppressed = { ...f.suppressed, reason: once(f.suppressed.reason) };
    },
    () => {
      copies.clear();
      resources.clear();
    },
  );
  step('+ each fix reduced to its title and confidence (what the reports print)', (f) => {
    if (f.fix) f.fix = { title: f.fix.title, confidence: f.fix.confidence, ops: [] };
  });
  const minprivOnly = ['minpriv'];
  step("+ one shared `sources: ['minpriv']` array", (f) => {
    if (f.sources.length === 1 && f.sources[0] === 'minpriv') f.sources = minprivOnly;
  });
  return { findings: all.length, input, findingsHeap, steps };
}

const folder = process.argv[2];
if (folder && import.meta.url === `file://${process.argv[1]}`) {
  if (!gc) throw new Error('run with node --expose-gc');
  process.stdout.write(JSON.stringify(await breakdown(folder)));
}
