/**
 * A real redis-server for the queue tests, on a free loopback port, no persistence; stopped when the test file ends.
 * Where redis-server is not installed the tests are skipped, saying why (CI installs it: .ci/run).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export function redisServerPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const REDIS = redisServerPath();
if (!REDIS) console.warn('queue tests skipped: redis-server is not installed (apt-get install redis-server; .ci/run does it)');

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const address = s.address();
  await new Promise((r) => s.close(r));
  return typeof address === 'object' && address ? address.port : 0;
}

export interface RedisServer {
  url: string;
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const proc = spawn(REDIS as string, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never outlive the test process, even when it fails.
  const orphan = () => proc.kill('SIGKILL');
  process.once('exit', orphan);
  proc.once('exit', () => process.off('exit', orphan));
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.on('exit', () => reject(new Error(`redis-server exited:\n${out}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    proc,
    stop: () =>
      new Promise<void>((r) => {
        if (proc.exitCode !== null) return r();
        proc.once('exit', () => r());
        proc.kill('SIGTERM');
      }),
  };
}
