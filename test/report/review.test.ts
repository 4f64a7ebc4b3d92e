import { describe, expect, it } from 'vitest';
import type { Finding, VerifiedFix } from '../../src/core/types.js';
import { parsePatch } from '../../src/diff/patch.js';
import { commentProblem, fingerprintsIn, markerOf, placeFixes, reviewBody } from '../../src/report/review.js';

const hunks = [
  { start: 1, end: 10 },
  { start: 20, end: 25 },
];

describe('commentProblem (what GitHub would answer 422 to)', () => {
  it('accepts right-side lines inside one hunk', () => {
    expect(commentProblem({ path: 'a', line: 10, side: 'RIGHT', body: 'x' }, hunks)).toBeUndefined();
    expect(commentProblem({ path: 'a', line: 25, start_line: 20, side: 'RIGHT', start_side: 'RIGHT', body: 'x' }, hunks)).toBeUndefined();
  });
  it('rejects lines outside, ranges over two hunks, start_line == line', () => {
    expect(commentProblem({ path: 'a', line: 11, side: 'RIGHT', body: 'x' }, hunks)?.message).toBe('not inside one hunk');
    expect(commentProblem({ path: 'a', line: 21, start_line: 9, side: 'RIGHT', body: 'x' }, hunks)?.message).toBe('not inside one hunk');
    expect(commentProblem({ path: 'a', line: 5, start_line: 5, side: 'RIGHT', body: 'x' }, hunks)?.message).toBe('start_line must precede line');
    expect(commentProblem({ path: 'a', line: 5, side: 'RIGHT', body: 'x'.repeat(65_537) }, hunks)?.message).toBe('body too long');
  });
});

describe('markers', () => {
  it('round-trip sorted fingerprints', () => {
    expect(markerOf(['b2', 'a1'])).toBe('<!-- minpriv:fp=a1,b2 -->');
    expect(fingerprintsIn(`text\n\n${markerOf(['b2', 'a1'])}`)).toEqual(['a1', 'b2']);
    expect(fingerprintsIn('no marker')).toEqual([]);
  });
});

const f = (fp: string, line: number): Finding => ({
  ruleId: 'r',
  severity: 'high',
  title: 't',
  message: `m${fp}`,
  file: 'a.yaml',
  line,
  column: 1,
  endLine: line,
  path: [],
  fingerprint: fp,
  sources: ['minpriv'],
});
const fix = (id: string, line: number, resolves: string[]): VerifiedFix => ({
  id,
  file: 'a.yaml',
  confidence: 'safe',
  title: id,
  resolves,
  checks: [],
  edit: { startLine: line, endLine: line, lines: [`fixed ${id}`] },
});

