import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../src/core/types.js';

/** test/fixtures: the YAML every rule, fix and report test reads. */
export const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/**
 * Every *.yaml / *.yml under `dir` (recursively, sorted), named by its path relative to test/fixtures;
 * `bytes` keeps the content as a Buffer (the scan then decodes it as it decodes files read from disk).
 */
export function fixtureFiles(dir: string = FIXTURES, options: { bytes?: boolean } = {}): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e)) out.push({ path: path.relative(FIXTURES, p), content: options.bytes ? readFileSync(p) : readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return out;
}
