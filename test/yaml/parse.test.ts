import { describe, expect, it } from 'vitest';
import { positionOf } from '../../src/yaml/locate.js';
import { parseYamlFile } from '../../src/yaml/parse.js';

const at = (text: string, path: (string | number)[], doc = 0) => {
  const f = parseYamlFile('t.yaml', text);
  expect(f.error).toBeUndefined();
  const p = positionOf(f, (f.docs[doc] as { root: number }).root, path);
  return [p.line, p.column];
};

describe('parseYamlFile', () => {
  it('reads every document of a multi-document file with its own positions', () => {
    const text = ['a: 1', '---', '# comment', 'b:', '  c: 2', '---', 'd: [x, y]', ''].join('\n');
    const f = parseYamlFile('t.yaml', text);
    expect(f.docs.map((d) => d.value)).toEqual([{ a: 1 }, { b: { c: 2 } }, { d: ['x', 'y'] }]);
    expect(at(text, ['b', 'c'], 1)).toEqual([5, 3]);
    expect(at(text, ['d', 1], 2)).toEqual([7, 8]);
  });

  it('keeps lines and columns right with CRLF line endings', () => {
    const text = 'a: 1\r\nb:\r\n  c: true\r\n';
    const f = parseYamlFile('t.yaml', text);
    expect(f.eol).toBe('\r\n');
    expect(f.docs[0]?.value).toEqual({ a: 1, b: { c: true } });
    expect(at(text, ['b', 'c'])).toEqual([3, 3]);
  });

  it('strips a UTF-8 byte order mark and counts columns without it', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('kind: Pod\nspec: {}\n')]);
    const f = parseYamlFile('t.yaml', bytes);
    expect(f.bom).toBe(true);
    expect(f.docs[0]?.value).toEqual({ kind: 'Pod', spec: {} });
    expect(positionOf(f, (f.docs[0] as { root: number }).root, ['kind'])).toMatchObject({ line: 1, column: 1 });
  });

  it('keeps tabs inside strings and positions after them', () => {
    const text = 'a: "x\\ty"\nb: \'tab\there\'\nc: 3\n';
    const f = parseYamlFile('t.yaml', text);
    expect(f.docs[0]?.value).toEqual({ a: 'x\ty', b: 'tab\there', c: 3 });
    expect(at(text, ['c'])).toEqual([3, 1]);
  });

  it('resolves anchors, aliases and merge keys to values', () => {
    const text = ['base: &sc', '  privileged: true', 'c:', '  securityContext: *sc', 'd:', '  <<: *sc', '  extra: 1', ''].join('\n');
    const f = parseYamlFile('t.yaml', text);
    expect(f.docs[0]?.value).toEqual({ base: { privileged: true }, c: { securityContext: { privileged: true } }, d: { privileged: true, extra: 1 } });
  });

  it('locates through an alias to the anchored text', () => {
    const text = ['base: &sc', '  privileged: true', 'c:', '  securityContext: *sc', ''].join('\n');
    const f = parseYamlFile('t.yaml', text);
    const p = positionOf(f, (f.docs[0] as { root: number }).root, ['c', 'securityContext', 'privileged']);
    expect([p.line, p.column, p.exact]).toEqual([2, 3, true]);
  });

  it('resolves a redefined anchor to the definition before the alias, per document', () => {
    const text = ['a: &x', '  k: 1', 'b: *x', '---', 'a: &x', '  k: 2', 'b: *x', ''].join('\n');
    const f = parseYamlFile('t.yaml', text);
    expect(f.docs.map((d) => d.value)).toEqual([
      { a: { k: 1 }, b: { k: 1 } },
      { a: { k: 2 }, b: { k: 2 } },
    ]);
    expect(at(text, ['b', 'k'], 0)).toEqual([2, 3]);
    expect(at(text, ['b', 'k'], 1)).toEqual([6, 3]);
  });

  it('points a missing path at its deepest existing parent', () => {
    const text = ['spec:', '  containers:', '  - name: app', '    image: nginx', ''].join('\n');
    const f = parseYamlFile('t.yaml', text);
    const p = positionOf(f, (f.docs[0] as { root: number }).root, ['spec', 'containers', 0, 'securityContext', 'runAsNonRoot']);
    expect([p.line, p.column, p.exact]).toEqual([3, 5, false]);
  });

  it('treats an empty file and a comment-only file as zero documents or a null document, not an error', () => {
    expect(parseYamlFile('t.yaml', '').error).toBeUndefined();
    const c = parseYamlFile('t.yaml', '# only a comment\n');
    expect(c.error).toBeUndefined();
    expect(c.docs.every((d) => d.value === null || d.value === undefined)).toBe(true);
  });

  it('reports a syntax error with its line and column', () => {
    const f = parseYamlFile('t.yaml', 'a: 1\nb: [1, 2\nc: 3\n');
    expect(f.error?.reason).toBe('syntax');
    expect(f.error?.line).toBe(3);
  });
});
