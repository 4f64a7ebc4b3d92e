import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/scan-corpus.js';
import { deepEqual, deepEqualTree, expectedValue } from '../../src/yaml/edit-value.js';
import { parseYamlFile } from '../../src/yaml/parse.js';

describe('deepEqualTree', () => {
  it('tells apart what deepEqual tells apart', () => {
    const cases: [unknown, unknown][] = [
      [{ a: 1 }, { a: 1, b: undefined }],
      [{ a: [1, 2] }, { a: [1, 2, 3] }],
      [{ a: { b: null } }, { a: { b: 0 } }],
      [[{ x: '1' }], [{ x: 1 }]],
      [{ a: [] }, { a: {} }],
      [Number.NaN, Number.NaN],
      [0, -0],
      [{ a: { b: [true] } }, { a: { b: [true] } }],
    ];
    for (const [a, b] of cases) {
      expect(deepEqualTree(a, b)).toBe(deepEqual(a, b));
      expect(deepEqualTree(b, a)).toBe(deepEqual(b, a));
    }
    expect(deepEqualTree({ a: { b: [true] } }, { a: { b: [true] } })).toBe(true);
    expect(deepEqualTree({ a: { b: [true] } }, { a: { b: [false] } })).toBe(false);
  });

  it('agrees with deepEqual on every bench corpus document against itself parsed again and against a changed copy', () => {
    let n = 0;
    for (const f of generateCorpus(200)) {
      const text = String(f.content);
      const a = parseYamlFile(f.path, text);
      const b = parseYamlFile(f.path, text);
      for (const doc of a.docs) {
        const other = b.docs[doc.index]?.value;
        expect(deepEqualTree(doc.value, other)).toBe(true);
        const changed = expectedValue(doc.value, [{ op: 'set', path: ['metadata', 'labels', 'x'], value: 'y' }], false);
        expect(deepEqualTree(changed, other)).toBe(false);
        expect(deepEqualTree(changed, expectedValue(other, [{ op: 'set', path: ['metadata', 'labels', 'x'], value: 'y' }], false))).toBe(true);
        n++;
      }
    }
    expect(n).toBeGreaterThan(100);
  });
});
