import { getScalarValue } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';
import hostNamespaces from '../../src/rules/host-namespaces.js';
import privilegedContainer from '../../src/rules/privileged-container.js';
import { positionOf } from '../../src/yaml/locate.js';
import { type ParsedFile, parseYamlFile, releaseEvents } from '../../src/yaml/parse.js';

// Each shape below was run through js-yaml 5.5, gopkg.in/yaml.v2 2.4 and yaml.v3 3.0.1 (Unmarshal),
// sigs.k8s.io/yaml YAMLToJSON, `kubectl label --local -f` (kubectl 1.32: the same client-side decoding
// as create/apply: apimachinery YAMLOrJSONDecoder -> sigs.k8s.io/yaml -> yaml.v2) and `kubectl kustomize`
// (kyaml -> yaml.v3). `kubectl` below is kubectl create/apply; `kustomize` is kubectl kustomize.

const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';

const parse = (text: string) => parseYamlFile('t.yaml', text);
const kinds = (f: ParsedFile) => (f.lenient ?? []).map((n) => [n.kind, n.line]);

describe('shapes js-yaml rejects and kubectl accepts are read as kubectl reads them', () => {
  const cases: [string, string, unknown, [string, number][]][] = [
    // "deficient indentation": go-yaml does not check indentation inside flow context.
    ['flow sequence closed under its key (kubectl, kustomize: accept)', 'spec:\n  args: [\n    "a",\n  ]\n', { spec: { args: ['a'] } }, [['indentation', 8]]],
    [
      'flow mapping continued at its key column (kubectl, kustomize: accept)',
      'spec:\n  labels: {a: b,\n  c: d}\n',
      { spec: { labels: { a: 'b', c: 'd' } } },
      [['indentation', 7]],
    ],
    ['flow items at column 0 under a nested key (kubectl, kustomize: accept)', 'spec:\n  args: [\n"a",\n]\n', { spec: { args: ['a'] } }, [['indentation', 7]]],
    [
      'double-quoted string continued at the `-` column (kubectl, kustomize: accept)',
      'spec:\n  args:\n  - "echo a &&\n  echo b"\n',
      { spec: { args: ['echo a && echo b'] } },
      [['indentation', 8]],
    ],
    [
      'double-quoted string continued at column 0 (kubectl, kustomize: accept)',
      'data:\n  a: "hello\nworld"\n',
      { data: { a: 'hello world' } },
      [['indentation', 7]],
    ],
    [
      'single-quoted string continued at its key column (kubectl, kustomize: accept)',
      "data:\n  a: 'hello\n  world'\n",
      { data: { a: 'hello world' } },
      [['indentation', 7]],
    ],
    // Tabs inside flow context: go-yaml reads them as white space.
    ['tab between flow items (kubectl, kustomize: accept)', 'spec:\n  args: [a,\tb]\n', { spec: { args: ['a', 'b'] } }, [['tab', 6]]],
    ['tab after a flow mapping colon (kubectl, kustomize: accept)', 'spec:\n  m: {a:\tb}\n', { spec: { m: { a: 'b' } } }, [['tab', 6]]],
    ['tab indenting a flow continuation line (kubectl, kustomize: accept)', 'data: {a: b,\n\tc: d}\n', { data: { a: 'b', c: 'd' } }, [['tab', 6]]],
    // A `#` right after a token: go-yaml starts a comment there.
    ['comment right after a closing quote (kubectl, kustomize: accept)', "data:\n  a: 'x'# note\n  b: y\n", { data: { a: 'x', b: 'y' } }, [['comment', 6]]],
    ['comment right after a flow sequence (kubectl, kustomize: accept)', 'spec:\n  a: [x]#c\n  b: z\n', { spec: { a: ['x'], b: 'z' } }, [['comment', 6]]],
    [
      'comment right after a block scalar header (kubectl, kustomize: accept)',
      'spec:\n  a: |#c\n    text\n  b: z\n',
      { spec: { a: 'text\n', b: 'z' } },
      [['comment', 6]],
    ],
    // Duplicate keys: kubectl keeps the last value (yaml.v2 non-strict); kustomize rejects (yaml.v3).
    ['duplicate key (kubectl: last wins; kustomize: rejects)', 'data:\n  a: first\n  a: second\n', { data: { a: 'second' } }, [['duplicate-key', 6]]],
    [
      'duplicate key in a flow mapping (kubectl: last wins; kustomize: rejects)',
      'data: {a: first, a: second}\n',
      { data: { a: 'second' } },
      [['duplicate-key', 5]],
    ],
  ];
  it.each(cases)('%s', (_name, body, expected, notes) => {
    const f = parse(HEAD + body);
    expect(f.error).toBeUndefined();
    expect(f.docs[0]?.value).toMatchObject(expected as object);
    expect(kinds(f)).toEqual(notes);
    expect(f.lenient?.every((n) => n.message.length > 0)).toBe(true);
  });

  it('parses what js-yaml accepts without a lenient note', () => {
    const f = parse(`${HEAD}data:\n  a: "x" # note\n  b: [c, d]\n`);
    expect(f.error).toBeUndefined();
    expect(f.lenient).toBeUndefined();
  });
});

