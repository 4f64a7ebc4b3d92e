import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Notice, SourceFile } from '../../src/core/types.js';
import { scan } from '../../src/engine/scan.js';
import allowPrivilegeEscalation from '../../src/rules/allow-privilege-escalation.js';
import privilegedContainer from '../../src/rules/privileged-container.js';

// Two fixed rules keep these tests about parsing, whatever rules are added later.
const ruleset = [allowPrivilegeEscalation, privilegedContainer];

/** A privileged Pod scanned beside each hostile file: one bad file must not stop the others. */
const POD: SourceFile = {
  path: 'good/pod.yaml',
  content: [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web',
    'spec:',
    '  containers:',
    '  - name: web',
    '    image: nginx:1.27',
    '    securityContext:',
    '      allowPrivilegeEscalation: false',
    '      privileged: true',
    '',
  ].join('\n'),
};

function scanBeside(path: string, content: string | Uint8Array, limits = {}) {
  const out = scan([{ path, content }, POD], { limits, ruleset });
  const bad = out.findings.filter((f) => f.file === path);
  // The other file is always scanned, whatever happened to this one.
  expect(out.findings.filter((f) => f.file === POD.path).map((f) => [f.ruleId, f.line])).toEqual([['privileged-container', 11]]);
  return { out, bad };
}

/** Over the byte cap is no YAML error: a notice that counts as an error (under `onError`) and says how to scan the file. */
const RAISE = '; raise `maxFileBytes` in .github/minpriv.yml (or pass `--max-bytes`) to scan it';
const overCap = (notices: readonly Notice[]) => notices.filter((n) => n.kind === 'skipped' && n.error === true).map((n) => [n.file, n.message]);
const syntax = (bad: { ruleId: string; line: number; message: string }[]) => bad.map((f) => [f.ruleId, f.line, f.message]);

