import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import { allRules } from '../../src/rules/index.js';
import { FIXTURE_ROOT, fixtureOptions, ruleFixtures } from './fixture-files.js';

describe('rule fixtures', () => {
  const byId = new Map(allRules.map((r) => [r.id, r]));
  for (const fx of ruleFixtures()) {
    it(`${fx.ruleId}/${fx.file}`, () => {
      const rule = byId.get(fx.ruleId);
      expect(rule, `no rule ${fx.ruleId} in the registry`).toBeDefined();
      const content = readFileSync(join(FIXTURE_ROOT, fx.ruleId, fx.file), 'utf8');
      const out = scan([{ path: `${fx.ruleId}/${fx.file}`, content }], { ...fixtureOptions(content), ruleset: rule ? [rule] : [] });
      const mine = [...out.findings, ...out.suppressed].filter((f) => f.ruleId === fx.ruleId);
      if (fx.verdict === 'pass') expect(mine.map((f) => `${f.line}: ${f.message}`)).toEqual([]);
      else expect(mine.length).toBeGreaterThanOrEqual(1);
      // A fixture must be a real manifest: no rule crashed and nothing was skipped as a template or patch.
      expect(out.notices).toEqual([]);
    });
  }
});
