import { describe, expect, it } from 'vitest';
import { fileStyle } from '../../src/yaml/edit-format.js';
import { parseYamlFile } from '../../src/yaml/parse.js';

const styleOf = (text: string) => fileStyle(parseYamlFile('s.yaml', text));

describe('fileStyle (one pass over the events)', () => {
  it('reads nesting width and flush lists', () => {
    const text = ['a:', '    b:', '        c: 1', '    list:', '    - x', '    - y', ''].join('\n');
    expect(styleOf(text)).toEqual({ indent: 4, seqIndent: 0, quote: '"' });
  });

  it('reads indented lists and single quotes', () => {
    const text = ['spec:', '  containers:', '    - name: "a"', "      image: 'b'", "      tag: 'c'", ''].join('\n');
    expect(styleOf(text)).toEqual({ indent: 2, seqIndent: 2, quote: "'" });
  });

  it('takes the most common width, the smaller on a tie, across documents', () => {
    const text = ['a:', '   b: 1', 'c:', '   d: 1', 'e:', '  f: 1', '---', 'g:', '  h: 1', 'i:', '     j: 1', ''].join('\n');
    expect(styleOf(text).indent).toBe(2);
    const tie = ['a:', '   b: 1', 'c:', '  d: 1', ''].join('\n');
    expect(styleOf(tie).indent).toBe(2);
  });

  it('skips values on the key line, flow collections and keys inside lists', () => {
    const text = [
      'top: {a: {b: 1}}',
      'inline: [1, 2]',
      'items:',
      '- name: x',
      '  env:',
      '     - k: v',
      '  sub:',
      '       deep: 1',
      '! tagged:',
      '      t: 1',
      '',
    ].join('\n');
    // `items` (flush list, 0), `env` (seq 3), `sub` (mapping 5), `tagged` (mapping 6, from its tag).
    expect(styleOf(text)).toEqual({ indent: 5, seqIndent: 0, quote: '"' });
  });
});
