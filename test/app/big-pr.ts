/**
 * Big pull requests against a real app process (the shared ground of test/app/big-pr.test.ts and
 * bench/server.bench.ts): a rendered bundle (few huge files, tens of thousands of findings) and a PR of
 * thousands of files. While the app works, `/ping` is asked every few milliseconds; at the end the process's
 * peak RSS is read from /proc.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { addedPatch, type FakeFile, FakeGitHub } from '../github/fake-github.js';
import { OWNER, prPayload, REPO } from '../github/harness.js';
import { serveFake, startApp } from './app-process.js';

/** A Deployment with seven findings under pss-restricted (host namespaces, privileged, no securityContext…): ≈ 1 KB. */
export function badDeployment(name: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    `    app.kubernetes.io/name: ${name}`,
    '    app.kubernetes.io/part-of: rendered-bundle',
    'spec:',
    '  replicas: 2',
    '  selector:',
    '    matchLabels:',
    `      app.kubernetes.io/name: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app.kubernetes.io/name: ${name}`,
    '    spec:',
    '      hostNetwork: true',
    '      hostPID: true',
    '      containers:',
    '        - name: app',
    '          image: registry.example/app:1.0',
    '          ports:',
    '            - containerPort: 8080',
    '          env:',
    '            - name: LOG_LEVEL',
    '              value: info',
    '          resources:',
    '            limits: { cpu: 500m, memory: 256Mi }',
    '          securityContext:',
    '            privileged: true',
    '',
  ].join('\n');
}

/** A ConfigMap of about 1.5 KB (a rendered chart's dashboards and settings): no finding. */
export function configMap(name: string): string {
  const data = Array.from({ length: 15 }, (_, k) => `  setting-${k}: "${'v'.repeat(40)}-${k}"`);
  return ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`, 'data:', ...data, ''].join('\n');
}

/**
 * `files` files of about `kb` kilobytes each, a rendered bundle: each bad Deployment (10 findings) comes with a
 * ConfigMap, about 4 findings per kilobyte, as in the bundle of issue 14 (8.7 MB, 36,000 findings).
 */
export function bundleFiles(files: number, kb: number): FakeFile[] {
  const pair = (name: string) => `${badDeployment(name)}---\n${configMap(`${name}-config`)}`;
  const perFile = Math.max(1, Math.round((kb * 1024) / pair('x-0000-000').length));
  return Array.from({ length: files }, (_, i) => {
    const content = Array.from({ length: perFile }, (_, j) => pair(`d-${String(i).padStart(4, '0')}-${j}`)).join('---\n');
    return { filename: `rendered/bundle-${i}.yaml`, status: 'added' as const, patch: addedPatch(content), content };
  });
}

/** `n` small files, one bad Deployment each. */
export function manyFiles(n: number): FakeFile[] {
  return Array.from({ length: n }, (_, i) => {
    const content = badDeployment(`app-${i}`);
    return { filename: `apps/app-${String(i).padStart(4, '0')}.yaml`, status: 'added' as const, patch: addedPatch(content), content };
  });
}

export interface Scenario {
  /** From sending the delivery to its HTTP answer. */
  webhookMs: number;
  /** From sending the delivery to the completed check run. */
  runMs: number;
  /** `/ping` round trips while the run was in flight (ms). */
  pings: number[];
  /** VmHWM of the app process (worker threads included), KiB. */
  peakRssKb: number;
  conclusion?: string;
  title?: string;
  annotations: number;
  /** POST/PATCH/PUT requests and GraphQL mutations. */
  writes: number;
  requests: number;
  fake: FakeGitHub;
}

function ping(port: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/ping', timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
    });
    req.on('error', () => resolve(Number.POSITIVE_INFINITY));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}

/** Deliver `opened` for a PR of `files`, ping while it runs, and report. */
export async function runScenario(
  files: FakeFile[],
  opts: { env?: Record<string, string>; nodeArgs?: string[]; pingEveryMs?: number; timeoutMs?: number; dist?: boolean } = {},
): Promise<Scenario> {
  const fake = new FakeGitHub({ owner: OWNER, repo: REPO, number: 12, headSha: 'b16', files });
  const served = await serveFake(fake);
  // Octokit's throttling paces GraphQL and writes one a second: off, unless a caller wants GitHub's pacing.
  const env = { MINPRIV_SWEEP_INTERVAL_SECONDS: '0', MINPRIV_GITHUB_THROTTLE: 'false', ...opts.env };
  const app = await startApp(served.host, env, opts.nodeArgs, opts.dist);
  try {
    const pings: number[] = [];
    const t0 = performance.now();
    let done = false;
    const pinger = (async () => {
      while (!done) {
        pings.push(await ping(app.port));
        await new Promise((r) => setTimeout(r, opts.pingEveryMs ?? 25));
      }
    })();
    const status = await app.deliver('pull_request', prPayload('opened', 12, 'b16', { changedFiles: files.length }));
    const webhookMs = performance.now() - t0;
    if (status !== 200 && status !== 202) throw new Error(`the delivery was answered ${status}`);
    const until = Date.now() + (opts.timeoutMs ?? 120_000);
    while (fake.checkRuns.get(101)?.status !== 'completed' && Date.now() < until && app.proc.exitCode === null) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const runMs = performance.now() - t0;
    done = true;
    await pinger;
    // The annotation batches follow the completing PATCH: wait until the app says the run is done.
    await app.waitForLog((l) => String(l.msg).includes('decision') || String(l.msg).includes('reviewed'), 30_000).catch(() => undefined);
    const peakRssKb = app.proc.exitCode === null && app.proc.pid ? peakRss(app.proc.pid) : 0;
    const run = fake.checkRuns.get(101);
    const output = run?.output as { title?: string } | undefined;
    const writes = fake.requests.filter(
      (r) => r.method !== 'GET' && !(r.path === '/graphql' && !/^\s*mutation/.test(String((r.body as { query?: string } | undefined)?.query ?? ''))),
    ).length;
    const annotations = fake
      .bodies('PATCH', '/repos/acme/gitops/check-runs/')
      .reduce<number>((n, b) => n + ((b as { output?: { annotations?: unknown[] } }).output?.annotations?.length ?? 0), 0);
    const out: Scenario = { webhookMs, runMs, pings, peakRssKb, annotations, writes, requests: fake.requests.length, fake };
    if (run?.conclusion) out.conclusion = String(run.conclusion);
    if (output?.title) out.title = output.title;
    if (app.proc.exitCode !== null) throw new Error(`the app exited (${app.proc.exitCode}):\n${app.logs.map((l) => String(l.msg)).join('\n')}`);
    return out;
  } finally {
    app.kill();
    await served.close();
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] as number);
}
