#!/usr/bin/env node
import { TOOL_VERSION } from '../core/links.js';
import type { Command, CommandIO } from './io.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  scan: { summary: 'scan manifests (files, folders, or - for stdin)', load: () => import('./scan.js') },
  fix: { summary: 'apply verified least-privilege fixes in place', load: () => import('./fix.js') },
  review: { summary: 'run the pull-request review on a git range or a live PR', load: () => import('./review.js') },
  rules: { summary: 'list the rules', load: () => import('./rules.js') },
  rbac: { summary: 'RBAC of the repository: permission diff, who-can, permissions of a subject', load: () => import('./rbac.js') },
};

export function usage(): string {
  const lines = ['usage: minpriv <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)} ${c.summary}`);
  lines.push('', 'Run `minpriv <command> --help` for the options of a command.');
  return `${lines.join('\n')}\n`;
}

export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`minpriv ${TOOL_VERSION}\n`);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr.write(`minpriv: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  const { run } = await cmd.load();
  return run(rest, io);
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${(await import('node:fs')).realpathSync(process.argv[1])}`).href;
if (isMain) {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err: unknown) => {
      process.stderr.write(`minpriv: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    });
}
