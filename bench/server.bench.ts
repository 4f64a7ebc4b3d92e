/**
 * The server under big pull requests: a real app process (the built `dist/server/main.js`, as the image runs it)
 * against a fake GitHub on loopback with zero latency and Octokit's pacing off. Per PR size: webhook answer time,
 * run time, `/ping` round trips while the run is in flight, peak RSS of the process, and writes. The baseline in the
 * same run is the same PR with `MINPRIV_SCAN_THREADS=0` (the scan on the event loop, as before the pool).
 */
import { execFileSync } from 'node:child_process';
import { bundleFiles, manyFiles, median, runScenario, type Scenario } from '../test/app/big-pr.js';

const ms = (n: number) => `${n.toFixed(0)} ms`;

function row(name: string, mode: string, r: Scenario): string {
  const pings = r.pings.filter(Number.isFinite);
  const lost = r.pings.length - pings.length;
  return `| ${name} | ${mode} | ${ms(r.webhookMs)} | ${(r.runMs / 1000).toFixed(1)} s | ${median(pings).toFixed(1)} ms / ${ms(Math.max(...pings))}${lost ? ` (${lost} timed out)` : ''} | ${(r.peakRssKb / 1024).toFixed(0)} MiB | ${r.writes} | ${r.title ?? r.conclusion} |`;
}

export async function run(): Promise<string> {
  execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  const cases = [
    { name: '300 files', files: manyFiles(300) },
    { name: '1,000 files', files: manyFiles(1000) },
    { name: '3,000 files', files: manyFiles(3000) },
    { name: 'bundle: 10 files × 870 KB', files: bundleFiles(10, 870) },
  ];
  const rows: string[] = [];
  for (const c of cases) {
    for (const [mode, env] of [
      ['worker thread', {}],
      ['event loop (baseline)', { MINPRIV_SCAN_THREADS: '0' }],
    ] as const) {
      process.stderr.write(`server: ${c.name}, ${mode}\n`);
      const r = await runScenario(c.files, { env, nodeArgs: ['--max-old-space-size=256'], dist: true, timeoutMs: 300_000 });
      rows.push(row(c.name, mode, r));
    }
  }
  return [
    '## The server under big pull requests (`bench/server.bench.ts`)',
    '',
    'Command: `npx tsx bench/run.ts server`. A real app process (`node --max-old-space-size=256 dist/server/main.js`, no Redis: reviews in the process) against a fake GitHub on loopback (zero latency, `MINPRIV_GITHUB_THROTTLE=false`, so the run time is minpriv’s own). `/ping` is asked every 25 ms from the delivery until the check run is completed; peak RSS is the process’s VmHWM (main and worker threads). Writes are POST/PATCH requests and GraphQL mutations. Each small file is one Deployment with 7 findings; the bundle pairs a Deployment (10 findings) with a ConfigMap, ≈ 4 findings per KB. Baseline: the same PR with `MINPRIV_SCAN_THREADS=0`.',
    '',
    '| pull request | scan runs on | webhook answered | run | `/ping` median / max | peak RSS | writes | check run title |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}
