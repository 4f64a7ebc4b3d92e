import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import { allRules } from '../../src/rules/index.js';
import { FIXTURE_CORPUS } from '../corpus-path.js';
import { FIXTURE_ROOT, ruleFixtures } from './fixture-files.js';

const RULES_DIR = join(import.meta.dirname, '../../src/rules');
// The crosswalk, copied from ../shared (see test/fixtures/crosswalk/SOURCE.md): the test runs in any clone.
const CROSSWALK = join(import.meta.dirname, '../fixtures/crosswalk/rules-crosswalk.md');

/** PSA check ids (lower-cased) named by the official fail fixtures of test/fixtures/corpus/pss (`<checkid><index>.yaml`). */
function fixtureControls(): string[] {
  const names = ['baseline', 'restricted'].flatMap((level) => readdirSync(join(FIXTURE_CORPUS, 'pss', level, 'v1.37', 'fail')));
  return [...new Set(names.filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\d+\.yaml$/, '')))].sort();
}

/** PSA check ids in the "Pod Security Standards: the exact controls" tables of the crosswalk. */
function crosswalkControls(): string[] {
  const text = readFileSync(CROSSWALK, 'utf8');
  const section = text.slice(text.indexOf('## Pod Security Standards: the exact controls'));
  const out: string[] = [];
  for (const line of section.split('\n')) {
    // A control row: | Name (`checkId`) | fields | values | versions |
    const m = /^\| [^|]*\(`(\w+)`\) \|/.exec(line);
    if (m?.[1]) out.push(m[1]);
  }
  return out;
}

describe('rule registry', () => {
  const ids = allRules.map((r) => r.id);

  it('ids are unique and sorted', () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
  });

  it('each rule file defines one rule whose id is its file name, and the registry lists it', () => {
    const ruleFiles = readdirSync(RULES_DIR)
      .filter((f) => f.endsWith('.ts') && /export default define(Object)?Rule\(/.test(readFileSync(join(RULES_DIR, f), 'utf8')))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(ruleFiles).toEqual(ids);
    for (const id of ids) expect(readFileSync(join(RULES_DIR, `${id}.ts`), 'utf8')).toContain(`id: '${id}',`);
  });

  it('every PSS control of the crosswalk has exactly one rule', () => {
    const controls = crosswalkControls();
    expect(controls).toHaveLength(19);
    const covered = allRules.map((r) => r.meta.standards.pss?.control).filter((c) => c !== undefined);
    expect([...covered].sort()).toEqual([...controls].sort());
  });

  it('every PSS check of the official fail fixtures has exactly one rule', () => {
    const controls = fixtureControls();
    expect(controls).toHaveLength(19);
    const covered = allRules.map((r) => r.meta.standards.pss?.control.toLowerCase()).filter((c) => c !== undefined);
    expect([...covered].sort()).toEqual(controls);
  });

  it('overrides name a baseline rule, from a restricted rule', () => {
    for (const r of allRules.filter((x) => x.meta.overrides)) {
      expect(r.meta.standards.pss?.level, r.id).toBe('restricted');
      expect(allRules.find((x) => x.id === r.meta.overrides)?.meta.standards.pss?.level, r.id).toBe('baseline');
    }
    expect(Object.fromEntries(allRules.filter((r) => r.meta.overrides).map((r) => [r.id, r.meta.overrides]))).toEqual({
      'capabilities-restricted': 'capabilities-baseline',
      'proc-mount-restricted': 'proc-mount',
      'restricted-volume-types': 'host-path-volumes',
      'seccomp-profile-required': 'seccomp-unconfined',
    });
  });
});

describe.each(allRules.map((r) => [r.id, r] as const))('meta of %s', (id, rule) => {
  it('description, rationale and remediation are sentences ending with a period', () => {
    for (const key of ['description', 'rationale', 'remediation'] as const) {
      const text = rule.meta[key];
      expect(text, `${id}.${key}`).toMatch(/^[A-Z`].*\.$/s);
    }
    expect(rule.meta.title, `${id}.title`).not.toMatch(/\.$/);
  });

  it('crosswalk ids have the tools’ print forms', () => {
    const s = rule.meta.standards;
    for (const t of s.trivy ?? []) expect(t).toMatch(/^KSV-\d{4}$/);
    for (const k of s.kubescape ?? []) expect(k).toMatch(/^C-\d{4}$/);
    for (const c of s.checkov ?? []) expect(c).toMatch(/^CKV2?_K8S_\d+$/);
    for (const k of s.kubeLinter ?? []) expect(k).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('has a pass and a fail fixture', () => {
    const mine = ruleFixtures().filter((f) => f.ruleId === id);
    expect(
      mine.some((f) => f.verdict === 'pass'),
      `no test/fixtures/rules/${id}/pass.*.yaml`,
    ).toBe(true);
    expect(
      mine.some((f) => f.verdict === 'fail'),
      `no test/fixtures/rules/${id}/fail.*.yaml`,
    ).toBe(true);
  });

  it('declares fixes exactly when it says it is fixable', () => {
    const fails = ruleFixtures().filter((f) => f.ruleId === id && f.verdict === 'fail');
    const findings = fails.flatMap(
      (f) => scan([{ path: f.file, content: readFileSync(join(FIXTURE_ROOT, id, f.file), 'utf8') }], { ruleset: [rule] }).findings,
    );
    const withFix = findings.filter((f) => f.fix);
    if (rule.meta.fixable) expect(withFix.length, `${id} is fixable but no fail fixture gets a fix`).toBeGreaterThan(0);
    else expect(withFix).toEqual([]);
    for (const f of withFix) {
      expect(f.fix?.title.length).toBeGreaterThan(0);
      if (f.fix?.confidence === 'review') expect(f.fix.check, `${id}: a review fix says what to check`).toBeTruthy();
    }
  });
});

describe('fixture folders', () => {
  it('every fixture folder belongs to a rule', () => {
    const ids = new Set(allRules.map((r) => r.id));
    expect(readdirSync(FIXTURE_ROOT).filter((d) => !ids.has(d))).toEqual([]);
  });
});
