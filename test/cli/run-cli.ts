import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main.js';

/** Run the CLI in-process in `cwd` with `env`, capturing standard output and error. */
export async function runCaptured(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: new PassThrough(),
    cwd,
    env,
  });
  return { code, out, err };
}
