import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { parsePatch } from '../../src/diff/patch.js';
import { inScope } from '../../src/diff/scope.js';
import { scan } from '../../src/engine/scan.js';

// Two documents: an untouched privileged Pod (lines 1-9), and a Pod whose image line the PR changes (lines 11-19).
const TEXT = `apiVersion: v1
kind: Pod
metadata:
  name: old
spec:
  containers:
    - name: a
      image: a:1
      securityContext: { privileged: true }
---
apiVersion: v1
kind: Pod
metadata:
  name: new
spec:
  containers:
    - name: b
      image: b:2
      securityContext: { privileged: true }
`;
const diff = parsePatch(
  '@@ -16,3 +16,3 @@ spec:\n   containers:\n     - name: b\n-      image: b:1\n+      image: b:2\n       securityContext: { privileged: true }',
);

describe('inScope', () => {
  const out = scan([{ path: 'pods.yaml', content: TEXT }]);
  // The lines of each Pod's document, as the review computes them.
  const span = (f: Finding) => (f.line < 10 ? { start: 1, end: 9 } : { start: 11, end: 19 });
  const privileged = out.findings.filter((f) => f.ruleId === 'privileged-container');
  const [oldPod, newPod] = privileged as [Finding, Finding];

  it('finds the two privileged containers at lines 9 and 19', () => {
    expect(privileged.map((f) => f.line)).toEqual([9, 19]);
  });
  it('changed-resources: only the document the PR touched', () => {
    expect(inScope(oldPod, diff, 'changed-resources', span(oldPod))).toBe(false);
    expect(inScope(newPod, diff, 'changed-resources', span(newPod))).toBe(true);
  });
  it('changed-lines: only findings on a changed line (line 18 changed, the finding is on 19)', () => {
    expect(inScope(newPod, diff, 'changed-lines', span(newPod))).toBe(false);
    const onImage = { ...newPod, line: 18, endLine: 18 };
    expect(inScope(onImage, diff, 'changed-lines', span(onImage))).toBe(true);
  });
  it('changed-files: everything in the file', () => {
    expect(inScope(oldPod, diff, 'changed-files', span(oldPod))).toBe(true);
  });
  it('a pure rename (empty patch: no changed line) is in scope only under changed-files', () => {
    const renamed = parsePatch('');
    expect(renamed.known).toBe(true);
    expect(inScope(newPod, renamed, 'changed-lines', span(newPod))).toBe(false);
    expect(inScope(newPod, renamed, 'changed-resources', span(newPod))).toBe(false);
    expect(inScope(newPod, renamed, 'changed-files', span(newPod))).toBe(true);
  });
});
