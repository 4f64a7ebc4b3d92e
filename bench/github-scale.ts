/**
 * Part of `bench/github.bench.ts` (its section ends with this table). The pull_request handler's time per changed file at 300, 1,000 and 3,000 files (manyFiles: one Deployment with
 * seven findings per file), against a zero-latency mocked GitHub (nock; retry and throttling off), in this
 * process. Linear cost is a ratio of 1.00× between the per-file time at 3,000 files and at 300. The plan's size is
 * what a worker thread hands back (structured clone) and what a queue would store (JSON).
 */
import { serialize } from 'node:v8';
import nock from 'nock';
import type { ChangeSet } from '../src/diff/change-set.js';
import { type MinprivConfig, parseConfig } from '../src/engine/config.js';
import { planReview } from '../src/review/plan.js';
import { manyFiles } from '../test/app/big-pr.js';
import { type FakeFile, FakeGitHub, type FakeState } from '../test/github/fake-github.js';
import { makeProbot, prPayload } from '../test/github/harness.js';

const SIZES = [300, 1000, 3000] as const;
// Five runs at every size: on a shared machine three runs left the median to one outlier.
const RUNS: Record<number, number> = { 300: 5, 1000: 5, 3000: 5 };

export interface Handled {
  ms: number;
  requests: FakeGitHub['requests'];
}

/** Deliver `opened` for a PR of `files` to an in-process Probot and wait for the handler. */
export async function handle(files: FakeFile[], state: Partial<FakeState> = {}): Promise<Handled> {
  const gh = new FakeGitHub({ owner: 'acme', repo: 'gitops', number: 1, headSha: 'b3nch', files, ...state }).install();
  const probot = await makeProbot();
  const start = performance.now();
  await probot.receive({ id: 'scale', name: 'pull_request', payload: prPayload('opened', 1, 'b3nch', { changedFiles: files.length }) as never });
  const ms = performance.now() - start;
  nock.cleanAll();
  return { ms, requests: gh.requests };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] as number;
}

/** The plan of the same PR, computed alone: its size as JSON and as a structured clone (v8.serialize). */
async function planSize(files: FakeFile[]): Promise<{ json: number; clone: number; ms: number }> {
  const changes: ChangeSet = { files: files.map((f) => ({ path: f.filename, status: f.status, content: f.content, patch: f.patch })) };
  const config = (parseConfig(null) as { config: MinprivConfig }).config;
  const start = performance.now();
  const plan = await planReview({ changes, config });
  const ms = performance.now() - start;
  return { json: Buffer.byteLength(JSON.stringify(plan)), clone: serialize(plan).length, ms };
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export async function runScale(): Promise<string> {
  const rows: { n: number; ms: number; perFile: number; runs: number[]; plan: { json: number; clone: number; ms: number } }[] = [];
  for (const n of SIZES) {
    const files = manyFiles(n);
    await handle(manyFiles(50)); // warm up (JIT, module loading) outside the figures
    const runs: number[] = [];
    for (let i = 0; i < (RUNS[n] ?? 3); i++) runs.push((await handle(files)).ms);
    const ms = median(runs);
    rows.push({ n, ms, perFile: ms / n, runs, plan: await planSize(files) });
  }
  nock.enableNetConnect();
  const first = rows[0] as (typeof rows)[number];
  const last = rows.at(-1) as (typeof rows)[number];
  return [
    '### Handler time per changed file (300 → 3,000 files)',
    '',
    'manyFiles(n) (test/app/big-pr.ts): n new files, one Deployment with 7 findings each. In-process Probot, zero-latency mocked GitHub (nock), retry and throttling off; median of 5 runs after a warm-up. Plan: `planReview` alone on the same PR (one run: the handler time less reading and publishing), and its size as JSON and as the structured clone a worker thread hands back (v8.serialize).',
    '',
    '| changed files | handler, median | per file | runs (ms) | plan alone | plan JSON | plan clone |',
    '|---:|---:|---:|---|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.n.toLocaleString('en-US')} | ${r.ms.toFixed(0)} ms | ${r.perFile.toFixed(2)} ms | ${r.runs.map((x) => x.toFixed(0)).join(', ')} | ${r.plan.ms.toFixed(0)} ms | ${mb(r.plan.json)} | ${mb(r.plan.clone)} |`,
    ),
    '',
    `Per-file cost at ${last.n.toLocaleString('en-US')} files over ${first.n}: **${(last.perFile / first.perFile).toFixed(2)}×** (1.00× = linear). Target: constant per-file time, the ${last.n.toLocaleString('en-US')}-file handler under 3 s.`,
    '',
    "Where the time goes (CPU profile of the 3,000-file handler, shared machine, issue 15's fifth step): `planReview` is most of it (about four fifths), reading and publishing the rest. In the plan, the fix engine's `buildFixes` takes the largest part (each suggestion planned, then verified alone as it can be committed alone: the fixed file is parsed and scanned again), the scan most of the remainder, the review's own steps (scope, places, summary) under a tenth. The review's scan keeps the events of the files with findings (`keepEventsWithFindings`): their document spans and fixes read them next, which parsed each of them a second time; the verification's rules and settings are prepared once per review, not per file.",
  ].join('\n');
}
