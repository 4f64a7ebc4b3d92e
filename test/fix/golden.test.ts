import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';
import { allRules } from '../../src/rules/index.js';

const ROOT = join(import.meta.dirname, '../fixtures/rules');

interface Case {
  ruleId: string;
  input: string;
  fixed: string;
}

/** Every `fail.<case>.yaml` of a fixable rule, with its `.fixed.yaml` sibling when there is one. */
function cases(): Case[] {
  return readdirSync(ROOT)
    .sort()
    .flatMap((ruleId) =>
      readdirSync(join(ROOT, ruleId))
        .filter((f) => /^fail\.[\w-]+\.yaml$/.test(f))
        .sort()
        .map((f) => ({ ruleId, input: f, fixed: f.replace(/\.yaml$/, '.fixed.yaml') })),
    );
}

function fixOnce(ruleId: string, path: string, text: string) {
  const rule = allRules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  const options = { ruleset: [rule] };
  const out = scan([{ path, content: text }], options);
  const file = out.files.get(path);
  if (!file) throw new Error('not scanned');
  const result = buildFixes(file, out.findings, { scan: options, includeReview: true });
  return {
    out,
    result,
    fixed: applyLineEdits(
      text,
      result.fixes.map((f) => f.edit),
    ),
    options,
  };
}

describe('golden fixes: fail.<case>.yaml + every offered fix = fail.<case>.fixed.yaml', () => {
  for (const c of cases()) {
    const goldenPath = join(ROOT, c.ruleId, c.fixed);
    it(`${c.ruleId}/${c.input}`, () => {
      const path = `${c.ruleId}/${c.input}`;
      const text = readFileSync(join(ROOT, c.ruleId, c.input), 'utf8');
      const { out, result, fixed, options } = fixOnce(c.ruleId, path, text);
      if (!existsSync(goldenPath)) {
        // No golden file means the engine must not offer anything for this case.
        expect(result.fixes).toEqual([]);
        return;
      }
      expect(result.fixes.length).toBeGreaterThan(0);
      expect(fixed).toBe(readFileSync(goldenPath, 'utf8'));
      const after = scan([{ path, content: fixed }], options);
      const resolved = new Set(result.fixes.flatMap((f) => f.resolves));
      expect(after.findings.filter((f) => f.ruleId === c.ruleId && resolved.has(f.fingerprint))).toEqual([]);
      // Every fixable finding of the rule got a fix (none declined) and none is left.
      expect(result.declined).toEqual([]);
      expect(after.findings.filter((f) => f.ruleId === c.ruleId && f.fix)).toEqual([]);
      expect(out.findings.filter((f) => f.fix).every((f) => resolved.has(f.fingerprint))).toBe(true);
    });
  }

  it('every fixable rule has at least one .fixed fixture', () => {
    const withGolden = new Set(
      cases()
        .filter((c) => existsSync(join(ROOT, c.ruleId, c.fixed)))
        .map((c) => c.ruleId),
    );
    const missing = allRules.filter((r) => r.meta.fixable && !withGolden.has(r.id)).map((r) => r.id);
    expect(missing).toEqual([]);
  });

  it('every .fixed fixture has its fail fixture', () => {
    const orphans = readdirSync(ROOT).flatMap((id) =>
      readdirSync(join(ROOT, id))
        .filter((f) => f.endsWith('.fixed.yaml') && !existsSync(join(ROOT, id, f.replace(/\.fixed\.yaml$/, '.yaml'))))
        .map((f) => `${id}/${f}`),
    );
    expect(orphans).toEqual([]);
  });
});
