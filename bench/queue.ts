/**
 * `npx tsx bench/queue.ts`: the scaled-out app against a mocked GitHub that answers every request after 100 ms.
 * 100 pull requests (10 installations × 10 repositories, one changed manifest each) are delivered 10 at a time
 * to one web process; 1, 2 and 4 worker processes (concurrency 4 each) review them through a real redis-server.
 * Printed: webhook response time (p50/p99) and end to end (first delivery → last check run completed; per pull
 * request p50/p99), with the in-process app (no Redis) as the baseline. Needs redis-server; not run by bench/run.ts.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { addedPatch } from '../test/github/fake-github.js';
import { type FakePr, MultiFake } from '../test/queue/multi-fake.js';
import { deliver, prEvent, type RoleProcess, startRole, until } from '../test/queue/processes.js';
import { REDIS, startRedis } from '../test/queue/redis.js';

const LATENCY_MS = 100;
const PRS = 100;
const AT_ONCE = 10;
const web = readFileSync(new URL('../test/fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');

function prs(): FakePr[] {
  return Array.from({ length: PRS }, (_, n) => ({
    installation: 100 + Math.floor(n / 10),
    owner: `org${Math.floor(n / 10)}`,
    repo: `repo${n % 10}`,
    number: 1 + (n % 10),
    headSha: `sha${n}`,
    files: [{ filename: 'k8s/web.yaml', status: 'added' as const, patch: addedPatch(web), content: web }],
  }));
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

interface Row {
  setup: string;
  p50: number;
  p99: number;
  total: number;
  e2e50: number;
  e2e99: number;
}

async function measure(workers: number): Promise<Row> {
  const redis = workers > 0 ? await startRedis() : undefined;
  const all = prs();
  const multi = new MultiFake(all);
  const served = await multi.serve();
  const env = { MINPRIV_WORKER_CONCURRENCY: '4', MINPRIV_REQUEST_TIMEOUT_SECONDS: '60' };
  const procs: RoleProcess[] = [];
  try {
    procs.push(
      ...(await Promise.all([
        startRole('web', served.host, redis?.url ?? '', env),
        ...Array.from({ length: workers }, () => startRole('worker', served.host, redis?.url ?? '', env)),
      ])),
    );
    const webRole = procs[0] as RoleProcess;
    multi.latencyMs = LATENCY_MS;
    const fakes = all.map((pr) => multi.fake(pr.owner, pr.repo));
    const answers: number[] = [];
    const sentAt: number[] = [];
    const start = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: AT_ONCE }, async () => {
        while (next < all.length) {
          const i = next++;
          sentAt[i] = Date.now();
          const a = await deliver(webRole.port, 'pull_request', prEvent('opened', all[i] as FakePr), `bench-${workers}-${i}`);
          if (a.status !== 200 && a.status !== 202) throw new Error(`delivery ${i}: HTTP ${a.status}`);
          answers.push(a.ms);
        }
      }),
    );
    const doneAt: number[] = [];
    await until(
      () => {
        fakes.forEach((f, i) => {
          if (doneAt[i] === undefined && f.checkRuns.get(101)?.status === 'completed') doneAt[i] = Date.now();
        });
        return fakes.every((_, i) => doneAt[i] !== undefined);
      },
      600_000,
      'every check run completed',
    );
    const total = Math.max(...doneAt) - start;
    const reviews = multi.reviews().length;
    if (reviews !== PRS) throw new Error(`${reviews} reviews posted, expected ${PRS}`);
    answers.sort((a, b) => a - b);
    const e2e = doneAt.map((d, i) => d - (sentAt[i] as number)).sort((a, b) => a - b);
    const setup = workers === 0 ? 'in-process (no Redis), 1 process' : `web + ${workers} worker${workers > 1 ? 's' : ''} × 4, Redis`;
    return { setup, p50: pct(answers, 50), p99: pct(answers, 99), total, e2e50: pct(e2e, 50), e2e99: pct(e2e, 99) };
  } finally {
    for (const p of procs) p.kill();
    await served.close();
    await redis?.stop();
  }
}

if (!REDIS) {
  console.error('bench/queue.ts needs redis-server (apt-get install redis-server)');
  process.exit(2);
}
const rows: Row[] = [];
for (const workers of [0, 1, 2, 4]) {
  process.stderr.write(`bench queue: ${workers === 0 ? 'in-process' : `${workers} workers`}\n`);
  const row = await measure(workers);
  rows.push(row);
  process.stderr.write(`  ${JSON.stringify(row)}\n`);
}
const ms = (n: number) => `${Math.round(n)} ms`;
const s = (n: number) => `${(n / 1000).toFixed(1)} s`;
const out = [
  `## Queue: ${PRS} pull requests, GitHub answering in ${LATENCY_MS} ms`,
  '',
  `Made by \`npx tsx bench/queue.ts\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}: real web and worker processes, a real redis-server, a mocked GitHub (every request answered after ${LATENCY_MS} ms, Probot's write throttling off), ${PRS} \`pull_request.opened\` deliveries ${AT_ONCE} at a time over 10 installations, one changed manifest each (5 findings, one review with suggestions).`,
  '',
  '| setup | webhook answer p50 | p99 | all 100 reviewed | per PR, delivery → check completed p50 | p99 |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.setup} | ${ms(r.p50)} | ${ms(r.p99)} | ${s(r.total)} | ${s(r.e2e50)} | ${s(r.e2e99)} |`),
  '',
];
process.stdout.write(`${out.join('\n')}\n`);
