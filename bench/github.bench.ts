/**
 * GitHub requests and handler time for one pull_request event on a synthetic PR of 300 changed
 * manifests and 500 findings, against a zero-latency mocked GitHub (nock; retry and throttling off);
 * then the handler's time per changed file from 300 to 3,000 files (bench/github-scale.ts).
 */
import nock from 'nock';
import { type FakeFile, FakeGitHub } from '../test/github/fake-github.js';
import { makeProbot, prPayload } from '../test/github/harness.js';
import { pod } from '../test/github/synthetic.js';
import { runScale } from './github-scale.js';

const FILES = 300;
const RUNS = 5;

/** 200 pods with two findings (privileged + hostNetwork) and 100 with one: 500 findings. */
function files(): FakeFile[] {
  return Array.from({ length: FILES }, (_, i) => {
    let content = pod(`p${i}`, true);
    if (i < 200) content = content.replace('spec:\n', 'spec:\n  hostNetwork: true\n');
    const lines = content.replace(/\n$/, '').split('\n');
    const patch = [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
    return { filename: `apps/app-${String(i).padStart(4, '0')}.yaml`, status: 'added', patch, content };
  });
}

function isWrite(r: { method: string; path: string; body: unknown }): boolean {
  if (r.path === '/graphql') return /^\s*mutation/.test((r.body as { query: string }).query);
  return r.method !== 'GET';
}

export async function run(): Promise<string> {
  const times: number[] = [];
  let reads = 0;
  let writes = 0;
  let findings = 0;
  let detail = '';
  for (let i = 0; i < RUNS; i++) {
    const gh = new FakeGitHub({ owner: 'acme', repo: 'gitops', number: 1, headSha: 'b3nch', files: files() }).install();
    const probot = await makeProbot();
    const start = performance.now();
    await probot.receive({ id: `b${i}`, name: 'pull_request', payload: prPayload('opened', 1, 'b3nch', { changedFiles: FILES }) as never });
    times.push(performance.now() - start);
    reads = gh.requests.filter((r) => !isWrite(r)).length;
    writes = gh.requests.filter(isWrite).length;
    const done = gh.requests.filter((r) => r.method === 'PATCH').flatMap((r) => (r.body as { output: { annotations?: unknown[] } }).output.annotations ?? []);
    findings = done.length;
    const counts = new Map<string, number>();
    for (const line of gh.lines())
      counts.set(line.replace(/\?.*$/, '').replace(/\/\d+$/, '/N'), (counts.get(line.replace(/\?.*$/, '').replace(/\/\d+$/, '/N')) ?? 0) + 1);
    detail = [...counts].map(([k, v]) => `| \`${k}\` | ${v} |`).join('\n');
    nock.cleanAll();
  }
  nock.enableNetConnect();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] as number;
  return [
    '## GitHub App: requests per pull_request event',
    '',
    `Synthetic PR: ${FILES} new manifests, ${findings} findings (annotations). Mocked GitHub with zero latency (nock), retry and throttling off; median of ${RUNS} runs.`,
    '',
    '| measure | value |',
    '|---|---|',
    `| requests (total) | ${reads + writes} (target ≤ 25) |`,
    `| reads (GET + GraphQL queries) | ${reads} |`,
    `| writes (POST/PATCH + GraphQL mutations) | ${writes} |`,
    `| handler time, median | ${median.toFixed(0)} ms (min ${times[0]?.toFixed(0)}, max ${times.at(-1)?.toFixed(0)}) |`,
    '',
    '| request | count |',
    '|---|---|',
    detail,
    '',
    'Formula, for F changed files of which Y match `include`, A in-scope findings, T open bot threads, R threads to resolve:',
    '`requests = 1 (create run) + c (config: 1, or 2 without a repo file, +1 per _extends) + ⌈F/100⌉ (file pages) + ⌈Y/50⌉ (content queries) + ⌈T/100⌉ (thread pages, ≥ 1) + w (1 head re-read + 1 review, only when there is something to post) + ⌈R/25⌉ (resolve mutations) + max(1, ⌈A/50⌉) (completing + extra annotation updates)`.',
    `Here: 1 + 2 + ⌈${FILES}/100⌉ + ⌈${FILES}/50⌉ + 1 + 2 + 0 + ⌈${findings}/50⌉ = ${1 + 2 + Math.ceil(FILES / 100) + Math.ceil(FILES / 50) + 1 + 2 + Math.ceil(findings / 50)}.`,
    'With Probot’s default throttling (every write and GraphQL call 1 s apart, reviews 3 s) the same event takes about one second per write or GraphQL call on a real installation; the handler itself is the time above.',
    '',
    await runScale(),
  ].join('\n');
}
