import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_ROOT = join(import.meta.dirname, '../fixtures/rules');

export interface RuleFixture {
  ruleId: string;
  file: string;
  verdict: 'pass' | 'fail';
}

/** Every `<id>/pass.*.yaml` and `<id>/fail.*.yaml` (`.fixed.yaml` files belong to the fix harness). */
export function ruleFixtures(): RuleFixture[] {
  return readdirSync(FIXTURE_ROOT)
    .sort()
    .flatMap((ruleId) =>
      readdirSync(join(FIXTURE_ROOT, ruleId))
        .filter((f) => /^(pass|fail)\.[\w-]+\.yaml$/.test(f))
        .sort()
        .map((file) => ({ ruleId, file, verdict: file.startsWith('pass.') ? ('pass' as const) : ('fail' as const) })),
    );
}
