import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';
import { parseYamlFile } from '../../src/yaml/parse.js';
import { FIXTURE_CORPUS } from '../corpus-path.js';

// Seeds: the restricted PSS fail fixtures (every control, real layouts), copied to test/fixtures/corpus/pss.
const DIR = path.join(FIXTURE_CORPUS, 'pss/restricted/v1.37/fail');
const SEEDS = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => readFileSync(path.join(DIR, f), 'utf8'));

/** Formatting damage a real file can have: tabs, anchors and aliases, flow blocks, stray indentation, comments. */
const MUTATIONS: ((line: string) => string[])[] = [
  (l) => [l.replace(/^( +)/, '\t')],
  (l) => [l.replace(/:( |$)/, ': &a$1')],
  (l) => [l.replace(/:( .*)?$/, ': *a')],
  (l) => [l, l],
  () => [],
  (l) => [` ${l}`],
  (l) => [l.replace(/^ {2}/, '')],
  (l) => [l.replace(/: (\S.*)$/, ': {v: $1}')],
  (l) => [l.replace(/: (\S.*)$/, ': [$1]')],
  (l) => [l, `${l.match(/^ */)?.[0] ?? ''}<<: *a`],
  (l) => [`${l.match(/^ */)?.[0] ?? ''}# comment`, l],
  (l) => [l.replace(/: (\S.*)$/, ': |\n    $1')],
  (l) => [l.replace(/^(\s*)- /, '$1-\t')],
  (l) => [l.replace(/: (\S+)$/, ': $1\r')],
];

const OPTIONS = { profile: 'pss-restricted' as const };

describe('fix engine on damaged manifests', () => {
  it('never throws, and every fix it still offers verifies on its own', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: SEEDS.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: MUTATIONS.length - 1 })), { minLength: 1, maxLength: 4 }),
        (seed, damage) => {
          let lines = (SEEDS[seed] as string).split('\n');
          for (const [at, kind] of damage) {
            const i = at % lines.length;
            lines = [...lines.slice(0, i), ...(MUTATIONS[kind] as (l: string) => string[])(lines[i] as string), ...lines.slice(i + 1)];
          }
          const text = lines.join('\n');
          const out = scan([{ path: 'm.yaml', content: text }], OPTIONS);
          const file = out.files.get('m.yaml');
          if (!file) throw new Error('not scanned');
          const r = buildFixes(file, out.findings, { scan: OPTIONS });
          const before = new Set(out.findings.map((f) => f.fingerprint));
          const fixable = out.findings.filter((f) => f.fix).length;
          // Each fixable finding is either fixed or declined with a reason.
          expect(r.fixes.reduce((n, f) => n + f.resolves.length, 0) + r.declined.length).toBe(fixable);
          for (const d of r.declined) expect(d.reason.length).toBeGreaterThan(0);
          for (const fix of r.fixes) {
            const one = applyLineEdits(text, [fix.edit]);
            expect(parseYamlFile('m.yaml', one).error).toBeUndefined();
            const after = scan([{ path: 'm.yaml', content: one }], OPTIONS).findings.map((f) => f.fingerprint);
            expect(after.filter((fp) => fix.resolves.includes(fp) || !before.has(fp))).toEqual([]);
          }
        },
      ),
      { numRuns: 300, seed: 4242 },
    );
  });
});
