import { describe, expect, it } from 'vitest';
import type { FixOp } from '../../src/core/types.js';
import { EditDeclined, planEdit } from '../../src/yaml/edit.js';
import { applyLineEdits } from '../../src/yaml/edit-apply.js';
import { parseYamlFile } from '../../src/yaml/parse.js';

const y = (s: TemplateStringsArray): string => s.raw.join('').replace(/^\n/, '');

/** Plan the ops on document 0 and return the fixed text. */
function fix(text: string, ops: FixOp[]): string {
  const file = parseYamlFile('t.yaml', text);
  const doc = file.docs[0];
  if (!doc) throw new Error('no document');
  const planned = planEdit(file, doc.root, doc.value, ops);
  return planned ? applyLineEdits(text, [planned.edit]) : text;
}

function declineReason(text: string, ops: FixOp[]): string {
  try {
    fix(text, ops);
  } catch (err) {
    if (err instanceof EditDeclined) return err.message;
    throw err;
  }
  return 'not declined';
}

const SC = ['spec', 'containers', 0, 'securityContext'];

describe('planEdit', () => {
  it('replaces a scalar in place, keeping its quote style and trailing comment', () => {
    const text = y`
spec:
  containers:
  - name: a
    securityContext:
      seccompProfile:
        type: 'Unconfined' # was needed once
`;
    expect(fix(text, [{ op: 'set', path: [...SC, 'seccompProfile', 'type'], value: 'RuntimeDefault' }])).toBe(y`
spec:
  containers:
  - name: a
    securityContext:
      seccompProfile:
        type: 'RuntimeDefault' # was needed once
`);
  });

  it('returns no edit when the value is already there', () => {
    const file = parseYamlFile('t.yaml', 'a:\n  b: false\n');
    const doc = file.docs[0];
    expect(doc && planEdit(file, doc.root, doc.value, [{ op: 'set', path: ['a', 'b'], value: false }])).toBeUndefined();
  });

  it('creates missing parents as block mappings at the file indentation', () => {
    const text = 'spec:\n    containers:\n    -   name: a\n        image: x\n';
    expect(fix(text, [{ op: 'set', path: [...SC, 'capabilities', 'drop'], value: ['ALL'] }])).toBe(
      'spec:\n    containers:\n    -   name: a\n        image: x\n        securityContext:\n            capabilities:\n                drop:\n                - ALL\n',
    );
  });

  it('turns `key:`, `key: null` and `key: {}` into a block', () => {
    for (const empty of ['', ' null', ' ~', ' {}']) {
      const text = `c:\n  sc:${empty} # note\n  x: 1\n`;
      expect(fix(text, [{ op: 'set', path: ['c', 'sc', 'a'], value: false }])).toBe('c:\n  sc: # note\n    a: false\n  x: 1\n');
    }
  });

  it('writes an empty collection inline', () => {
    expect(fix('c:\n  sc:\n', [{ op: 'set', path: ['c', 'sc'], value: {} }])).toBe('c:\n  sc: {}\n');
  });

  it('removes a key with its whole subtree and leaves the comment lines around it', () => {
    const text = y`
sc:
  # keep me
  capabilities:
    add:
    - NET_RAW # why
  runAsNonRoot: true
`;
    expect(fix(text, [{ op: 'remove', path: ['sc', 'capabilities'] }])).toBe('sc:\n  # keep me\n  runAsNonRoot: true\n');
  });

  it('removes a list item with all its lines', () => {
    const text = 'v:\n- name: a\n  hostPath:\n    path: /x\n- name: b\n  emptyDir: {}\n';
    expect(fix(text, [{ op: 'remove', path: ['v', 0] }])).toBe('v:\n- name: b\n  emptyDir: {}\n');
  });

  it('removes the key of a collection it empties, up to but not including top-level keys', () => {
    const text = 'spec:\n  c:\n    securityContext:\n      capabilities:\n        add: [NET_RAW]\n    image: x\n';
    expect(fix(text, [{ op: 'remove', path: ['spec', 'c', 'securityContext', 'capabilities', 'add', 0] }])).toBe('spec:\n  c:\n    image: x\n');
    expect(fix('spec:\n  hostPID: true\n', [{ op: 'remove', path: ['spec', 'hostPID'] }])).toBe('spec: {}\n');
  });

  it('adds list items in the list style of the list', () => {
    expect(fix('d:\n  - A\n', [{ op: 'add-item', path: ['d'], value: 'ALL' }])).toBe('d:\n  - A\n  - ALL\n');
    expect(fix('d:\n- A\n', [{ op: 'add-item', path: ['d'], value: 'ALL' }])).toBe('d:\n- A\n- ALL\n');
    expect(fix('d: ["a"] # c\n', [{ op: 'add-item', path: ['d'], value: 'ALL' }])).toBe('d: ["a", "ALL"] # c\n');
    expect(fix('d: [ a, b ]\n', [{ op: 'remove', path: ['d', 0] }])).toBe('d: [ b ]\n');
    expect(fix('x:\n  d:\n', [{ op: 'add-item', path: ['x', 'd'], value: 'ALL' }])).toBe('x:\n  d:\n  - ALL\n');
  });

  it('quotes new strings that would not read back as strings (YAML 1.1 booleans included)', () => {
    expect(fix('a:\n  b: 1\n', [{ op: 'set', path: ['a', 'y'], value: 'on' }])).toBe('a:\n  b: 1\n  "y": "on"\n');
    expect(fix('a:\n  b: 1\n', [{ op: 'set', path: ['a', 'c'], value: 'true' }])).toBe('a:\n  b: 1\n  c: "true"\n');
    expect(fix("a:\n  b: 'x'\n", [{ op: 'set', path: ['a', 'c'], value: '1.0' }])).toBe("a:\n  b: 'x'\n  c: '1.0'\n");
  });

  it('puts deeper insertions first when two land after the same line', () => {
    const text = 'pod:\n  containers:\n  - name: a\n';
    const ops: FixOp[] = [
      { op: 'set', path: ['pod', 'sc', 'x'], value: 1 },
      { op: 'set', path: ['pod', 'containers', 0, 'sc', 'v'], value: 2 },
    ];
    expect(fix(text, ops)).toBe('pod:\n  containers:\n  - name: a\n    sc:\n      v: 2\n  sc:\n    x: 1\n');
  });

  it('declines what it would have to guess at', () => {
    // One-line flow collections are rewritten in place (test/yaml/edit-flow.test.ts); multi-line ones are not.
    expect(declineReason('a: {b: 1,\n  d: 3}\n', [{ op: 'set', path: ['a', 'c'], value: 1 }])).toBe('a multi-line flow-style mapping would need rewriting');
    expect(declineReason('a: {b: 1,\n  c: 2}\n', [{ op: 'remove', path: ['a', 'b'] }])).toBe('a multi-line flow-style mapping would need rewriting');
    expect(declineReason('a: &x\n  b: 1\nc: *x\n', [{ op: 'set', path: ['a', 'b'], value: 2 }])).toBe('the value is anchored (shared through aliases)');
    expect(declineReason('a: |\n  t\n', [{ op: 'set', path: ['a'], value: false }])).toBe('the value is a block scalar');
    expect(declineReason('a: x\n', [{ op: 'set', path: ['a', 'b'], value: 1 }])).toBe('the path goes through a scalar value');
    expect(declineReason('a:\n- 1\n', [{ op: 'set', path: ['a', 3, 'b'], value: 1 }])).toBe('the list item does not exist');
    expect(declineReason('a:\n  b: 1\n', [{ op: 'set', path: ['a', '__proto__'], value: 1 }])).toBe('a `__proto__` key is not written');
    expect(
      declineReason('a:\n  b:\n    c: 1\n', [
        { op: 'remove', path: ['a', 'b'] },
        { op: 'set', path: ['a', 'b', 'c'], value: 2 },
      ]),
    ).toBe('conflicting fixes: an edit inside a removed value');
  });
});

