import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../src/core/types.js';
import { type FileDiff, parsePatch } from '../../src/diff/patch.js';
import { type ScanOptions, scan } from '../../src/engine/scan.js';
import { placeFixes } from '../../src/report/review.js';
import { fixesFor, refineUnposted, scanSeeds } from '../../src/review/fixes.js';
import { builtinRegistry } from '../../src/rules/index.js';

const ROOT = new URL('../fixtures/', import.meta.url).pathname;

/** Every YAML input under the fixtures the fix engine is tested on (rule fixtures, edit hazards, corpus, GitHub flows). */
function fixtureFiles(): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name) && !name.includes('.fixed.') && name !== 'expected.yaml') {
        out.push({ path: path.slice(ROOT.length), content: readFileSync(path, 'utf8') });
      }
    }
  };
  for (const dir of ['rules', 'edit', 'corpus', 'github']) walk(join(ROOT, dir));
  return out;
}

// Suppression comments right above a document, anchors and aliases, several documents: where a seed reads differently.
const HAZARDS: SourceFile[] = [
  {
    path: 'hazards/suppressed.yaml',
    content:
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: c\n      image: i\n---\n# minpriv:ignore privileged-container -- r\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers:\n    - name: c\n      image: i\n      securityContext:\n        privileged: true\n',
  },
  {
    path: 'hazards/anchors.yaml',
    content:
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - &c\n      name: c\n      image: i\n      securityContext:\n        privileged: true\n    - *c\n',
  },
];

/** The PR's view of a file: new, or changed only in its middle third (fixes land outside the hunk and get refined). */
function patchOf(text: string, variant: 'added' | 'middle'): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const [from, to] = variant === 'added' ? [1, lines.length] : [Math.max(1, Math.floor(lines.length / 3)), Math.max(1, Math.floor((2 * lines.length) / 3))];
  const added = lines.slice(from - 1, to);
  return [`@@ -${from - 1},0 +${from},${added.length} @@`, ...added.map((l) => `+${l}`)].join('\n');
}

describe('review fixes from the scan’s findings (seeds)', () => {
  const files = [...fixtureFiles(), ...HAZARDS];

  it('has fixtures to compare', () => {
    expect(files.length).toBeGreaterThan(300);
  });

  // `minpriv` runs rules that read other objects: here without them, so that its other rules are seeded too.
  const streaming: ScanOptions = { profile: 'minpriv', rules: Object.fromEntries(builtinRegistry.rules.filter((r) => r.needsIndex).map((r) => [r.id, 'off'])) };
  const runs: [string, ScanOptions][] = [
    ['pss-restricted', { profile: 'pss-restricted' }],
    ['pss-baseline', { profile: 'pss-baseline' }],
    ['minpriv without needsIndex rules', streaming],
  ];
  for (const [name, options] of runs) {
    for (const variant of ['added', 'middle'] as const) {
      it(`${name}, ${variant} files: fixes, declines and refined fixes equal those verified without seeds`, () => {
        const out = scan(files, options);
        const seeds = scanSeeds(out);
        expect(seeds.size).toBeGreaterThan(100);
        const diffs = new Map<string, FileDiff>(files.map((f) => [f.path, parsePatch(patchOf(String(f.content), variant))]));
        const seeded = fixesFor(out.findings, out.files, diffs, options, seeds);
        const plain = fixesFor(out.findings, out.files, diffs, options);
        expect(seeded).toEqual(plain);
        expect(plain.fixes.length).toBeGreaterThan(50);

        const { placements } = placeFixes({
          fixes: plain.fixes,
          findings: out.findings,
          diffs,
          suggestions: true,
          max: 1000,
          prior: [],
          unknownFiles: new Set(),
        });
        const refine = { fixes: plain.fixes, placements, findings: out.findings, diffs, files: out.files, scanOptions: options, max: 1000 };
        const refinedSeeded = refineUnposted({ ...refine, seeds });
        const refinedPlain = refineUnposted(refine);
        expect(refinedSeeded).toEqual(refinedPlain);
        if (variant === 'middle') expect(refinedPlain?.fixes.length).toBeGreaterThan(0);
      });
    }
  }

  it('gives no seed when a rule reads other objects (`needsIndex`): a file alone would find otherwise', () => {
    const out = scan(HAZARDS, { profile: 'minpriv' });
    expect(out.rules.some((r) => r.needsIndex)).toBe(true);
    expect(out.findings.length).toBeGreaterThan(0);
    expect(scanSeeds(out).size).toBe(0);
  });

  it('gives no seed to a kustomize patch: scanned alone, it would be a whole object', () => {
    const patch = { path: 'overlays/prod/patch.yaml', content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n' };
    const kustomization = { path: 'overlays/prod/kustomization.yaml', content: 'resources: [../../base]\npatches:\n  - path: patch.yaml\n' };
    const pod = HAZARDS[1] as SourceFile;
    const out = scan([patch, pod], { profile: 'pss-restricted', contextFiles: [kustomization] });
    const seeds = scanSeeds(out);
    expect(out.files.get(patch.path)?.objects.some((o) => o.partial)).toBe(true);
    expect(seeds.has(patch.path)).toBe(false);
    expect(seeds.has(pod.path)).toBe(true);
  });
});
