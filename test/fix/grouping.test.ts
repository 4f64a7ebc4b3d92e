import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFixes, type FixOptions } from '../../src/engine/fix.js';
import { whyNotTogether } from '../../src/engine/fix-together.js';
import { scan } from '../../src/engine/scan.js';

/** QA repro p10: a DaemonSet with a hostPath volume and an unhardened container. */
const DS = readFileSync(join(import.meta.dirname, '../fixtures/github/daemonset-hostpath.yaml'), 'utf8');

function build(text: string, grouping?: FixOptions['grouping']) {
  const options = { profile: 'pss-restricted' as const };
  const out = scan([{ path: 'ds.yaml', content: text }], options);
  const file = out.files.get('ds.yaml');
  if (!file) throw new Error('not scanned');
  return { out, file, ...buildFixes(file, out.findings, { scan: options, ...(grouping ? { grouping } : {}) }) };
}

const shape = (fixes: { edit: { startLine: number; endLine: number }; confidence: string; title: string }[]) =>
  fixes.map((f) => `${f.edit.startLine}-${f.edit.endLine} ${f.confidence}: ${f.title}`);

describe('buildFixes grouping (QA #8)', () => {
  it("'object' (the default) merges the container hardening into the hostPath removal whose span holds it", () => {
    expect(shape(build(DS).fixes)).toEqual([
      '18-32 review: remove volume `varlog` and its mounts; set `allowPrivilegeEscalation: false`; drop ALL capabilities',
    ]);
  });

  it("'overlap' keeps them apart: their changed lines are far from each other, although the spans nest", () => {
    const { fixes, declined } = build(DS, 'overlap');
    expect(declined).toEqual([]);
    expect(shape(fixes)).toEqual([
      '18-32 review: remove volume `varlog` and its mounts',
      '24-24 safe: set `allowPrivilegeEscalation: false`; drop ALL capabilities',
    ]);
    // Two fixes that insert at the same place (both create `securityContext`) are one.
    expect(fixes[1]?.resolves.length).toBe(2);
  });

  it("'overlap' still merges fixes whose changed lines touch", () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
`;
    // Removing `privileged` (line 14) and adding the keys after it touch: one fix.
    expect(shape(build(text, 'overlap').fixes)).toEqual([
      '14-14 review: remove `privileged: true`; set `allowPrivilegeEscalation: false`; drop ALL capabilities',
    ]);
  });
});

describe('whyNotTogether', () => {
  it('accepts fixes that hold together and refuses alternatives that overlap', () => {
    const { out, file, fixes } = build(DS, 'overlap');
    const [volume, hardening] = fixes;
    if (!volume || !hardening) throw new Error('expected two fixes');
    expect(whyNotTogether(file, out.findings, [hardening])).toBeUndefined();
    expect(whyNotTogether(file, out.findings, [volume])).toBeUndefined();
    expect(whyNotTogether(file, out.findings, [volume, hardening])).toBe('the edits overlap');
  });

  it('refuses a fix whose findings were not given', () => {
    const { file, fixes } = build(DS, 'overlap');
    expect(whyNotTogether(file, [], fixes.slice(0, 1))).toBe(`fix ${fixes[0]?.id} resolves findings that were not given`);
  });
});
