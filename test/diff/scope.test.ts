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
  const file = out.files.get('pods.yaml');
  const privileged = out.findings.filter((f) => f.ruleId === 'privileged-container');
  const [oldPod, newPod] = privileged as [Finding, Finding];

  it('finds the two privileged containers at lines 9 and 19', () => {
    expect(privileged.map((f) => f.line)).toEqual([9, 19]);
  });
  it('changed-resources: only the document the PR touched', () => {
    expect(inScope(oldPod, diff, 'changed-resources', file)).toBe(false);
    expect(inScope(newPod, diff, 'changed-resources', file)).toBe(true);
  });
  it('changed-lines: only findings on a changed line (line 18 changed, the finding is on 19)', () => {
    expect(inScope(newPod, diff, 'changed-lines', file)).toBe(false);
    const onImage = { ...newPod, line: 18, endLine: 18 };
    expect(inScope(onImage, diff, 'changed-lines', file)).toBe(true);
  });
  it('changed-files: everything in the file', () => {
    expect(inScope(oldPod, diff, 'changed-files', file)).toBe(true);
  });
  it('a pure rename (empty patch: no changed line) is in scope only under changed-files', () => {
    const renamed = parsePatch('');
    expect(renamed.known).toBe(true);
    expect(inScope(newPod, renamed, 'changed-lines', file)).toBe(false);
    expect(inScope(newPod, renamed, 'changed-resources', file)).toBe(false);
    expect(inScope(newPod, renamed, 'changed-files', file)).toBe(true);
  });
});
