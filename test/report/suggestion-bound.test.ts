import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, SourceFile, VerifiedFix } from '../../src/core/types.js';
import { parsePatch } from '../../src/diff/patch.js';
import { scan } from '../../src/engine/scan.js';
import { markerLength, markerOf, placeFixes } from '../../src/report/review.js';
import { renderSuggestion, suggestionBodyBound } from '../../src/report/suggestion.js';
import { fixesFor } from '../../src/review/fixes.js';
import { builtinRegistry } from '../../src/rules/index.js';

const ROOT = new URL('../fixtures/', import.meta.url).pathname;

function fixtureFiles(): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name) && !name.includes('.fixed.') && name !== 'expected.yaml') {
        out.push({ path: path.slice(ROOT.length), content: readFileSync(path, 'utf8') });
      }
    }
  };
  for (const dir of ['rules', 'edit', 'corpus', 'github']) walk(join(ROOT, dir));
  return out;
}

const rationale = (id: string) => builtinRegistry.get(id)?.meta.rationale;
const whole = [{ start: 1, end: 1_000_000 }];

/** The body renderSuggestion writes, and the bound placeFixes reads instead, for one fix. */
function both(fix: VerifiedFix, findings: readonly Finding[], docsUrl?: string): { body: number; bound: number } {
  const byFingerprint = new Map(findings.map((f) => [f.fingerprint, f]));
  const options = { rationale, byFingerprint, ...(docsUrl ? { docsUrl } : {}) };
  const c = renderSuggestion(fix, findings, whole, { ...options, extraBody: markerOf(fix.resolves) });
  if (!c) throw new Error('not rendered');
  expect(markerLength(fix.resolves)).toBe(markerOf(fix.resolves).length);
  return { body: c.body.length, bound: suggestionBodyBound(fix, { ...options, extraBodyLength: markerLength(fix.resolves) }) };
}

describe('suggestionBodyBound', () => {
  it('is never under the body renderSuggestion writes, for every fix of every fixture', () => {
    const files = fixtureFiles();
    let fixes = 0;
    for (const profile of ['pss-restricted'] as const) {
      const out = scan(files, { profile });
      const all = fixesFor(out.findings, out.files, new Map(), { profile }).fixes;
      for (const fix of all) {
        for (const docsUrl of [undefined, 'https://minpriv.example.com/some/longer/path']) {
          const { body, bound } = both(fix, out.findings, docsUrl);
          expect(bound, fix.id).toBeGreaterThanOrEqual(body);
        }
      }
      fixes += all.length;
    }
    expect(fixes).toBeGreaterThan(300);
  });

  it('counts backtick fences, checks, unknown findings and long rationales at their longest', () => {
    const finding = (fp: string, ruleId: string): Finding => ({
      ruleId,
      severity: 'critical',
      title: 't',
      message: `message ${fp} | with \`code\``,
      file: 'a.yaml',
      line: 1,
      column: 1,
      endLine: 1,
      path: [],
      fingerprint: fp,
      sources: ['minpriv'],
    });
    const findings = [finding('a1', 'x'), finding('b2', 'a-rule-with-a-long-name'), finding('c3', 'x')];
    const lines = ['```````', 'a: `````` b', '', '`'];
    for (const resolves of [['a1'], ['a1', 'b2', 'c3'], ['a1', 'zz', 'yy'], ['qq']]) {
      for (const checks of [[], ['check the thing'], ['a', 'b'.repeat(300)]]) {
        const fix: VerifiedFix = {
          id: 'f',
          file: 'a.yaml',
          confidence: 'review',
          title: 'T'.repeat(90),
          resolves,
          checks,
          edit: { startLine: 1, endLine: 4, lines },
        };
        const { body, bound } = both(fix, findings);
        expect(bound).toBeGreaterThanOrEqual(body);
      }
    }
  });
});

describe('placeFixes writes only the comments it posts', () => {
  const diff = parsePatch(`@@ -0,0 +1,30 @@\n${Array.from({ length: 30 }, (_, i) => `+l${i + 1}`).join('\n')}`);
  const finding = (fp: string, line: number): Finding => ({
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
  const fix = (id: string, line: number, resolves: string[], text = `fixed ${id}`): VerifiedFix => ({
    id,
    file: 'a.yaml',
    confidence: 'safe',
    title: id,
    resolves,
    checks: [],
    edit: { startLine: line, endLine: line, lines: [text] },
  });
  const findings = [finding('aa', 2), finding('bb', 4), finding('cc', 6), finding('dd', 8)];
  const huge = 'x'.repeat(70_000);

  it('a comment over GitHub’s limit is "too long" even past the cap or over another suggestion', () => {
    const fixes = [fix('x1', 2, ['aa']), fix('x2', 2, ['bb'], huge), fix('x3', 6, ['cc'], huge), fix('x4', 8, ['dd'])];
    const r = placeFixes({ fixes, findings, diffs: new Map([['a.yaml', diff]]), suggestions: true, max: 1, prior: [], unknownFiles: new Set<string>() });
    expect([...r.placements.values()].map((p) => (p.kind === 'summary' ? p.reason : p.kind))).toEqual(['inline', 'too-long', 'too-long', 'comment-cap']);
    expect(r.comments.map((c) => c.line)).toEqual([2]);
  });

  it('a comment over the limit that would be posted goes to the summary, and the next one takes its place', () => {
    const fixes = [fix('x1', 2, ['aa'], huge), fix('x2', 4, ['bb']), fix('x3', 6, ['cc'])];
    const r = placeFixes({ fixes, findings, diffs: new Map([['a.yaml', diff]]), suggestions: true, max: 1, prior: [], unknownFiles: new Set<string>() });
    expect([...r.placements.values()].map((p) => (p.kind === 'summary' ? p.reason : p.kind))).toEqual(['too-long', 'inline', 'comment-cap']);
    expect(r.comments[0]?.body).toContain('```suggestion\nfixed x2\n```');
  });
});
