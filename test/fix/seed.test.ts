import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../src/core/types.js';
import { buildFixes } from '../../src/engine/fix.js';
import { fixToFixpoint } from '../../src/engine/fix-run.js';
import { type ScanOptions, scan } from '../../src/engine/scan.js';
import { FIXTURES, fixtureFiles } from '../fixture-files.js';

/** buildFixes with and without the seed (the first scan's findings of the file) on one file. */
function both(file: SourceFile, options: ScanOptions) {
  const out = scan([file], options);
  const scanned = out.files.get(file.path);
  if (!scanned?.parsed || scanned.objects.some((o) => o.partial)) return undefined;
  const plain = buildFixes(scanned, out.findings, { scan: options, includeReview: true });
  const seeded = buildFixes(scanned, out.findings, { scan: options, includeReview: true, seed: { findings: out.findings, suppressed: out.suppressed } });
  return { plain, seeded };
}

describe('verification seeded from the first scan', () => {
  const files = fixtureFiles(FIXTURES).filter((f) => !f.path.startsWith('corpus/'));

  for (const profile of ['pss-restricted', 'pss-baseline'] as const) {
    it(`gives the same fixes and declines as re-scanning the originals (${profile}, every fixture)`, () => {
      let compared = 0;
      let fixes = 0;
      let declined = 0;
      for (const file of files) {
        const r = both(file, { profile });
        if (!r) continue;
        compared++;
        fixes += r.plain.fixes.length;
        declined += r.plain.declined.length;
        expect(r.seeded, file.path).toEqual(r.plain);
      }
      expect(compared).toBeGreaterThan(50);
      expect(fixes).toBeGreaterThan(20);
      expect(declined).toBeGreaterThan(0);
    });
  }

  it('scans the document again when a suppression comment sits right above it', () => {
    const pod = (name: string) =>
      ['apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, 'spec:', '  containers:', '  - name: c', '    image: c:1', ''].join('\n');
    // The comment covers a finding on the document's first line in the file, but is outside the document's lines.
    // A document on one line: all its findings sit on its first line, which the comment above covers.
    const flow = '{apiVersion: v1, kind: Pod, metadata: {name: d}, spec: {containers: [{name: c, image: "c:1"}]}}\n';
    const text = `${pod('a')}---\n# minpriv:ignore *\n${pod('b')}---\n# minpriv:ignore run-as-non-root -- legacy\n${pod('c')}---\n# minpriv:ignore seccomp-profile-required\n${flow}`;
    for (const profile of ['pss-restricted', 'pss-baseline'] as const) {
      const r = both({ path: 'pods.yaml', content: text }, { profile });
      expect(r).toBeDefined();
      expect(r?.seeded).toEqual(r?.plain);
      if (profile === 'pss-restricted') expect(r?.plain.fixes.length).toBeGreaterThan(0);
    }
  });

  it('fixToFixpoint gives the same run with a rule that reads other objects (no seed) as without one', () => {
    const files = fixtureFiles(path.join(FIXTURES, 'rules', 'automount-service-account-token')).map((f) => ({
      ...f,
      path: path.join('rules', 'automount-service-account-token', f.path),
    }));
    expect(files.length).toBeGreaterThan(0);
    const run = fixToFixpoint(files, { scan: { profile: 'minpriv' }, includeReview: true });
    expect(run.fixes.length).toBeGreaterThan(0);
    // Verified as before: every fix still resolves a finding of the first scan.
    const first = new Set(run.before.findings.map((f) => f.fingerprint));
    for (const { fix } of run.fixes.filter((f) => f.round === 0)) for (const fp of fix.resolves) expect(first.has(fp)).toBe(true);
  });
});