describe('placeFixes', () => {
  const diff = parsePatch(`@@ -0,0 +1,30 @@\n${Array.from({ length: 30 }, (_, i) => `+l${i + 1}`).join('\n')}`);
  const findings = [f('aa', 2), f('bb', 4), f('cc', 6), f('dd', 8)];
  const fixes = [fix('x1', 2, ['aa']), fix('x2', 4, ['bb']), fix('x3', 6, ['cc']), fix('x4', 8, ['dd'])];
  const base = { fixes, findings, diffs: new Map([['a.yaml', diff]]), suggestions: true, max: 2, prior: [], unknownFiles: new Set<string>() };

  it('caps the comments; the rest go to the summary', () => {
    const r = placeFixes(base);
    expect(r.comments.map((c) => c.line)).toEqual([2, 4]);
    expect([...r.placements.values()].map((p) => (p.kind === 'summary' ? p.reason : p.kind))).toEqual(['inline', 'inline', 'comment-cap', 'comment-cap']);
  });

  it('QA2 #3: comments.max counts the open threads that still match a finding; gone and outdated ones do not', () => {
    const prior = [
      { id: 'T-aa', path: 'a.yaml', fingerprints: ['aa'], outdated: false },
      { id: 'T-gone', path: 'a.yaml', fingerprints: ['zz'], outdated: false },
      { id: 'T-bb-old', path: 'a.yaml', fingerprints: ['bb'], outdated: true },
    ];
    const r = placeFixes({ ...base, max: 2, prior });
    expect(r.comments.map((c) => c.line)).toEqual([4]);
    expect([...r.placements.values()].map((p) => (p.kind === 'summary' ? p.reason : p.kind))).toEqual(['earlier', 'inline', 'comment-cap', 'comment-cap']);
    const full = placeFixes({ ...base, max: 1, prior });
    expect(full.comments).toEqual([]);
  });

  it('skips findings already on an open thread, resolves threads whose finding is gone, supersedes outdated ones', () => {
    const prior = [
      { id: 'T-aa', path: 'a.yaml', fingerprints: ['aa'], outdated: false },
      { id: 'T-gone', path: 'a.yaml', fingerprints: ['zz'], outdated: false },
      { id: 'T-bb-old', path: 'a.yaml', fingerprints: ['bb'], outdated: true },
      { id: 'T-other', path: 'b.yaml', fingerprints: ['yy'], outdated: false },
    ];
    const r = placeFixes({ ...base, max: 30, prior, unknownFiles: new Set(['b.yaml']) });
    expect(r.placements.get('x1')).toEqual({ kind: 'earlier', threadId: 'T-aa' });
    expect(r.comments.map((c) => c.line)).toEqual([4, 6, 8]);
    expect(r.gone).toEqual(['T-gone']);
    expect(r.superseded).toEqual(['T-bb-old']);
  });

  it('never places two overlapping suggestions, nor any without a patch or with suggestions off', () => {
    const overlapping = [fix('x1', 2, ['aa']), { ...fix('x2', 2, ['bb']) }];
    const r = placeFixes({ ...base, fixes: overlapping, max: 30 });
    expect(r.placements.get('x2')).toEqual({ kind: 'summary', reason: 'overlap' });
    expect(placeFixes({ ...base, diffs: new Map() }).placements.get('x1')).toEqual({ kind: 'summary', reason: 'no-patch' });
    expect(placeFixes({ ...base, suggestions: false }).placements.get('x1')).toEqual({ kind: 'summary', reason: 'suggestions-off' });
  });

  it('says "Check first" once per check in a posted comment (QA #12)', () => {
    const review = { ...fix('x1', 2, ['aa']), confidence: 'review' as const, checks: ['the process must not need `NET_RAW`'] };
    const body = placeFixes({ ...base, fixes: [review] }).comments[0]?.body ?? '';
    expect(body.split('**Check first:**').length - 1).toBe(1);
    expect(body.endsWith('**Check first:** the process must not need `NET_RAW`\n\n<!-- minpriv:fp=aa -->')).toBe(true);
  });

  it('a rename without changed lines goes to the summary with its own reason', () => {
    const renamed = { ...base, diffs: new Map([['a.yaml', parsePatch('')]]), renameOnly: new Set(['a.yaml']) };
    expect(placeFixes(renamed).placements.get('x1')).toEqual({ kind: 'summary', reason: 'rename-only' });
  });
});

describe('reviewBody (QA2 #13)', () => {
  it('says how many findings the suggestions resolve and that the other fixes are in the check run', () => {
    expect(reviewBody({ comments: 30, resolved: 180, findings: 720, fixes: 120 }).split('\n')[0]).toBe(
      '**minpriv**: 30 suggestions resolve 180 of 720 findings in this pull request; the other 90 verified fixes are in the `minpriv` check run.',
    );
  });

  it('when the suggestions cover everything, it says so and names no other fix', () => {
    expect(reviewBody({ comments: 2, resolved: 5, findings: 5, fixes: 2 }).split('\n')[0]).toBe(
      '**minpriv**: 2 suggestions resolve all 5 findings in this pull request.',
    );
    expect(reviewBody({ comments: 1, resolved: 1, findings: 3, fixes: 2 }).split('\n')[0]).toBe(
      '**minpriv**: 1 suggestion resolves 1 of 3 findings in this pull request; the other 1 verified fix is in the `minpriv` check run.',
    );
  });
});