describe('applyLineEdits', () => {
  it('replaces, inserts below and deletes whole lines', () => {
    const text = 'a\nb\nc\n';
    expect(applyLineEdits(text, [{ startLine: 2, endLine: 2, lines: ['b', 'b2'] }])).toBe('a\nb\nb2\nc\n');
    expect(applyLineEdits(text, [{ startLine: 1, endLine: 2, lines: [] }])).toBe('c\n');
    expect(
      applyLineEdits(text, [
        { startLine: 3, endLine: 3, lines: ['C'] },
        { startLine: 1, endLine: 1, lines: ['A'] },
      ]),
    ).toBe('A\nb\nC\n');
  });

  it('keeps each line ending, the BOM and a missing final newline', () => {
    expect(applyLineEdits('\uFEFFa\r\nb', [{ startLine: 2, endLine: 2, lines: ['b', 'c'] }])).toBe('\uFEFFa\r\nb\r\nc');
    expect(applyLineEdits('a\r\nb\nc\n', [{ startLine: 1, endLine: 1, lines: ['A'] }])).toBe('A\r\nb\nc\n');
    expect(applyLineEdits('a\nb', [{ startLine: 2, endLine: 2, lines: [] }])).toBe('a');
  });

  it('rejects overlapping or out-of-range edits', () => {
    expect(() =>
      applyLineEdits('a\nb\n', [
        { startLine: 1, endLine: 2, lines: [] },
        { startLine: 2, endLine: 2, lines: [] },
      ]),
    ).toThrow(RangeError);
    expect(() => applyLineEdits('a\n', [{ startLine: 2, endLine: 2, lines: [] }])).toThrow(RangeError);
  });
});

describe('planEdit: emptied collections', () => {
  it('keeps an emptied collection whose emptiness means something (`emptyDir: {}`)', () => {
    const text = 'spec:\n  volumes:\n  - name: cache\n    emptyDir:\n      medium: Memory\n';
    expect(fix(text, [{ op: 'remove', path: ['spec', 'volumes', 0, 'emptyDir', 'medium'] }])).toBe('spec:\n  volumes:\n  - name: cache\n    emptyDir: {}\n');
  });
});