describe('what kubectl rejects stays a syntax error', () => {
  const cases: [string, string, number, string][] = [
    // go-yaml: "found character that cannot start any token".
    ['a tab indenting a block mapping', 'data:\n\ta: b\n', 6, 'tab characters must not be used in indentation'],
    ['a tab after `- ` before a key', 'list:\n- \tb: c\n', 6, 'tab characters must not be used in indentation'],
    // go-yaml: "found a tab character where an indentation space is expected".
    ['a block scalar indented with a tab', 'data:\n  m: |\n\tall\n', 7, 'tab characters must not be used in indentation'],
    // go-yaml: "found unexpected document indicator" (kubectl also splits documents at that line).
    ['a document marker at column 0 inside a quoted string', 'spec:\n  args: "a\n---\n  b"\n', 7, 'deficient indentation'],
    // go-yaml: "could not find expected ':'".
    ['a plain scalar continued at its key column', 'data:\n  a: hello\n  world\n', 7, "expected ':' after a mapping key"],
    // go-yaml: "did not find expected key".
    ['a quoted string continued under its key and followed by more on its last line', 'spec:\n  a: "x\n  y" b: c\n', 7, 'bad indentation of a mapping entry'],
    // go-yaml: "mapping values are not allowed in this context" (an implicit key cannot span lines).
    ['a multi-line quoted key', 'spec:\n  "a\n  b": y\n', 7, 'bad indentation of a mapping entry'],
  ];
  it.each(cases)('%s', (_name, body, line, message) => {
    const f = parse(HEAD + body);
    expect(f.lenient).toBeUndefined();
    expect(f.error).toMatchObject({ reason: 'syntax', line, message });
  });
});

describe('positions stay exact in a leniently parsed file', () => {
  const text = [
    'spec:', //                     1
    '  args: [', //                 2
    '    "--a",', //                3
    '  ]', //                       4  ] under args: padded in the copy only
    '  script: "one', //            5
    'two\tthree', //                6  continuation at column 0
    '    four"', //                 7
    '  after: [x,\ty]', //          8  a tab between flow items
    '  last: z', //                 9
    '',
  ].join('\n');

  it('maps every node back to its line and column in the original text', () => {
    const f = parse(text);
    expect(f.error).toBeUndefined();
    expect(f.text).toBe(text);
    expect(f.docs[0]?.value).toEqual({ spec: { args: ['--a'], script: 'one two\tthree four', after: ['x', 'y'], last: 'z' } });
    const root = (f.docs[0] as { root: number }).root;
    const at = (path: (string | number)[]) => {
      const p = positionOf(f, root, path);
      return [p.line, p.column];
    };
    expect(at(['spec', 'args', 0])).toEqual([3, 5]);
    expect(at(['spec', 'script'])).toEqual([5, 3]);
    expect(at(['spec', 'after', 1])).toEqual([8, 14]);
    expect(at(['spec', 'last'])).toEqual([9, 3]);
    expect(kinds(f)).toEqual([
      ['indentation', 4],
      ['indentation', 6],
      ['tab', 8],
    ]);
  });

  it('every scalar decodes from the original text to its value', () => {
    const f = parse(text);
    const scalars = f.events.filter((e) => e.type === 4 && e.valueStart >= 0);
    expect(scalars.map((e) => getScalarValue(f.text, e as Parameters<typeof getScalarValue>[1]))).toEqual([
      'spec',
      'args',
      '--a',
      'script',
      'one two\tthree four',
      'after',
      'x',
      'y',
      'last',
      'z',
    ]);
  });

  it('a released parse derives the same events again and keeps its notes', () => {
    const f = parse(text);
    const released = releaseEvents(f);
    expect(released.lenient).toEqual(f.lenient);
    expect(released.events).toEqual(f.events);

    const dup = parse(`${HEAD}data:\n  a: 1\n  a: 2\n`);
    expect(releaseEvents(dup).events).toEqual(dup.events);
  });

  it('a later real error is reported where it is in the original text', () => {
    const f = parse('a: [\n1,\n]\nb: "x\n---\n  y"\n');
    expect(f.error).toMatchObject({ line: 5, column: 1, message: 'deficient indentation' });
  });
});

