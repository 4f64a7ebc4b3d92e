import { describe, expect, it } from 'vitest';
import type { Path } from '../../src/core/types.js';
import { PathLocator, positionOf } from '../../src/yaml/locate.js';
import { type ParsedFile, parseYamlFile } from '../../src/yaml/parse.js';

const TEXT = `base: &base
  image: x
  resources: {limits: {cpu: 1}}
spec:
  template:
    spec:
      containers:
      - name: a
        <<: *base
        securityContext:
          runAsNonRoot: true
      - name: b
        securityContext: {privileged: true, capabilities: {add: [NET_ADMIN, SYS_ADMIN]}}
      - *base
      initContainers: []
      volumes:
      - name: v
        hostPath:
          path: /var
---
kind: Pod
spec:
  containers:
  - name: "quoted"
    ports: [{containerPort: 80}]
`;

/** Paths that share prefixes, miss segments, cross aliases and merge keys, and go past the end of lists. */
const PATHS: Path[] = [
  [],
  ['spec'],
  ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsNonRoot'],
  ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'],
  ['spec', 'template', 'spec', 'containers', 0, 'image'],
  ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'cpu'],
  ['spec', 'template', 'spec', 'containers', 0],
  ['spec', 'template', 'spec', 'containers', 1, 'securityContext', 'capabilities', 'add', 1],
  ['spec', 'template', 'spec', 'containers', 1, 'securityContext', 'capabilities', 'add', 5],
  ['spec', 'template', 'spec', 'containers', 1, 'securityContext'],
  ['spec', 'template', 'spec', 'containers', 2, 'image'],
  ['spec', 'template', 'spec', 'containers', 2, 'resources', 'limits'],
  ['spec', 'template', 'spec', 'containers', 3, 'image'],
  ['spec', 'template', 'spec', 'containers', 'x'],
  ['spec', 'template', 'spec', 'initContainers', 0],
  ['spec', 'template', 'spec', 'volumes', 0, 'hostPath', 'path'],
  ['spec', 'template', 'spec', 'volumes', 0, 'hostPath'],
  ['spec', 'template', 'spec', 'hostNetwork'],
  ['base', 'image'],
  ['missing', 'deeper'],
];

function expectSame(f: ParsedFile, locator: PathLocator, root: number, path: Path): void {
  locator.position(root, path);
  const want = positionOf(f, root, path);
  expect({ line: locator.line, column: locator.column, endLine: locator.endLine }, JSON.stringify(path)).toEqual({
    line: want.line,
    column: want.column,
    endLine: want.endLine,
  });
}

describe('PathLocator', () => {
  const f = parseYamlFile('t.yaml', TEXT);
  const roots = f.docs.map((d) => d.root);

  it('gives positionOf’s positions for paths in order, reversed, repeated and across documents', () => {
    expect(f.error).toBeUndefined();
    const locator = new PathLocator(f);
    for (const root of roots) {
      for (const p of PATHS) expectSame(f, locator, root, p);
      for (const p of [...PATHS].reverse()) expectSame(f, locator, root, p);
    }
    // Interleaved roots: the walk must not reuse one document's nodes for the other.
    for (const p of PATHS) for (const root of roots) expectSame(f, locator, root, p);
  });

  it('gives the same positions for every pair of consecutive paths (a fresh locator for each pair)', () => {
    const root = roots[0] as number;
    for (const a of PATHS) {
      for (const b of PATHS) {
        const locator = new PathLocator(f);
        expectSame(f, locator, root, a);
        expectSame(f, locator, root, b);
      }
    }
  });

  it('compares segments by value: a new array with the same segments, and the number 0 is not the string "0"', () => {
    const g = parseYamlFile('g.yaml', 'a:\n  "0": zero\n  list: [x, y]\nb: [p, q]\n');
    const locator = new PathLocator(g);
    const root = (g.docs[0] as { root: number }).root;
    for (const p of [
      ['a', '0'],
      ['a', 0],
      ['a', 'list', 1],
      ['a', 'list', '1'],
      ['b', 0],
      ['b', '0'],
      ['a', '0'],
    ] as Path[]) {
      expectSame(g, locator, root, [...p]);
    }
  });
});
