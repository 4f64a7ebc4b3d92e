import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/scan-corpus.js';
import { scanInThreads, scanThreadCount, THREADS_MIN_BYTES, threadedFiles } from '../../src/cli/scan-threads.js';
import { MinprivError, type ScanResult, type SourceFile } from '../../src/core/types.js';
import type { ProfileName } from '../../src/engine/profiles.js';
import { type ScanOptions, scan } from '../../src/engine/scan.js';
import { renderJsonChunks } from '../../src/report/json.js';
import { renderSarifChunks } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import { readPaths } from '../../src/sources/paths.js';
import { DEFAULT_LIMITS } from '../../src/yaml/parse.js';
import { runScan, tempDir } from './scan-helpers.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

let dir: string;
let done: () => void;
beforeEach(() => {
  ({ dir, done } = tempDir());
});
afterEach(() => done());

function writeCorpus(workloads: number): number {
  let bytes = 0;
  for (const f of generateCorpus(workloads)) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.content as string);
    bytes += Buffer.byteLength(f.content as string);
  }
  return bytes;
}

async function fixtures() {
  return readPaths(['test/fixtures'], { cwd: ROOT, maxBytes: DEFAULT_LIMITS.maxBytes, lazy: true });
}

/** Every report format, suppressed findings included, as one string per format. */
function reports(result: ScanResult, rules: Parameters<typeof renderSarifChunks>[1]['rules']): string[] {
  return [
    [...renderJsonChunks(result, { toolVersion: '0.0.0-test' })].join(''),
    [...renderSarifChunks(result, { toolVersion: '0.0.0-test', rules, root: ROOT })].join(''),
    renderText(result, { color: false, showSuppressed: true }),
  ];
}

