import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { parseConfig, scanOptionsOf } from '../../src/engine/config.js';
import type { ScanOptions } from '../../src/engine/scan.js';

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

const CONFIG_LINE = /^# \.github\/minpriv\.yml: (.*)\r?\n/;

/**
 * The scan options of a fixture that needs configuration (`image-registry` needs `images.allowedRegistries`): its
 * first line is `# .github/minpriv.yml: {images: {...}}`, the config in YAML flow style, shown in the docs as is.
 */
export function fixtureOptions(text: string): ScanOptions {
  const m = CONFIG_LINE.exec(text);
  if (!m) return {};
  const parsed = parseConfig(load(m[1] as string));
  if (!parsed.ok) throw new Error(`bad fixture config: ${JSON.stringify(parsed.issues)}`);
  return scanOptionsOf(parsed.config);
}
