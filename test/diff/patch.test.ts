import { describe, expect, it } from 'vitest';
import { addedFileDiff, type FileDiff, hunkContaining, parsePatch, touches, unknownDiff } from '../../src/diff/patch.js';

// GitHub's `patch` field: hunks only, no ---/+++ header.
const PATCH = [
  '@@ -2,4 +2,5 @@ kind: Pod',
  ' metadata:',
  '-  name: a',
  '+  name: b',
  '+  labels: {}',
  ' spec:',
  '   x: 1',
  '@@ -20,3 +21,2 @@',
  ' a',
  '-b',
  ' c',
].join('\n');

describe('parsePatch', () => {
  it('gives right-side hunk ranges, added lines and deletion points', () => {
    const d = parsePatch(PATCH);
    expect(d.hunks).toEqual([
      { start: 2, end: 6 },
      { start: 21, end: 22 },
    ]);
    expect([...d.added]).toEqual([3, 4]);
    // "-  name: a" sits before head line 3; "-b" after head line 21.
    expect([...d.deletedAfter].sort((a, b) => a - b)).toEqual([2, 21]);
    expect(d.known).toBe(true);
  });

  it('ignores "\\ No newline at end of file" and handles a new file and a pure deletion hunk', () => {
    const added = parsePatch('@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n\\ No newline at end of file');
    expect(added.hunks).toEqual([{ start: 1, end: 2 }]);
    expect([...added.added]).toEqual([1, 2]);
    const deletion = parsePatch('@@ -5,2 +4,0 @@\n-x\n-y');
    expect(deletion.hunks).toEqual([]);
    expect([...deletion.deletedAfter]).toEqual([4]);
  });

  it('reads a full git diff of one file too', () => {
    const d = parsePatch('diff --git a/x.yaml b/x.yaml\nindex 1..2 100644\n--- a/x.yaml\n+++ b/x.yaml\n@@ -1 +1 @@\n-a: 1\n+a: 2\n');
    expect(d.hunks).toEqual([{ start: 1, end: 1 }]);
    expect([...d.added]).toEqual([1]);
  });
});

describe('hunkContaining / touches', () => {
  const d = parsePatch(PATCH);
  it('accepts a range inside one hunk only', () => {
    expect(hunkContaining(d.hunks, 3, 6)).toEqual({ start: 2, end: 6 });
    expect(hunkContaining(d.hunks, 6, 21)).toBeUndefined();
    expect(hunkContaining(d.hunks, 7, 7)).toBeUndefined();
  });
  it('says whether a line range was changed', () => {
    expect(touches(d, 4, 4)).toBe(true);
    expect(touches(d, 5, 6)).toBe(false);
    expect(touches(d, 22, 30)).toBe(true);
    expect(touches(d, 23, 30)).toBe(false);
    expect(touches(unknownDiff(), 100, 100)).toBe(true);
  });

  it('answers as the definition does for any range: some added line in start..end, or a deletion after start - 1..end', () => {
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const definition = (d: FileDiff, start: number, end: number) =>
      [...d.added].some((l) => l >= start && l <= end) || [...d.deletedAfter].some((a) => a >= start - 1 && a <= end);
    for (let round = 0; round < 200; round++) {
      const d: FileDiff = { hunks: [], added: new Set(), deletedAfter: new Set(), known: true };
      for (let k = rnd(12); k > 0; k--) d.added.add(1 + rnd(60));
      for (let k = rnd(6); k > 0; k--) d.deletedAfter.add(rnd(60));
      for (let q = 0; q < 20; q++) {
        const start = 1 + rnd(62);
        const end = start + rnd(8);
        expect(touches(d, start, end), `round ${round}: ${start}..${end}`).toBe(definition(d, start, end));
      }
      // Lines added after a first question are seen by the next one.
      d.added.add(61);
      expect(touches(d, 61, 61)).toBe(true);
    }
    const big = addedFileDiff(30_000);
    expect([touches(big, 1, 1), touches(big, 30_000, 30_000), touches(big, 30_001, 40_000)]).toEqual([true, true, false]);
  });
});
