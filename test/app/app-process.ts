/**
 * A real minpriv app process (src/server/main.ts through tsx) against a FakeGitHub served over plain HTTP:
 * Probot's GHE_HOST/GHE_PROTOCOL point it at http://127.0.0.1:<port>/api/v3, so nothing leaves the machine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FakeGitHub } from '../github/fake-github.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'test-secret';
let key: string | undefined;

/** Serve the fake over HTTP like a GitHub Enterprise Server: REST under /api/v3, GraphQL at /api/graphql. */
export async function serveFake(fake: FakeGitHub): Promise<{ host: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = (req.url ?? '/').replace(/^\/api\/v3/, '').replace(/^\/api\/graphql/, '/graphql');
    const [status, body, headers] = await fake.answer(req.method ?? 'GET', url, Buffer.concat(chunks).toString('utf8'));
    const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
    const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
    if (!res.destroyed) res.writeHead(status, { 'content-type': type, ...headers }).end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface AppProcess {
  proc: ChildProcess;
  port: number;
  /** Every log line (JSON objects from pino), as they come. */
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** POST a signed delivery; resolves with the HTTP status (or 0 when the connection failed). */
  deliver(event: string, payload: unknown, id?: string): Promise<number>;
  /** Resolves once a log line matches (or rejects after `ms`). */
  waitForLog(match: (line: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  kill(): void;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** `dist`: run the built server (`npm run build` first), as the image does, instead of the sources through tsx. */
export async function startApp(gheHost: string, env: Record<string, string> = {}, nodeArgs: readonly string[] = [], dist = false): Promise<AppProcess> {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const port = await freePort();
  const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
  // A fresh cwd: Probot loads .env from it, and it would win over this environment.
  const cwd = mkdtempSync(join(tmpdir(), 'minpriv-app-'));
  const entry = dist ? [join(root, 'dist/server/main.js')] : ['--import', loader, join(root, 'src/server/main.ts')];
  const proc = spawn(process.execPath, [...nodeArgs, ...entry], {
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
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
      if (process.env.APP_DEBUG) console.error(line);
    }
    for (const w of watchers) w();
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const waitForLog = (match: (line: Record<string, unknown>) => boolean, ms = 8000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const hit = logs.find(match);
        if (hit) {
          clearTimeout(timer);
          resolve(hit);
        }
      };
      const timer = setTimeout(() => reject(new Error(`no matching log line in ${ms} ms:\n${logs.map((l) => String(l.msg)).join('\n')}`)), ms);
      watchers.push(check);
      check();
    });
  const app: AppProcess = {
    proc,
    port,
    logs,
    exited,
    waitForLog,
    deliver: (event, payload, id = `d-${Date.now()}`) => post(port, event, payload, id),
    kill: () => {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
  const early = exited.then(() => {
    throw new Error(`the app process exited before listening:\n${logs.map((l) => String(l.msg)).join('\n')}`);
  });
  await Promise.race([waitForLog((l) => String(l.msg).startsWith('Listening on'), 20_000), early]);
  early.catch(() => undefined);
  return app;
}

function post(port: number, event: string, payload: unknown, id: string): Promise<number> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
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
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}
