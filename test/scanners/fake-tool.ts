/** Small fake scanners for tests: node scripts on a private PATH that print a real sample and exit with a real code. */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const SAMPLES = path.join(import.meta.dirname, '../fixtures/scanners');

export interface FakeTools {
  bin: string;
  /** PATH with the fake tools first. */
  path: string;
  /** Install `name`: logs its argv and the files it sees to `<name>.log.json`, then runs `body` (CommonJS). */
  add(name: string, body: string): void;
  /** What `name` logged on its last run. */
  logged(name: string): { argv: string[]; files: string[] };
  remove(): void;
}

export function fakeTools(): FakeTools {
  const root = mkdtempSync(path.join(tmpdir(), 'minpriv-fake-scanners-'));
  const bin = path.join(root, 'bin');
  mkdirSync(bin);
  const logOf = (name: string) => path.join(root, `${name}.log.json`);
  return {
    bin,
    path: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    add(name, body) {
      const script = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const files = [];
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); e.isDirectory() ? walk(p) : files.push(path.relative(process.cwd(), p)); } };
walk(process.cwd());
fs.writeFileSync(${JSON.stringify(logOf(name))}, JSON.stringify({ argv: process.argv.slice(2), files: files.sort() }));
${body}
`;
      writeFileSync(path.join(bin, name), script);
      chmodSync(path.join(bin, name), 0o755);
    },
    logged: (name) => JSON.parse(readFileSync(logOf(name), 'utf8')),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A script body that prints a sample of `test/fixtures/scanners` and exits with `code`. */
export const printSample = (rel: string, code = 0): string =>
  `process.stdout.write(fs.readFileSync(${JSON.stringify(path.join(SAMPLES, rel))}, 'utf8')); process.exit(${code});`;
