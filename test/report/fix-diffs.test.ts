import { describe, expect, it } from 'vitest';
import type { VerifiedFix } from '../../src/core/types.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { renderCheckOutput, type SummaryModel, shownFixDiffs } from '../../src/report/summary.js';
import { planReviewSync } from '../../src/review/plan.js';
import { manyFiles } from '../app/big-pr.js';

// 300 new files, one Deployment with 7 findings each: 300 fixes, 30 posted inline (comments.max), 270 for the check run.
const plan = planReviewSync({
  config: DEFAULT_CONFIG,
  changes: { files: manyFiles(300).map((f) => ({ path: f.filename, status: f.status, content: f.content, patch: f.patch })) },
});

// A diff per fix of its own length (6 to 60 lines), so that which blocks fit is not the same for every fix.
const fakeDiff = (fix: VerifiedFix) => {
  const n = 6 + (Number.parseInt(fix.id.slice(0, 4), 16) % 55);
  return Array.from({ length: n }, (_, k) => `${k % 2 ? '+' : '-'}  line ${k} of ${fix.id}`).join('\n');
};

describe('a plan keeps only the fix diffs its check output can show', () => {
  const every: SummaryModel = { ...plan.model, fixDiffs: Object.fromEntries(plan.model.fixes.map((f) => [f.id, fakeDiff(f)])) };
  const trimmed: SummaryModel = { ...plan.model, fixDiffs: shownFixDiffs(plan.model, fakeDiff) };

  it('is a small part of the fixes of a 300-file PR', () => {
    expect(plan.fixes).toHaveLength(300);
    expect(plan.comments).toHaveLength(30);
    const kept = Object.keys(trimmed.fixDiffs).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(150);
    // Kept diffs are the real ones, in the order of the fixes.
    const order = plan.model.fixes.map((f) => f.id).filter((id) => id in trimmed.fixDiffs);
    expect(Object.keys(trimmed.fixDiffs)).toEqual(order);
    for (const id of order) expect(trimmed.fixDiffs[id]).toBe(every.fixDiffs[id]);
  });

  it('renders the same summary and text as with every diff, posted or not, with notes or not', () => {
    for (const outcome of [{}, { reviewError: 'GitHub answered 403 to the review' }, { notes: ['2 threads resolved.'] }]) {
      const full = renderCheckOutput(every, outcome);
      expect(full.text).toContain('more fixes not shown');
      expect(renderCheckOutput(trimmed, outcome)).toEqual(full);
    }
  });

  it('the plan made its own this way: its check output is what its diffs render', () => {
    expect(Object.keys(plan.model.fixDiffs).length).toBeLessThan(150);
    expect(renderCheckOutput(plan.model)).toEqual({ summary: plan.summary, text: plan.text });
    // Kept: the blocks shown, and those that could be shown had the review failed (then the 30 inline ones join).
    const shown = plan.text.split('\n').filter((l) => l.startsWith('### **`apps/')).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(Object.keys(plan.model.fixDiffs).length);
  });
});

describe('a summary past its byte limit', () => {
  it('counts the rows it does not render, as when it rendered them all', () => {
    // Every finding row of the 300 files is counted in the note: 7 rows and 5 table lines per file, and the lines before.
    const note = /(\d+) more table rows and lines\*?\*? ?not shown/.exec(plan.summary);
    expect(note).not.toBeNull();
    const shownLines = plan.summary.slice(0, plan.summary.indexOf('\n\n> **Summary truncated**')).split('\n').length;
    const total = shownLines + Number(note?.[1]);
    const before = renderCheckOutput({ ...plan.model, findings: [] }).summary.split('\n').length;
    expect(total).toBe(before + 300 * (5 + 7));
  });
});
