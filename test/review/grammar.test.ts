import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { planReviewSync } from '../../src/review/plan.js';
import { hiddenNotes } from '../../src/review/scope.js';
import privileged from '../../src/rules/privileged-container.js';

// QA D18: "1 finding were there before this change".
const pod = (image: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: ${image}\n      securityContext:\n        privileged: true\n`;

describe('counts read as English', () => {
  it('one finding already present "was" there before this change', () => {
    const r = planReviewSync({
      config: DEFAULT_CONFIG,
      ruleset: [privileged],
      changes: {
        files: [
          { path: 'p.yaml', status: 'modified', content: pod('i:2'), baseContent: pod('i:1'), patch: '@@ -8 +8 @@\n-      image: i:1\n+      image: i:2' },
        ],
      },
    });
    expect(r.summary).toContain(
      '- Already present: 1 finding was there before this change (marked *already present*); only new findings fail the check (`failOnExisting: false`).',
    );
  });

  it('one finding over maxFindingsPerFile "is" counted in the totals', () => {
    expect(hiddenNotes([{ file: 'a.yaml', total: 3 }], 2)).toEqual([
      '`a.yaml` has 3 findings: the 2 most severe are shown and fixed here, the other 1 is counted in the totals (`maxFindingsPerFile`).',
    ]);
  });
});
