import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import type { FindingProvider } from '../../src/review/check.js';
import { planReview } from '../../src/review/plan.js';
import privileged from '../../src/rules/privileged-container.js';

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: i\n      securityContext:\n        privileged: true\n';

describe('check: finding providers', () => {
  it('a provider that throws is an error notice, and onError decides the verdict (never a silent pass)', async () => {
    const broken: FindingProvider = {
      name: 'broken',
      provide: async () => {
        throw new Error('segfault');
      },
    };
    const clean = POD.replace('privileged: true', 'privileged: false');
    const changes = { files: [{ path: 'p.yaml', status: 'added' as const, content: clean }] };
    const plan = await planReview({ changes, config: DEFAULT_CONFIG, ruleset: [privileged], providers: [broken] });
    expect(plan.conclusion).toBe('failure');
    expect(plan.summary).toContain('broken failed: segfault');
    const neutral = await planReview({ changes, config: { ...DEFAULT_CONFIG, onError: 'neutral' }, ruleset: [privileged], providers: [broken] });
    expect(neutral.conclusion).toBe('neutral');
  });
});
