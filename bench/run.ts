/**
 * `npm run bench`: runs every bench/*.bench.ts in turn. Each exports `run(): Promise<string>`
 * returning a Markdown section; together they are written to BENCHMARKS.md with the command.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const sections: string[] = [];
for (const f of files) {
  process.stderr.write(`bench: ${f}\n`);
  const mod = (await import(join(here, f))) as { run: () => Promise<string> };
  sections.push(await mod.run());
}
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const header = [
  '# Benchmarks',
  '',
  'Made by `npm run bench` (bench/run.ts runs every `bench/*.bench.ts`). Each benchmark compares against a baseline measured in the same run, so ratios hold across machines; absolute figures are from the machine below.',
  '',
  `Machine: ${os.cpus().length} × ${cpu}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
  '',
].join('\n');
const out = `${header}\n${sections.join('\n\n')}\n`;
if (only.length === 0) writeFileSync(join(here, '..', 'BENCHMARKS.md'), out);
process.stdout.write(out);
