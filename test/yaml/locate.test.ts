import { describe, expect, it } from 'vitest';
import { documentLines, locate, nodeEnd, nodeStart, positionOf } from '../../src/yaml/locate.js';
import { parseYamlFile } from '../../src/yaml/parse.js';

function parse(text: string) {
  const f = parseYamlFile('t.yaml', text);
  expect(f.error).toBeUndefined();
  return f;
}
const root = (f: ReturnType<typeof parse>, doc = 0) => (f.docs[doc] as { root: number }).root;
const textOf = (f: ReturnType<typeof parse>, i: number) => f.text.slice(nodeStart(f, i), nodeEnd(f, i));

describe('locate', () => {
  it('finds keys, sequence items and the key event of a mapping value', () => {
    const f = parse('spec:\n  containers:\n  - name: a\n  - name: b\n    image: x\n');
    const loc = locate(f, root(f), ['spec', 'containers', 1, 'image']);
    expect(loc.depth).toBe(4);
    expect(textOf(f, loc.node)).toBe('x');
    expect(textOf(f, loc.keyEvent as number)).toBe('image');
  });

  it('stops at the deepest existing prefix, and at a wrong type or an index out of range', () => {
    const f = parse('spec:\n  containers:\n  - name: a\n');
    expect(locate(f, root(f), ['spec', 'containers', 0, 'securityContext', 'privileged']).depth).toBe(3);
    expect(locate(f, root(f), ['spec', 'containers', 5]).depth).toBe(2);
    expect(locate(f, root(f), ['spec', 'containers', 'x']).depth).toBe(2);
    expect(locate(f, root(f), ['spec', 0]).depth).toBe(1);
  });

  it('matches quoted, escaped and block-style keys by their value', () => {
    const f = parse('"quoted": 1\n\'single\': 2\n"esc\\u0061ped": 3\nplain: 4\n');
    expect(textOf(f, locate(f, root(f), ['quoted']).node)).toBe('1');
    expect(textOf(f, locate(f, root(f), ['single']).node)).toBe('2');
    expect(textOf(f, locate(f, root(f), ['escaped']).node)).toBe('3');
    expect(locate(f, root(f), ['plai']).depth).toBe(0);
  });

  it('follows an alias and says so; a key missing beside a merge key is marked as possibly merged', () => {
    const f = parse('base: &b\n  x: 1\nuse: *b\nmerged:\n  <<: *b\n  y: 2\n');
    const viaAlias = locate(f, root(f), ['use', 'x']);
    expect([viaAlias.depth, viaAlias.viaAlias, textOf(f, viaAlias.node)]).toEqual([2, true, '1']);
    const merged = locate(f, root(f), ['merged', 'x']);
    expect([merged.depth, merged.viaAlias]).toEqual([1, true]);
    expect(locate(f, root(f), ['merged', 'y']).viaAlias).toBe(false);
  });

  it('keeps anchors whose names differ only in their first letter apart', () => {
    const f = parse('one: &ab\n  v: 1\ntwo: &cb\n  v: 2\nuseOne: *ab\nuseTwo: *cb\n');
    expect(f.docs[0]?.value).toMatchObject({ useOne: { v: 1 }, useTwo: { v: 2 } });
    expect(positionOf(f, root(f), ['useOne', 'v']).line).toBe(2);
    expect(positionOf(f, root(f), ['useTwo', 'v']).line).toBe(4);
  });
});

describe('node offsets', () => {
  it('include the anchor and the tag of a node, and the quotes of a scalar', () => {
    const f = parse('a: &x !!str "v"\nb: !!map &y\n  k: 1\nc: *x\n');
    expect(textOf(f, locate(f, root(f), ['a']).node)).toBe('&x !!str "v"');
    expect(f.text.slice(nodeStart(f, locate(f, root(f), ['b']).node)).startsWith('!!map &y')).toBe(true);
    expect(textOf(f, locate(f, root(f), ['c']).node)).toBe('*x');
  });

  it('span block scalars from their header and flow collections to their closing bracket', () => {
    const f = parse('s: |\n  line1\n  line2\nf: [1, 2]\nm: {a: 1}\n');
    expect(textOf(f, locate(f, root(f), ['s']).node)).toBe('|\n  line1\n  line2\n');
    expect(textOf(f, locate(f, root(f), ['f']).node)).toBe('[1, 2]');
    expect(textOf(f, locate(f, root(f), ['m']).node)).toBe('{a: 1}');
  });

  it('give each document its first and last line', () => {
    const f = parse('a: 1\nb: 2\n---\nc:\n  d: 3\n');
    expect(documentLines(f, root(f, 0))).toEqual({ start: 1, end: 2 });
    expect(documentLines(f, root(f, 1))).toEqual({ start: 4, end: 5 });
  });

  it('positionOf points at the key of an existing path, exact; at the parent of a missing one, not exact', () => {
    const f = parse('spec:\n  containers:\n    - name: a\n      securityContext:\n        privileged: true\n');
    expect(positionOf(f, root(f), ['spec', 'containers', 0, 'securityContext', 'privileged'])).toEqual({ line: 5, column: 9, endLine: 5, exact: true });
    expect(positionOf(f, root(f), ['spec', 'containers', 0, 'securityContext', 'runAsNonRoot'])).toEqual({
      line: 4,
      column: 7,
      endLine: 5,
      exact: false,
    });
    expect(positionOf(f, root(f), ['spec', 'containers', 0, 'image'])).toMatchObject({ line: 3, column: 7, exact: false });
  });
});

describe('nodeEnd of nested flow collections (QA #11)', () => {
  it('ends a flow collection at its own closing bracket, not at a nested one', () => {
    const cases: [string, string][] = [
      ['x: {a: {b: [c]}}\n', '{a: {b: [c]}}'],
      ['x: {a: {b: [c]} }\ny: 1\n', '{a: {b: [c]} }'],
      ['x: [a, [b, {c: d}]]\n', '[a, [b, {c: d}]]'],
      ['x: {a: [1, 2], b: {c: [3]}, }\n', '{a: [1, 2], b: {c: [3]}, }'],
      ['x: {a: }\n', '{a: }'],
      ['x: {a: [b] # note\n  }\n', '{a: [b] # note\n  }'],
    ];
    for (const [text, want] of cases) {
      const f = parse(text);
      expect(textOf(f, locate(f, root(f), ['x']).node), text).toBe(want);
    }
  });

  it('a block collection whose last value is a multi-line flow collection ends at its bracket', () => {
    const f = parse('x:\n  a: {b: [c,\n    d]}\ny: 1\n');
    expect(textOf(f, locate(f, root(f), ['x']).node)).toBe('a: {b: [c,\n    d]}');
    expect(positionOf(f, root(f), ['x']).endLine).toBe(3);
    expect(documentLines(f, root(f))).toEqual({ start: 1, end: 4 });
  });
});
