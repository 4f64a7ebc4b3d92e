import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { CommandIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';

/** A Pod that passes every Pod Security Standards control; tests change one line of it. */
export function hardenedPod(name: string, extra: { containerSc?: string[]; omitApe?: boolean } = {}): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  securityContext:',
    '    runAsNonRoot: true',
    '    seccompProfile:',
    '      type: RuntimeDefault',
    '  containers:',
    '  - name: app',
    '    image: registry.example/app:1.0.0',
    '    securityContext:',
    ...(extra.omitApe ? [] : ['      allowPrivilegeEscalation: false']),
    '      capabilities:',
    '        drop: ["ALL"]',
    ...(extra.containerSc ?? []).map((l) => `      ${l}`),
    '',
  ].join('\n');
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runScan(args: string[], opts: { cwd: string; stdin?: string; tty?: boolean; env?: Record<string, string> }): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    stdout: { write: (c: string) => (stdout += c), isTTY: opts.tty ?? false },
    stderr: { write: (c: string) => (stderr += c) },
    stdin: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]) as CommandIO['stdin'],
    cwd: opts.cwd,
    env: opts.env ?? {},
  };
  const code = await runCli(['scan', ...args], io);
  return { code, stdout, stderr };
}

export function tempDir(): { dir: string; done: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'minpriv-scan-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}
