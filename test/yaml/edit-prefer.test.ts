import { describe, expect, it } from 'vitest';
import type { FixOp } from '../../src/core/types.js';
import { planEdit } from '../../src/yaml/edit.js';
import { parseYamlFile } from '../../src/yaml/parse.js';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:2
      env:
        - name: A
          value: "1"
      args: ["x"]
  restartPolicy: Always
`;

function edit(ops: FixOp[], prefer?: ReadonlySet<number>) {
  const file = parseYamlFile('p.yaml', POD);
  const doc = file.docs[0];
  if (!doc) throw new Error('no document');
  return planEdit(file, doc.root, doc.value, ops, prefer)?.edit;
}

const APE: FixOp = { op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation'], value: false };

describe('planEdit preferLines', () => {
  it('appends a new key at the end of the mapping without preferLines (the CLI placement)', () => {
    expect(edit([APE])).toEqual({
      startLine: 12,
      endLine: 12,
      lines: ['      args: ["x"]', '      securityContext:', '        allowPrivilegeEscalation: false'],
    });
  });

  it('inserts it after the last entry that touches a preferred line', () => {
    expect(edit([APE], new Set([8]))).toEqual({
      startLine: 8,
      endLine: 8,
      lines: ['      image: app:2', '      securityContext:', '        allowPrivilegeEscalation: false'],
    });
  });

  it('counts every line of a nested entry: a change inside `env` puts the key after the whole `env` block', () => {
    expect(edit([APE], new Set([10]))).toEqual({
      startLine: 11,
      endLine: 11,
      lines: ['          value: "1"', '      securityContext:', '        allowPrivilegeEscalation: false'],
    });
  });

  it('keeps the end when no entry touches the preferred lines, and edits of existing keys stay in place', () => {
    expect(edit([APE], new Set([2]))?.startLine).toBe(12);
    expect(edit([{ op: 'set', path: ['spec', 'restartPolicy'], value: 'Never' }], new Set([7]))).toEqual({
      startLine: 13,
      endLine: 13,
      lines: ['  restartPolicy: Never'],
    });
  });

  it('places a pod-level key after the pod spec entry holding the changed line', () => {
    const op: FixOp = { op: 'set', path: ['spec', 'securityContext', 'runAsNonRoot'], value: true };
    expect(edit([op], new Set([8]))).toEqual({ startLine: 12, endLine: 12, lines: ['      args: ["x"]', '  securityContext:', '    runAsNonRoot: true'] });
  });
});