describe('scan: a Job kubectl accepts is scanned, with a style notice, and not fixed', () => {
  // The shape seen in the wild: a flow `command` closed under its key and a quoted argument continued at the `-` column.
  const JOB = [
    'apiVersion: batch/v1', //              1
    'kind: Job', //                         2
    'metadata:', //                         3
    '  name: migrate', //                   4
    'spec:', //                             5
    '  template:', //                       6
    '    spec:', //                         7
    '      hostNetwork: true', //           8
    '      restartPolicy: Never', //        9
    '      containers:', //                10
    '      - name: migrate', //            11
    '        image: migrate:1.4.2', //     12
    '        command: [', //               13
    '          "/bin/sh", "-c",', //       14
    '        ]', //                        15
    '        args:', //                    16
    '        - "./migrate up &&', //       17
    '        echo done"', //               18
    '        securityContext:', //         19
    '          privileged: true', //       20
    '',
  ].join('\n');
  const ruleset = [privilegedContainer, hostNamespaces];

  it('reports the real findings at their lines, and a style notice per lenient place', () => {
    const out = scan([{ path: 'job.yaml', content: JOB }], { ruleset });
    expect(out.findings.map((f) => [f.ruleId, f.line])).toEqual([
      ['host-namespaces', 8],
      ['privileged-container', 20],
    ]);
    expect(
      out.notices.filter((n) => n.kind === 'style').map((n) => [n.line, n.message.startsWith('js-yaml rejects this but Kubernetes accepts it: ')]),
    ).toEqual([
      [15, true],
      [18, true],
    ]);
    expect(out.findings.some((f) => f.ruleId === 'yaml-syntax')).toBe(false);
  });

  it('declines the fixes of a leniently parsed file', () => {
    const out = scan([{ path: 'job.yaml', content: JOB }], { ruleset });
    const file = out.files.get('job.yaml');
    if (!file) throw new Error('not scanned');
    const fixable = out.findings.filter((f) => f.fix);
    expect(fixable.length).toBeGreaterThan(0);
    const { fixes, declined } = buildFixes(file, out.findings);
    expect(fixes).toEqual([]);
    expect(declined.map((d) => d.reason)).toEqual(fixable.map(() => 'the file needed lenient parsing'));
  });

  it('a repeated key is scanned with the value kubectl keeps, at its line', () => {
    const pod = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      'spec:',
      '  containers:',
      '  - name: a',
      '    image: nginx:1.27',
      '    securityContext:',
      '      privileged: false',
      '      privileged: true',
      '',
    ].join('\n');
    const out = scan([{ path: 'pod.yaml', content: pod }], { ruleset });
    expect(out.findings.map((f) => [f.ruleId, f.line])).toEqual([['privileged-container', 11]]);
    expect(out.notices.filter((n) => n.kind === 'style').map((n) => n.line)).toEqual([10]);
  });
});
