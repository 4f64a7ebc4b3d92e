import { describe, expect, it } from 'vitest';
import type { FixOp } from '../../src/core/types.js';
import { EditDeclined, planEdit } from '../../src/yaml/edit.js';
import { applyLineEdits } from '../../src/yaml/edit-apply.js';
import { parseYamlFile } from '../../src/yaml/parse.js';

/** Plan the ops on document 0 and return the fixed text, or `declined: <reason>`. */
function fix(text: string, ops: FixOp[]): string {
  const file = parseYamlFile('t.yaml', text);
  const doc = file.docs[0];
  if (!doc) throw new Error('no document');
  try {
    const planned = planEdit(file, doc.root, doc.value, ops);
    return planned ? applyLineEdits(text, [planned.edit]) : text;
  } catch (err) {
    if (err instanceof EditDeclined) return `declined: ${err.message}`;
    throw err;
  }
}

const set = (path: (string | number)[], value: unknown): FixOp => ({ op: 'set', path, value });
const remove = (path: (string | number)[]): FixOp => ({ op: 'remove', path });

describe('one-line flow mappings are edited in place (QA #7)', () => {
  it('adds a key, keeping the `{a: 1}` spacing and a trailing comment', () => {
    expect(fix('sc: {runAsNonRoot: true} # pod\n', [set(['sc', 'runAsUser'], 1000)])).toBe('sc: {runAsNonRoot: true, runAsUser: 1000} # pod\n');
  });

  it('adds a nested mapping and list in flow style', () => {
    expect(fix('sc: {runAsNonRoot: true}\n', [set(['sc', 'seccompProfile', 'type'], 'RuntimeDefault')])).toBe(
      'sc: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n',
    );
    expect(fix('sc: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}\n', [set(['sc', 'capabilities', 'drop'], ['ALL'])])).toBe(
      'sc: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}\n',
    );
  });

  it('keeps the `{ a: 1 }` spacing, also for new nested values', () => {
    expect(fix('sc: { runAsNonRoot: true }\n', [set(['sc', 'seccompProfile', 'type'], 'RuntimeDefault')])).toBe(
      'sc: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } }\n',
    );
    expect(fix('c: { caps: { drop: [ NET_RAW ] } }\n', [{ op: 'add-item', path: ['c', 'caps', 'drop'], value: 'ALL' }])).toBe(
      'c: { caps: { drop: [ NET_RAW, ALL ] } }\n',
    );
  });

  it('keeps a comma without a space', () => {
    expect(fix('sc: {a: 1,b: 2}\n', [set(['sc', 'c'], 3)])).toBe('sc: {a: 1,b: 2,c: 3}\n');
  });

  it('quotes new keys and strings when the keys are quoted (JSON-like flow)', () => {
    expect(fix('sc: {"runAsNonRoot": true}\n', [set(['sc', 'seccompProfile', 'type'], 'RuntimeDefault')])).toBe(
      'sc: {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}}\n',
    );
  });

  it('removes a pair, and the mapping a removal empties', () => {
    expect(fix('sc: {privileged: true, runAsUser: 1000}\n', [remove(['sc', 'privileged'])])).toBe('sc: {runAsUser: 1000}\n');
    const item = 'c:\n- {name: sidecar, image: "envoy:v1", securityContext: {privileged: true}}\n';
    expect(fix(item, [remove(['c', 0, 'securityContext', 'privileged'])])).toBe('c:\n- {name: sidecar, image: "envoy:v1"}\n');
  });

  it('removes a pair and adds others in the same mapping on a list item line', () => {
    const item = 'c:\n- {name: sidecar, image: "envoy:v1", securityContext: {privileged: true}}\n';
    expect(fix(item, [remove(['c', 0, 'securityContext', 'privileged']), set(['c', 0, 'securityContext', 'allowPrivilegeEscalation'], false)])).toBe(
      'c:\n- {name: sidecar, image: "envoy:v1", securityContext: {allowPrivilegeEscalation: false}}\n',
    );
  });

  it('changes a scalar and removes an item inside nested flow collections', () => {
    expect(
      fix('sc: {capabilities: {add: [SYS_ADMIN], drop: [all]}, allowPrivilegeEscalation: false}\n', [
        remove(['sc', 'capabilities', 'add', 0]),
        set(['sc', 'capabilities', 'drop', 0], 'ALL'),
      ]),
    ).toBe('sc: {capabilities: {drop: [ALL]}, allowPrivilegeEscalation: false}\n');
    expect(fix('p: [{containerPort: 80, hostPort: 80}]\n', [remove(['p', 0, 'hostPort'])])).toBe('p: [{containerPort: 80}]\n');
  });

  it('edits a one-line flow mapping inside a multi-line one', () => {
    const text = '{"spec": {"sc": {"a": 1},\n  "x": 2}}\n';
    expect(fix(text, [set(['spec', 'sc', 'b'], 'on')])).toBe('{"spec": {"sc": {"a": 1, "b": "on"},\n  "x": 2}}\n');
  });

  it('declines multi-line flow collections and entries without a value', () => {
    expect(fix('sc: {a: 1,\n  b: 2}\n', [set(['sc', 'c'], 3)])).toBe('declined: a multi-line flow-style mapping would need rewriting');
    expect(fix('sc: {a, b: 2}\n', [set(['sc', 'c'], 3)])).toBe('declined: a flow-style entry without a value is ambiguous');
    expect(fix('d: [a,\n  b]\n', [remove(['d', 0])])).toBe('declined: a multi-line flow-style list would need rewriting');
  });
});

describe('the first key of a list item on the dash line (QA #7)', () => {
  it('moves the next key onto the dash line', () => {
    const text = 'ports:\n- hostPort: 53\n  containerPort: 53\n  protocol: UDP\n';
    expect(fix(text, [remove(['ports', 0, 'hostPort'])])).toBe('ports:\n- containerPort: 53\n  protocol: UDP\n');
  });

  it('works with an indented list, `-   key` spacing and a nested block value', () => {
    const text = 'c:\n  -   hostPort: 80\n      sc:\n        a: 1\n';
    expect(fix(text, [remove(['c', 0, 'hostPort'])])).toBe('c:\n  -   sc:\n        a: 1\n');
  });

  it('declines when a comment or blank line separates the next key, or nothing follows', () => {
    expect(fix('p:\n- hostPort: 53\n  # dns\n  containerPort: 53\n', [remove(['p', 0, 'hostPort'])])).toBe(
      'declined: the key shares its line with a list item dash',
    );
    expect(fix('p:\n- hostPort: 53\n', [remove(['p', 0, 'hostPort'])])).toBe('declined: the key shares its line with a list item dash');
  });
});