describe('hostile input: one clear finding or notice, never a crash', () => {
  it('an alias bomb (billion laughs) is one yaml-syntax finding', () => {
    const names = 'abcdefghi';
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < names.length; i++) {
      const prev = names[i - 1];
      lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const { bad } = scanBeside('bomb.yaml', `${lines.join('\n')}\n`);
    expect(syntax(bad)).toEqual([['yaml-syntax', 6, 'aliases expand to more than 200000 nodes (an alias bomb?); not scanned']]);
  });

  it('10,000-deep flow nesting stops at the depth limit', () => {
    const { bad } = scanBeside('deep-flow.yaml', `${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    expect(syntax(bad)).toEqual([['yaml-syntax', 1, 'nested deeper than 64 levels; not scanned']]);
    expect(bad[0]?.column).toBe(64);
  });

  it('10,000-deep indented maps stop at the depth limit (cap raised so that depth, not size, is what trips)', () => {
    const text = `${Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`;
    const { bad } = scanBeside('deep-map.yaml', text, { maxBytes: 64 * 1024 * 1024 });
    expect(syntax(bad)).toEqual([['yaml-syntax', 64, 'nested deeper than 64 levels; not scanned']]);
  }, 60_000);

  it('the same indented nesting under the default cap is over the size limit', () => {
    const text = `${Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`;
    const { out, bad } = scanBeside('deep-map.yaml', text);
    expect(syntax(bad)).toEqual([]);
    expect(overCap(out.notices)).toEqual([['deep-map.yaml', `not scanned: ${Buffer.byteLength(text)} bytes, larger than the 1048576-byte limit${RAISE}`]]);
  }, 60_000);

  it('a 50 MB file is over the byte cap, and the cap is configurable', () => {
    const big = `a: ${'x'.repeat(50 * 1024 * 1024)}\n`;
    const { out, bad } = scanBeside('big.yaml', big);
    expect(syntax(bad)).toEqual([]);
    expect(overCap(out.notices)).toEqual([['big.yaml', `not scanned: 52428804 bytes, larger than the 1048576-byte limit${RAISE}`]]);
    const small = scan([{ path: 'small.yaml', content: 'a: 12345678901\n' }], { limits: { maxBytes: 10 }, ruleset });
    expect(syntax(small.findings)).toEqual([]);
    expect(overCap(small.notices)).toEqual([['small.yaml', `not scanned: 15 bytes, larger than the 10-byte limit${RAISE}`]]);
  }, 60_000);

  it('a read cut at the cap (maxBytes + 1 bytes) names the limit, not a size it does not know', () => {
    const out = scan([{ path: 'cut.yaml', content: 'a: 123456789\n' }], { limits: { maxBytes: 12 }, ruleset });
    expect(overCap(out.notices)).toEqual([['cut.yaml', `not scanned: larger than the 12-byte limit${RAISE}`]]);
  }, 60_000);

  it('binary bytes are not YAML', () => {
    const bytes = new Uint8Array([0x61, 0x3a, 0x0a, 0x62, 0x3a, 0x20, 0x00, 0xff, 0x10]);
    expect(syntax(scanBeside('bin.yaml', bytes).bad)).toEqual([['yaml-syntax', 2, 'file contains binary data (a NUL byte); not YAML']]);
  });

  it('invalid UTF-8 is reported as such', () => {
    const bytes = new Uint8Array([...Buffer.from('kind: Pod\nname: '), 0xc3, 0x28, 0x0a]);
    expect(syntax(scanBeside('latin.yaml', bytes).bad)).toEqual([['yaml-syntax', 1, 'file is not valid UTF-8']]);
  });

  it('duplicate keys are read as kubectl reads them (the last one wins), with a style notice at the first', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n';
    const { out, bad } = scanBeside('dup.yaml', text);
    expect(syntax(bad)).toEqual([]);
    expect(out.notices.filter((n) => n.file === 'dup.yaml').map((n) => [n.kind, n.line])).toEqual([['style', 4]]);
  });

  it('a !!js/function tag is refused, not run', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: !!js/function "function () { process.exit(3) }"\n';
    expect(syntax(scanBeside('fn.yaml', text).bad)).toEqual([['yaml-syntax', 4, 'unknown scalar tag !!js/function']]);
  });

  it('unknown local tags are refused with the tag in the message', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\ndata: !Ref\n  a: b\n';
    expect(syntax(scanBeside('tag.yaml', text).bad)).toEqual([['yaml-syntax', 3, 'unknown mapping tag !Ref']]);
  });

  it('__proto__ keys neither pollute prototypes nor hide or invent findings', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      '__proto__:',
      '  polluted: true',
      'metadata:',
      '  name: p',
      'spec:',
      '  containers:',
      '  - name: a',
      '    image: nginx',
      '    securityContext:',
      '      __proto__:',
      '        privileged: true',
      '      allowPrivilegeEscalation: false',
      '  - name: b',
      '    image: nginx',
      '    securityContext:',
      '      allowPrivilegeEscalation: false',
      '      privileged: true',
      '      __proto__: {}',
      '',
    ].join('\n');
    const { bad } = scanBeside('proto.yaml', text);
    expect(bad.map((f) => [f.ruleId, f.line, f.container])).toEqual([['privileged-container', 19, 'b']]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).privileged).toBeUndefined();
  });

  it('a huge single line scans, with positions after it intact', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '  annotations:',
      `    blob: "${'z'.repeat(900_000)}"`,
      'spec:',
      '  containers:',
      '  - name: a',
      '    image: nginx',
      '    securityContext: {allowPrivilegeEscalation: false, privileged: true}',
      '',
    ].join('\n');
    const { bad } = scanBeside('line.yaml', text);
    expect(bad.map((f) => [f.ruleId, f.line, f.column])).toEqual([['privileged-container', 11, 56]]);
  });

  it('100,000 tiny documents scan without tripping the alias limit', () => {
    // 9 bytes a document: 900 kB, under the default 1 MiB cap.
    const text = Array.from({ length: 100_000 }, (_, i) => `n: ${i % 10}\n`).join('---\n');
    const { out, bad } = scanBeside('many.yaml', text);
    expect(bad).toEqual([]);
    expect(out.files.get('many.yaml')?.parsed?.docs.length).toBe(100_000);
  }, 60_000);

  it('an alias inside the node it names (a cycle) neither hangs nor hides the findings of the document', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: loop',
      '  labels: &l',
      '    self: *l',
      'spec:',
      '  containers:',
      '  - name: a',
      '    image: nginx',
      '    securityContext: {allowPrivilegeEscalation: false, privileged: true}',
      '',
    ].join('\n');
    expect(scanBeside('cycle.yaml', text).bad.map((f) => [f.ruleId, f.line])).toEqual([['privileged-container', 11]]);
  });

  it('too many aliases in one document is a limit finding in plain words', () => {
    const text = `a: &a 1\nb: [${Array(150).fill('*a').join(', ')}]\n`;
    expect(syntax(scanBeside('aliases.yaml', text).bad)).toEqual([['yaml-syntax', 2, 'more than 100 aliases in one document; not scanned']]);
  });

  it('a file that does not parse gives exactly one finding, with its line', () => {
    const text = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n   image: b\n';
    const { bad } = scanBeside('broken.yaml', text);
    expect(bad.map((f) => [f.ruleId, f.line])).toEqual([['yaml-syntax', 6]]);
  });

  it('random bytes and YAML-shaped noise never throw; every finding has a real position', () => {
    const tokens = fc.constantFrom(
      'apiVersion: v1\nkind: Pod\n',
      'spec:\n  containers:\n  - name: a\n    image: b\n',
      '    securityContext:\n      privileged: true\n',
      '- ',
      ': ',
      '&a ',
      '*a',
      '<<: *a\n',
      '{',
      '}',
      '[',
      ']',
      ', ',
      '\n',
      '\r\n',
      '  ',
      '\t',
      '!!str ',
      '!x ',
      "'",
      '"',
      '|\n',
      '>-\n',
      '# minpriv:ignore privileged-container -- r\n',
      '---\n',
      '...\n',
      '{{ .Values.x }}',
      '__proto__: ',
      'kind: List\nitems:\n',
      '\uFEFF',
      'ü',
      '😀',
    );
    const text = fc.array(tokens, { maxLength: 40 }).map((t) => t.join(''));
    const content = fc.oneof(text, fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }));
    fc.assert(
      fc.property(content, (c) => {
        const out = scan([{ path: 'fuzz.yaml', content: c }], { ruleset });
        const lineCount = (typeof c === 'string' ? c : Buffer.from(c).toString('latin1')).split('\n').length;
        for (const f of [...out.findings, ...out.suppressed]) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.line).toBeLessThanOrEqual(lineCount);
          expect(f.column).toBeGreaterThanOrEqual(1);
        }
        expect(out.findings.filter((f) => f.ruleId === 'yaml-syntax').length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1500, seed: 20261129 },
    );
  });
});
