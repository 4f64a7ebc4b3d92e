import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/engine/config.js';
import { displayed, fixDiff, wholeDiff } from '../../src/review/details.js';
import { planReviewSync } from '../../src/review/plan.js';
import { badDeployment } from '../app/big-pr.js';
import { addedPatch } from '../github/fake-github.js';

const dir = new URL('../fixtures/github/', import.meta.url);
const config = (() => {
  const c = parseConfig({ profile: 'minpriv', maxFindingsPerFile: 10_000 });
  if (!c.ok) throw new Error('config');
  return c.config;
})();

/** Every fix of a file, its windowed diff against the whole-file diff. */
function compare(text: string): number {
  const plan = planReviewSync({
    changes: { files: [{ path: 'big.yaml', status: 'added', content: text, patch: addedPatch(text) }] },
    config,
    today: '2026-12-05',
  });
  const file = { parsed: { text } } as never;
  for (const fix of plan.fixes) expect(fixDiff(fix, file), fix.id).toBe(displayed(wholeDiff(fix, text)));
  return plan.fixes.length;
}

const fixtures = readdirSync(dir)
  .filter((f) => ['daemonset-hostpath.yaml', 'modified-api.yaml', 'new-deployment.yaml'].includes(f))
  .map((f) => readFileSync(new URL(f, dir), 'utf8'));

describe('a fix diff is computed on the lines around it, exactly as over the whole file', () => {
  it('in a long multi-document file: first, middle and last documents', () => {
    const text = [...fixtures.slice(0, 2), ...Array.from({ length: 30 }, (_, i) => badDeployment(`d${i}`)), ...fixtures.slice(2)].join('---\n');
    expect(compare(text)).toBe(33);
  });

  it('with CRLF line endings, and without a final newline', () => {
    const lf = Array.from({ length: 12 }, (_, i) => badDeployment(`d${i}`)).join('---\n');
    expect(compare(lf.replace(/\n/g, '\r\n'))).toBe(12);
    expect(compare(lf.replace(/\n$/, ''))).toBe(12);
  });

  it('with mixed line endings (the window falls back to the whole file where they would differ)', () => {
    const docs = Array.from({ length: 12 }, (_, i) => badDeployment(`d${i}`));
    const text = [...docs.slice(0, 6), ...docs.slice(6).map((d) => d.replace(/\n/g, '\r\n'))].join('---\n');
    expect(compare(text)).toBe(12);
  });
});
