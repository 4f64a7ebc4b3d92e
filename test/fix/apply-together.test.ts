import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRegistry } from '../../src/core/registry.js';
import { defineObjectRule } from '../../src/core/rule.js';
import { isObj } from '../../src/core/workload.js';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { fixToFixpoint } from '../../src/engine/fix-run.js';
import { type ScanOptions, scan } from '../../src/engine/scan.js';
import { Verifier } from '../../src/engine/verify.js';
import { allRules } from '../../src/rules/index.js';

// `applyTogether` (what `minpriv fix` asks for): the fixes of a file are applied at once, so they are
// verified at once; each is verified alone only to find the ones to decline when that check fails.

const meta = {
  description: 'Test rule.',
  rationale: 'Test rule.',
  remediation: 'Test rule.',
  severity: 'high',
  category: 'rbac',
  standards: {},
} as const;

const verbOf = (rule: unknown): unknown => (isObj(rule) && Array.isArray(rule.verbs) ? rule.verbs[0] : undefined);

/** Each rule entry whose first verb is `x`: set it to `get` (one suggestion per entry). */
const xVerb = defineObjectRule({
  id: 'test-x-verb',
  appliesTo: { kinds: ['Role'] },
  meta: { ...meta, title: 'x verb', fixable: true, fixUnit: 'rule-entry' },
  check(ctx) {
    const rules = ctx.object.value.rules;
    if (!Array.isArray(rules)) return;
    rules.forEach((r, i) => {
      if (verbOf(r) !== 'x') return;
      const path = ['rules', i, 'verbs', 0];
      // An entry named `broken` gets a fix the API server refuses (no verbs at all).
      const op = isObj(r) && r.broken ? { op: 'set' as const, path: ['rules', i, 'verbs'], value: [] } : { op: 'set' as const, path, value: 'get' };
      ctx.report({ path, message: `rule ${i} has verb x`, fix: { confidence: 'safe', title: 'use get', ops: [op] } });
    });
  },
});

/** The first two entries disagree on `get`: what either fix alone causes, and both together do not. */
const mixed = defineObjectRule({
  id: 'test-mixed-verbs',
  appliesTo: { kinds: ['Role'] },
  meta: { ...meta, title: 'mixed verbs', fixable: false },
  check(ctx) {
    const rules = ctx.object.value.rules;
    if (!Array.isArray(rules)) return;
    if ((verbOf(rules[0]) === 'get') !== (verbOf(rules[1]) === 'get')) ctx.report({ path: ['rules'], message: 'the first two rules disagree' });
  },
});

const syntax = allRules.filter((r) => r.meta.category === 'syntax');
const options: ScanOptions = { registry: createRegistry([...syntax, xVerb, mixed]), ruleset: [xVerb, mixed] };

const ROLE = [
  'apiVersion: rbac.authorization.k8s.io/v1',
  'kind: Role',
  'metadata:',
  '  name: r',
  '  namespace: ns',
  'rules:',
  '- apiGroups: [""]',
  '  resources: ["pods"]',
  '  verbs:',
  '  - x',
  '- apiGroups: [""]',
  '  resources: ["services"]',
  '  verbs:',
  '  - x',
  '',
].join('\n');

function fixesOf(content: string, extra: Parameters<typeof buildFixes>[2]) {
  const out = scan([{ path: 'r.yaml', content }], options);
  const file = out.files.get('r.yaml');
  if (!file) throw new Error('not scanned');
  return buildFixes(file, out.findings, { scan: options, ...extra });
}

describe('fixes applied together are verified together (applyTogether)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('the scan sees two fixable findings and no mixed one', () => {
    const out = scan([{ path: 'r.yaml', content: ROLE }], options);
    expect(out.findings.map((f) => f.ruleId)).toEqual(['test-x-verb', 'test-x-verb']);
  });

  it('a fix that fails alone but holds with the others: declined for a review, applied by the CLI', () => {
    const review = fixesOf(ROLE, {});
    expect(review.fixes).toEqual([]);
    expect(review.declined.map((d) => d.reason)).toEqual([
      'verification failed: the fix would add a `test-mixed-verbs` finding (the first two rules disagree)',
      'verification failed: the fix would add a `test-mixed-verbs` finding (the first two rules disagree)',
    ]);
    const alone = vi.spyOn(Verifier.prototype, 'verifyInDocument');
    const cli = fixesOf(ROLE, { applyTogether: true, keepChecked: true });
    expect(alone).not.toHaveBeenCalled();
    expect(cli.declined).toEqual([]);
    expect(cli.fixes.map((f) => f.title)).toEqual(['use get', 'use get']);
    const fixed = applyLineEdits(
      ROLE,
      cli.fixes.map((f) => f.edit),
    );
    expect(fixed).toBe(ROLE.replaceAll('  - x', '  - get'));
    // The check together is the fixed file's scan: nothing left, nothing added.
    expect(cli.checked?.text).toBe(fixed);
    expect(cli.checked?.scan.findings).toEqual([]);
  });

  it('where the fixes do not hold together, each is verified alone as for a review: same fixes, same declines', () => {
    // The second entry's fix leaves it without verbs, which the API server refuses: the check together fails.
    const bad = ROLE.replace('  resources: ["services"]', '  resources: ["services"]\n  broken: true');
    const alone = vi.spyOn(Verifier.prototype, 'verifyInDocument');
    const cli = fixesOf(bad, { applyTogether: true });
    expect(alone).toHaveBeenCalledTimes(2);
    expect(cli).toEqual(fixesOf(bad, {}));
    expect(cli.fixes).toEqual([]);
    expect(cli.declined.map((d) => d.reason)).toEqual([
      'verification failed: the fix would add a `test-mixed-verbs` finding (the first two rules disagree)',
      expect.stringMatching(/^verification failed: Kubernetes would reject the result \(Role\/r: rules\[1\]\.verbs: /),
    ]);
  });

  it('minpriv fix (fixToFixpoint) applies both', () => {
    const r = fixToFixpoint([{ path: 'r.yaml', content: ROLE }], { scan: options, includeReview: true });
    expect(r.declined).toEqual([]);
    expect(r.fixes.map((f) => f.fix.title)).toEqual(['use get', 'use get']);
    expect(r.texts.get('r.yaml')).toBe(ROLE.replaceAll('  - x', '  - get'));
    expect(r.after.findings).toEqual([]);
  });
});
