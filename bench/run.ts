/**
 * `npm run bench`: runs every bench/*.bench.ts in turn, each in a child process of its own (so that no
 * benchmark inherits the heap, the JIT state or the garbage of the ones before it). Each exports
 * `run(): Promise<string>` returning a Markdown section; together they are written to BENCHMARKS.md
 * with the command. With arguments, only the files whose names contain one of them run, and nothing
 * is written.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ONE = '--one';

if (process.argv[2] === ONE) {
  // Child: run one benchmark file and print its section.
  const mod = (await import(join(here, process.argv[3] as string))) as { run: () => Promise<string> };
  process.stdout.write(await mod.run());
} else {
  const only = process.argv.slice(2);
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  const sections: string[] = [];
  for (const f of files) {
    process.stderr.write(`bench: ${f}\n`);
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ONE, f], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (child.status !== 0) throw new Error(`bench/${f} failed (exit ${child.status ?? child.signal})`);
    sections.push(child.stdout);
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '# Benchmarks',
    '',
    'Made by `npm run bench` (bench/run.ts runs every `bench/*.bench.ts`, each in a process of its own). Each benchmark compares against a baseline measured in the same run, so ratios hold across machines; absolute figures are from the machine below.',
    '',
    `Machine: ${os.cpus().length} × ${cpu}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    '',
  ].join('\n');
  const out = `${header}\n${sections.join('\n\n')}\n`;
  if (only.length === 0) writeFileSync(join(here, '..', 'BENCHMARKS.md'), out);
  process.stdout.write(out);
}
