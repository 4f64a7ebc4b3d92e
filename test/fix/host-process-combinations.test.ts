import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { VerifiedFix } from '../../src/core/types.js';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { type ScanOptions, scan } from '../../src/engine/scan.js';
import { FIXTURE_CORPUS } from '../corpus-path.js';

// SOURCE: the PSS conformance fixtures of the Kubernetes repo, copied to test/fixtures/corpus/pss (see its SOURCE.md).
const CORPUS = `${FIXTURE_CORPUS}/pss`;
const FILES = [
  'baseline/v1.37/fail/windowshostprocess0.yaml',
  'baseline/v1.37/fail/windowshostprocess1.yaml',
  'restricted/v1.37/fail/windowshostprocess0.yaml',
  'restricted/v1.37/fail/windowshostprocess1.yaml',
];

type Obj = Record<string, unknown>;
const hostProcessOf = (o: unknown): unknown => (((o as Obj).securityContext as Obj | undefined)?.windowsOptions as Obj | undefined)?.hostProcess;

/** What the API server accepts: every container HostProcess (pod level or its own) with hostNetwork, or none at all. */
function shape(text: string): 'all-hostprocess' | 'no-hostprocess' | string {
  const spec = (load(text) as Obj).spec as Obj;
  const containers = [...((spec.containers ?? []) as Obj[]), ...((spec.initContainers ?? []) as Obj[])];
  const pod = hostProcessOf(spec) === true;
  const each = containers.map((c) => hostProcessOf(c) === true || (pod && hostProcessOf(c) === undefined));
  if (!pod && each.every((on) => !on)) return 'no-hostprocess';
  if (each.every((on) => on) && spec.hostNetwork === true) return 'all-hostprocess';
  return `mixed: pod ${pod}, containers ${each.join(',')}, hostNetwork ${String(spec.hostNetwork)}`;
}

function offered(path: string, text: string, grouping: 'object' | 'overlap', profile: ScanOptions['profile'] = 'pss-restricted'): VerifiedFix[] {
  const out = scan([{ path, content: text }], { profile });
  return buildFixes(out.files.get(path) as never, out.findings, { includeReview: true, grouping, scan: { profile } }).fixes;
}

const overlaps = (fixes: VerifiedFix[]): boolean =>
  fixes.some((a, i) => fixes.slice(i + 1).some((b) => a.edit.startLine <= b.edit.endLine && b.edit.startLine <= a.edit.endLine));

describe('host-process: one fix for the whole pod (no subset of fixes mixes HostProcess and normal containers)', () => {
  for (const file of FILES) {
    it(file, () => {
      const text = readFileSync(`${CORPUS}/${file}`, 'utf8');
      expect(shape(text)).toBe('all-hostprocess');
      const tried = new Set<string>();
      for (const [grouping, profile] of [
        ['object', 'pss-restricted'],
        ['overlap', 'pss-restricted'],
        ['object', 'pss-baseline'],
      ] as const) {
        const fixes = offered(file, text, grouping, profile);
        const hostProcessFixes = fixes.filter((f) => f.title.includes('windowsOptions.hostProcess'));
        expect(hostProcessFixes).toHaveLength(1);
        expect(fixes.some((f) => /hostNetwork/.test(f.title) && !f.title.includes('windowsOptions.hostProcess'))).toBe(false);
        for (let mask = 0; mask < 1 << fixes.length; mask++) {
          const chosen = fixes.filter((_, i) => mask & (1 << i));
          if (overlaps(chosen)) continue;
          const after = applyLineEdits(
            text,
            chosen.map((f) => f.edit),
          );
          tried.add(after);
          const want = chosen.includes(hostProcessFixes[0] as VerifiedFix) ? 'no-hostprocess' : 'all-hostprocess';
          expect(shape(after), `${grouping} subset ${mask}`).toBe(want);
        }
      }
      expect(tried.size).toBeGreaterThanOrEqual(2);
    });
  }

  it('the fix removes both container settings of windowshostprocess1 together and resolves both findings', () => {
    const text = readFileSync(`${CORPUS}/baseline/v1.37/fail/windowshostprocess1.yaml`, 'utf8');
    // Baseline profile: nothing else to fix, so the edit is exactly the two securityContexts (lines 9-11 and 16-18).
    const fixes = offered('hp1.yaml', text, 'object', 'pss-baseline');
    expect(fixes.map((f) => [f.title, f.edit.startLine, f.edit.endLine, f.resolves.length])).toEqual([['remove `windowsOptions.hostProcess`', 9, 18, 2]]);
  });
});
