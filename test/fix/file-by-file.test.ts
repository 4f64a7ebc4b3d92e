import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/scan-corpus.js';
import type { SourceFile } from '../../src/core/types.js';
import { type FixRun, fixToFixpoint } from '../../src/engine/fix-run.js';
import type { ScanOptions } from '../../src/engine/scan.js';
import { FIXTURES, fixtureFiles } from '../fixture-files.js';

/** Everything a caller reads of a run (`files` is let go in both). */
function shown(run: FixRun) {
  const scanOf = (s: FixRun['before']) => ({ ...s, files: [...s.files.keys()], rules: s.rules.map((r) => r.id) });
  return { ...run, before: scanOf(run.before), after: scanOf(run.after), texts: [...run.texts] };
}

function bothWays(files: SourceFile[], scan: ScanOptions, includeReview: boolean) {
  const eachFile = fixToFixpoint(files, { scan, includeReview });
  const rounds = fixToFixpoint(files, { scan, includeReview, fileByFile: false });
  return { eachFile: shown(eachFile), rounds: shown(rounds) };
}

describe('fix --all file by file (each file scanned, fixed and re-scanned alone) = round by round over the whole set', () => {
  // No kustomization among them (a kustomization makes the run go round by round): the fixtures minus those.
  const fixtures = fixtureFiles(FIXTURES).filter((f) => !/kustomization\.ya?ml$/.test(f.path));

  for (const [profile, includeReview] of [
    ['pss-restricted', true],
    ['pss-restricted', false],
    ['pss-baseline', true],
  ] as const) {
    it(`every fixture, ${profile}${includeReview ? ', review fixes too' : ', safe fixes'}`, () => {
      const { eachFile, rounds } = bothWays(fixtures, { profile }, includeReview);
      expect(rounds.fixes.length).toBeGreaterThan(100);
      expect(rounds.declined.length).toBeGreaterThan(0);
      expect(eachFile).toEqual(rounds);
      // Byte for byte, key order included.
      expect(JSON.stringify(eachFile)).toBe(JSON.stringify(rounds));
    });
  }

  it('the generated bench corpus (1,000 workloads, cascades in a second round)', () => {
    const { eachFile, rounds } = bothWays(generateCorpus(1_000), { profile: 'pss-restricted' }, true);
    expect(rounds.rounds).toBe(2);
    expect(rounds.fixes.length).toBe(1_268);
    expect(JSON.stringify(eachFile)).toBe(JSON.stringify(rounds));
  });

  it('a rule that reads other objects keeps the run round by round (same result either way)', () => {
    const { eachFile, rounds } = bothWays(fixtures.slice(0, 200), { profile: 'minpriv' }, true);
    expect(rounds.fixes.length).toBeGreaterThan(0);
    expect(JSON.stringify(eachFile)).toBe(JSON.stringify(rounds));
  });

  it('maxRounds cuts both the same way', () => {
    const files = generateCorpus(300);
    const eachFile = shown(fixToFixpoint(files, { scan: {}, includeReview: true, maxRounds: 1 }));
    const rounds = shown(fixToFixpoint(files, { scan: {}, includeReview: true, maxRounds: 1, fileByFile: false }));
    expect(rounds.rounds).toBe(1);
    expect(rounds.fixes.length).toBeGreaterThan(0);
    // The one visible difference, which shows that each way ran: round by round keeps the parses of the last
    // scan when the rounds run out; file by file lets every file go.
    expect(rounds.after.files.length).toBe(files.length);
    expect(eachFile.after.files).toEqual([]);
    expect(JSON.stringify({ ...eachFile, after: { ...eachFile.after, files: [] } })).toBe(JSON.stringify({ ...rounds, after: { ...rounds.after, files: [] } }));
  });
});
