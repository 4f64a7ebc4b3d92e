import { describe, expect, it } from 'vitest';
import type { Finding, ScanResult } from '../../src/core/types.js';
import { renderText } from '../../src/report/text.js';

describe('renderText on a very large scan', () => {
  it('lists 200,000 findings without overflowing the stack (spread arguments did, past ~100k)', () => {
    const findings: Finding[] = Array.from({ length: 200_000 }, (_, i) => ({
      ruleId: 'privileged-container',
      severity: 'critical',
      title: 'Privileged container',
      message: `Container "app-${i}" runs privileged.`,
      file: `apps/app-${i}.yaml`,
      line: 13,
      column: 11,
      endLine: 13,
      path: ['spec', 'containers', 0, 'securityContext', 'privileged'],
      fingerprint: `fp-${i}`,
      sources: ['minpriv'],
    }));
    const result: ScanResult = { findings, suppressed: findings.slice(0, 150_000), notices: [], filesScanned: 200_000, resourcesScanned: 200_000 };
    const text = renderText(result, { color: false, showSuppressed: true });
    expect(text).toContain('Container "app-199999" runs privileged.');
    expect(text).toContain('suppressed:');
  });
});
