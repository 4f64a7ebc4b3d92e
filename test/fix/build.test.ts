import { describe, expect, it } from 'vitest';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { type ScanOptions, scan } from '../../src/engine/scan.js';

const RESTRICTED: ScanOptions = { profile: 'pss-restricted' };

function run(text: string, options: ScanOptions = RESTRICTED, includeReview = true) {
  const out = scan([{ path: 'w.yaml', content: text }], options);
  const file = out.files.get('w.yaml');
  if (!file) throw new Error('not scanned');
  return { out, ...buildFixes(file, out.findings, { scan: options, includeReview }) };
}

const TWO_CONTAINERS = `apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
  - name: a
    image: nginx:1.27
    securityContext:
      capabilities:
        add: ["SYS_ADMIN"]
  - name: b
    image: nginx:1.27
    ports:
    - containerPort: 80
      hostPort: 80
`;

describe('buildFixes', () => {
  it('merges the fixes of one container into one edit and keeps containers apart', () => {
    const { out, fixes, declined } = run(TWO_CONTAINERS);
    expect(declined).toEqual([]);
    expect(fixes.map((f) => ({ lines: [f.edit.startLine, f.edit.endLine], confidence: f.confidence, n: f.resolves.length }))).toEqual([
      { lines: [15, 15], confidence: 'review', n: 3 },
      // Removing hostPort is to review (traffic to the node's port stops); drop ALL is safe under runAsNonRoot.
      { lines: [20, 20], confidence: 'review', n: 3 },
    ]);
    const [a, b] = fixes;
    expect(a?.title).toBe('set `allowPrivilegeEscalation: false`; drop ALL capabilities; stop adding `SYS_ADMIN`');
    expect(a?.checks).toEqual(['the process must not need `SYS_ADMIN`']);
    expect(b?.checks).toEqual(["nothing must reach this pod on port 80 of its node's address (a Service is the way in)"]);
    // Every fixable finding is resolved by exactly one fix.
    const resolved = fixes.flatMap((f) => f.resolves).sort();
    expect(resolved).toEqual(
      out.findings
        .filter((f) => f.fix)
        .map((f) => f.fingerprint)
        .sort(),
    );
    expect(
      applyLineEdits(
        TWO_CONTAINERS,
        fixes.map((f) => f.edit),
      )
        .split('\n')
        .slice(10, 30),
    ).toEqual([
      '  - name: a',
      '    image: nginx:1.27',
      '    securityContext:',
      '      capabilities:',
      '        drop:',
      '        - ALL',
      '      allowPrivilegeEscalation: false',
      '  - name: b',
      '    image: nginx:1.27',
      '    ports:',
      '    - containerPort: 80',
      '    securityContext:',
      '      allowPrivilegeEscalation: false',
      '      capabilities:',
      '        drop:',
      '        - ALL',
      '',
    ]);
  });

  it('leaves review fixes out when includeReview is false', () => {
    const { fixes } = run(TWO_CONTAINERS, RESTRICTED, false);
    expect(fixes.map((f) => [f.edit.startLine, f.edit.endLine, f.confidence, f.resolves.length])).toEqual([
      [15, 15, 'safe', 2],
      [20, 20, 'safe', 2],
    ]);
  });

  it('has stable ids derived from what a fix resolves', () => {
    const one = run(TWO_CONTAINERS).fixes.map((f) => f.id);
    const two = run(`# a comment shifts every line\n${TWO_CONTAINERS}`).fixes.map((f) => f.id);
    expect(one).toEqual(two);
    expect(new Set(one).size).toBe(2);
    expect(one[0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('merges a pod-level fix with a container fix when their lines touch', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n';
    const { fixes } = run(text);
    expect(fixes.map((f) => [f.edit.startLine, f.edit.endLine, f.resolves.length])).toEqual([[8, 8, 4]]);
    expect(fixes[0]?.edit.lines).toEqual([
      '    image: nginx:1.27',
      '    securityContext:',
      '      allowPrivilegeEscalation: false',
      '      capabilities:',
      '        drop:',
      '        - ALL',
      '  securityContext:',
      '    runAsNonRoot: true',
      '    seccompProfile:',
      '      type: RuntimeDefault',
    ]);
  });

  it('skips suppressed findings and other files; declines everything in a file it cannot edit', () => {
    const text = TWO_CONTAINERS.replace('      hostPort: 80', '      hostPort: 80 # minpriv:ignore host-ports');
    const { out, fixes } = run(text);
    expect(out.suppressed.map((f) => f.ruleId)).toEqual(['host-ports']);
    const file = out.files.get('w.yaml');
    if (!file) throw new Error('not scanned');
    const withSuppressed = buildFixes(file, [...out.findings, ...out.suppressed], { scan: RESTRICTED });
    expect(withSuppressed.fixes).toEqual(fixes);
    expect(fixes.map((f) => f.resolves.length)).toEqual([3, 2]);
    expect(buildFixes({ ...file, path: 'elsewhere.yaml' }, out.findings, { scan: RESTRICTED })).toEqual({ fixes: [], declined: [] });
    const template = buildFixes({ ...file, parsed: undefined, template: true }, out.findings, { scan: RESTRICTED });
    expect(template.fixes).toEqual([]);
    expect(template.declined.length).toBe(5);
    expect(new Set(template.declined.map((d) => d.reason))).toEqual(new Set(['the file is a template']));
  });

  it('copes with self-referencing aliases elsewhere in the document', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: loop
  labels: &l
    self: *l
spec:
  containers:
  - name: app
    image: nginx:1.27
`;
    const { fixes, declined } = run(text);
    expect(declined).toEqual([]);
    expect(fixes.map((f) => [f.edit.startLine, f.resolves.length])).toEqual([[10, 4]]);
  });
});