describe('scan threads', () => {
  it.each(['pss-restricted', 'pss-baseline'] as ProfileName[])(
    'give the bytes of the in-process scan over test/fixtures and a generated corpus (%s)',
    async (profile) => {
      writeCorpus(400); // with suppressions
      const read = await readPaths(['test/fixtures', dir], { cwd: ROOT, maxBytes: DEFAULT_LIMITS.maxBytes, lazy: true });
      const options: ScanOptions = { profile, now: '2026-12-05', contextFiles: read.context };
      const disk = threadedFiles(read.files, options, 3, 0);
      expect(disk).toHaveLength(read.files.length);
      const threaded = await scanInThreads(read.files, disk ?? [], options, 3);
      const alone = scan(read.files, { ...options, keepParsed: false, reportOnly: true });
      expect(threaded.findings.length).toBeGreaterThan(100);
      if (profile === 'pss-restricted') expect(threaded.suppressed.length).toBeGreaterThan(0);
      expect(threaded.notices.length).toBeGreaterThan(0);
      expect(threaded.resourcesScanned).toBe(alone.resourcesScanned);
      expect(reports(threaded, threaded.rules)).toEqual(reports(alone, alone.rules));
    },
  );

  it('stay off for small inputs, one thread, rules that need the index, and files not on disk', async () => {
    const read = await fixtures();
    const options: ScanOptions = { profile: 'pss-restricted' };
    expect(threadedFiles(read.files, options, 2)).toBeUndefined(); // under THREADS_MIN_BYTES
    expect(threadedFiles(read.files, options, 1, 0)).toBeUndefined();
    expect(threadedFiles(read.files, { profile: 'minpriv' }, 2, 0)).toBeUndefined();
    const inMemory: SourceFile[] = [...read.files, { path: '<stdin>', content: 'kind: Pod\n' }];
    expect(threadedFiles(inMemory, options, 2, 0)).toBeUndefined();
    expect(threadedFiles(read.files, options, 2, 0)).toHaveLength(read.files.length);
  });

  it('throw the in-process scan error for the first file that cannot be read', async () => {
    for (const name of ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml']) writeFileSync(path.join(dir, name), 'kind: Pod\nmetadata: {name: x}\n');
    const read = await readPaths(['.'], { cwd: dir, maxBytes: 1000, lazy: true });
    unlinkSync(path.join(dir, 'b.yaml'));
    unlinkSync(path.join(dir, 'd.yaml'));
    const alone = (() => {
      try {
        scan(read.files, { reportOnly: true, keepParsed: false });
      } catch (err) {
        return err as MinprivError;
      }
    })();
    expect(alone?.message).toMatch(/b\.yaml: no such file/);
    const disk = threadedFiles([read.files[0] as SourceFile, read.files[2] as SourceFile], {}, 2, 0);
    expect(disk).toHaveLength(2);
    const threaded = await scanInThreads(
      read.files,
      read.files.map((f) => ({ path: f.path, abs: path.join(dir, f.path), maxBytes: 1000, shown: f.path })),
      {},
      2,
    ).catch((err: unknown) => err as MinprivError);
    expect(threaded).toBeInstanceOf(MinprivError);
    expect((threaded as MinprivError).code).toBe(alone?.code);
    expect((threaded as MinprivError).message).toBe(alone?.message);
  });

  it('end with a clear error, not a hang, when a thread dies', async () => {
    const read = await fixtures();
    const disk = threadedFiles(read.files, {}, 2, 0) ?? [];
    const throws = path.join(dir, 'throws.mjs');
    writeFileSync(throws, "throw new Error('no engine here');\n");
    const exits = path.join(dir, 'exits.mjs');
    writeFileSync(exits, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n");
    await expect(scanInThreads(read.files, disk, {}, 2, { module: pathToFileURL(throws) })).rejects.toThrow('a scan thread failed: no engine here');
    await expect(scanInThreads(read.files, disk, {}, 2, { module: pathToFileURL(exits) })).rejects.toThrow(
      'a scan thread stopped (exit code 3) before the scan was done',
    );
  });

  it('scan on the main thread, with the same output, when a thread runs out of memory', async () => {
    const read = await fixtures();
    const disk = threadedFiles(read.files, {}, 2, 0) ?? [];
    const hungry = path.join(dir, 'hungry.mjs');
    // Keeps everything it allocates: over the thread's old-generation limit at once.
    writeFileSync(hungry, 'const kept = [];\nfor (;;) kept.push(new Array(100_000).fill({}));\n');
    const threaded = await scanInThreads(read.files, disk, { profile: 'pss-restricted' }, 2, { module: pathToFileURL(hungry), heapMb: 32 });
    const alone = scan(read.files, { profile: 'pss-restricted', keepParsed: false, reportOnly: true });
    expect(threaded.findings.length).toBeGreaterThan(100);
    expect(reports(threaded, threaded.rules)).toEqual(reports(alone, alone.rules));
  });
});

describe('minpriv scan --threads', () => {
  it('writes the same bytes and exit code with threads on and off, for an input over the threshold', async () => {
    const bytes = writeCorpus(6_000);
    expect(bytes).toBeGreaterThan(THREADS_MIN_BYTES);
    const read = await readPaths(['.'], { cwd: dir, maxBytes: DEFAULT_LIMITS.maxBytes, lazy: true });
    expect(threadedFiles(read.files, {}, 2)).toBeDefined();
    for (const format of ['json', 'sarif']) {
      const off = await runScan(['--no-config', '--format', format, '--threads', '0', '.'], { cwd: dir });
      const on = await runScan(['--no-config', '--format', format, '.'], { cwd: dir, env: { MINPRIV_SCAN_THREADS: '2' } });
      expect(on.stderr).toBe(off.stderr);
      expect(on.code).toBe(off.code);
      expect(on.stdout.length).toBeGreaterThan(1000);
      expect(on.stdout === off.stdout).toBe(true);
    }
  }, 120_000);

  it('takes the thread count from --threads, else MINPRIV_SCAN_THREADS, and refuses other values', async () => {
    expect(scanThreadCount('3', { MINPRIV_SCAN_THREADS: '5' })).toBe(3);
    expect(scanThreadCount(undefined, { MINPRIV_SCAN_THREADS: '5' })).toBe(5);
    expect(scanThreadCount(undefined, {})).toBeGreaterThanOrEqual(1);
    expect(() => scanThreadCount(undefined, { MINPRIV_SCAN_THREADS: 'two' })).toThrow('invalid value for MINPRIV_SCAN_THREADS: "two"');
    const r = await runScan(['--threads', 'two', '.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('minpriv: invalid value for --threads: "two" (expected a whole number of threads, 0 for none) (see minpriv scan --help)\n');
  });
});
