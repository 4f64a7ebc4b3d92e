import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePatch } from '../../src/diff/patch.js';
import { diffOf } from '../../src/review/patch-diff.js';

const added = (lines: string[]) => [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');

describe('diffOf: the patch of a new file without the general parser', () => {
  const root = new URL('../fixtures/rules/', import.meta.url);
  const texts = readdirSync(root).flatMap((rule) =>
    readdirSync(new URL(`${rule}/`, root))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => readFileSync(new URL(`${rule}/${f}`, root), 'utf8')),
  );

  it('reads every fixture as a new file as parsePatch does (with and without a final newline, CRLF)', () => {
    expect(texts.length).toBeGreaterThan(100);
    for (const text of texts) {
      const lines = text.replace(/\n$/, '').split('\n');
      for (const patch of [added(lines), `${added(lines)}\n`, added(lines.map((l) => `${l}\r`))]) {
        expect(diffOf(patch)).toEqual(parsePatch(patch));
      }
    }
  });

  it('gives every other patch to parsePatch, with the same result', () => {
    const cases = [
      added(['a', '++ b', '+++ c', '--- d', '@@ -1 +1 @@', '\\ e']),
      `${added(['a', 'b'])}\n\\ No newline at end of file`,
      '@@ -0,0 +1,3 @@\n+a\n+b',
      '@@ -0,0 +1,2 @@\n+a\n+b\n+c',
      '@@ -0,0 +1,2 @@\n+a\n\n+b',
      '@@ -0,0 +1 @@\n+a',
      '@@ -0,0 +1,2 @@ spec:\n+a\n+b',
      '@@ -0,0 +0,0 @@',
      '@@ -3,4 +3,5 @@\n a\n-b\n+c\n+d\n e\n f',
      '@@ -0,0 +1,2 @@\n+a\n+b\n@@ -10,1 +11,1 @@\n-x\n+y',
      '',
    ];
    for (const patch of cases) expect(diffOf(patch), JSON.stringify(patch)).toEqual(parsePatch(patch));
  });
});
