import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { runPipeline } from '../../src/report/pipeline.js';
import { renderSummary } from '../../src/report/summary.js';
import privileged from '../../src/rules/privileged-container.js';

// 400 privileged pods whose names carry multibyte characters: the summary limit is in bytes, not characters.
function bigPr() {
  const files = Array.from({ length: 400 }, (_, i) => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pöd-ü-${i}\nspec:\n  containers:\n    - name: cöntainer-ß-${'é'.repeat(60)}\n      image: i\n      securityContext:\n        privileged: true\n`;
    return { path: `apps/${i}.yaml`, status: 'modified' as const, content: text, patch: '@@ -4 +4 @@\n-  name: x\n+  name: y' };
  });
  return runPipeline({ config: DEFAULT_CONFIG, ruleset: [privileged], changes: { files } });
}

describe('renderSummary', () => {
  const r = bigPr();
  it('stays within 65,535 bytes and says it was cut', () => {
    expect(r.stats.findings).toBe(400);
    expect(Buffer.byteLength(r.summary, 'utf8')).toBeLessThanOrEqual(65_535);
    expect(r.summary.length).toBeLessThan(65_535);
    expect(r.summary).toMatch(/> \*\*Summary truncated\*\* to GitHub's 65535-byte limit: \d+ more parts not shown\. Every finding is still an annotation\.$/);
    expect(r.annotations).toHaveLength(400);
  });
  it('never cuts a diff block in half', () => {
    const fences = r.summary.match(/^```/gm) ?? [];
    expect(fences.length % 2).toBe(0);
  });
  it('a tiny limit still yields a valid summary with the note', () => {
    const s = renderSummary(r.model, {}, 400);
    expect(Buffer.byteLength(s)).toBeLessThanOrEqual(400);
    expect(s).toContain('Summary truncated');
  });
});
