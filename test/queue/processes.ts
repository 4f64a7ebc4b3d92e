/**
 * The app's two roles as real processes (src/server/main.ts = web, src/server/worker.ts = worker, through tsx)
 * against a fake GitHub served over HTTP (GHE_HOST) and a real Redis: what a scaled-out deployment runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort } from './redis.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'test-secret';
let key: string | undefined;
/** Every process started here dies with the test (or bench) process, even when that one fails. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

export interface RoleProcess {
  role: 'web' | 'worker';
  proc: ChildProcess;
  port: number;
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLog(match: (line: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): void;
}

/** Start one role; resolves once it listens. `env` adds to (and overrides) the test defaults. */
export async function startRole(role: 'web' | 'worker', gheHost: string, redisUrl: string, env: Record<string, string> = {}): Promise<RoleProcess> {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const port = await freePort();
  const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
  const cwd = mkdtempSync(join(tmpdir(), `minpriv-${role}-`));
  const entry = join(root, role === 'web' ? 'src/server/main.ts' : 'src/server/worker.ts');
  const proc = spawn(process.execPath, ['--import', loader, entry], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      APP_ID: '1',
      PRIVATE_KEY: key,
      WEBHOOK_SECRET: SECRET,
      HOST: '127.0.0.1',
      PORT: String(port),
      GHE_HOST: gheHost,
      GHE_PROTOCOL: 'http',
      REDIS_URL: redisUrl,
      MINPRIV_GITHUB_THROTTLE: 'false',
      MINPRIV_SWEEP_INTERVAL_SECONDS: '0',
      MINPRIV_JOB_BACKOFF_SECONDS: '0.2',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  const logs: Record<string, unknown>[] = [];
  const watchers: (() => void)[] = [];
  let buffer = '';
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
      if (process.env.APP_DEBUG) console.error(`[${role}:${port}] ${line}`);
    }
    for (const w of watchers) w();
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const waitForLog = (match: (line: Record<string, unknown>) => boolean, ms = 10_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const hit = logs.find(match);
        if (hit) {
          clearTimeout(timer);
          resolve(hit);
        }
      };
      const timer = setTimeout(() => reject(new Error(`${role}: no matching log line in ${ms} ms:\n${logs.map((l) => String(l.msg)).join('\n')}`)), ms);
      watchers.push(check);
      check();
    });
  const ready =
    role === 'web'
      ? (l: Record<string, unknown>) => String(l.msg).startsWith('Listening on')
      : (l: Record<string, unknown>) => String(l.msg).startsWith('worker listening');
  const early = exited.then(() => {
    throw new Error(`the ${role} process exited before listening:\n${logs.map((l) => String(l.msg)).join('\n')}`);
  });
  await Promise.race([waitForLog(ready, 60_000), early]);
  early.catch(() => undefined);
  return {
    role,
    proc,
    port,
    logs,
    exited,
    waitForLog,
    kill: (signal = 'SIGKILL') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    },
  };
}

/** POST a signed delivery; the HTTP status and how long the answer took. */
export function deliver(port: number, event: string, payload: unknown, id: string): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/github/webhooks',
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': id,
          'x-hub-signature-256': signature,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(body);
  });
}

/** GET a path of a role's HTTP server: status and body. */
export function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

/** A pull_request payload for one repository of an installation. */
export function prEvent(action: string, o: { installation: number; owner: string; repo: string; number: number; headSha: string; draft?: boolean }) {
  const repository = { id: 1, name: o.repo, full_name: `${o.owner}/${o.repo}`, owner: { login: o.owner } };
  return {
    action,
    number: o.number,
    pull_request: {
      number: o.number,
      draft: o.draft ?? false,
      changed_files: 1,
      head: { sha: o.headSha, ref: 'feature', repo: repository },
      base: { sha: 'base000', ref: 'main', repo: repository },
    },
    repository,
    installation: { id: o.installation },
    sender: { login: 'dev', type: 'User' },
  };
}

export async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
