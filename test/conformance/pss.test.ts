import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { Finding, Path } from '../../src/core/types.js';
import { getIn } from '../../src/core/workload.js';
import { scan } from '../../src/engine/scan.js';
import { FIXTURE_CORPUS, hasShared, SHARED_CORPUS } from '../corpus-path.js';

// The official PSA fixtures (see test/fixtures/corpus/pss/SOURCE.md, a complete copy of ../shared/corpus/pss):
// v1.37, one Pod per file, named <checkid><index>.yaml.
const CORPUS = join(FIXTURE_CORPUS, 'pss');
const LEVELS = ['baseline', 'restricted'] as const;
type Level = (typeof LEVELS)[number];

/** At the restricted level PSA replaces these baseline checks with their restricted versions. */
const STAND_IN: Record<string, string> = {
  capabilities_baseline: 'capabilities_restricted',
  hostpathvolumes: 'restrictedvolumes',
  seccompprofile_baseline: 'seccompprofile_restricted',
  procmount: 'procmount_restricted',
};

/** Counts from SOURCE.md, so a missing or partial corpus fails instead of passing on nothing. */
const COUNTS = { baseline: { pass: 15, fail: 34 }, restricted: { pass: 23, fail: 76 } };

function corpus(level: Level, verdict: 'pass' | 'fail', root = CORPUS): { file: string; text: string }[] {
  const dir = join(root, level, 'v1.37', verdict);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
}

function controlOf(file: string): string {
  return file.replace(/\d+\.yaml$/, '');
}

function scanText(text: string, level: Level, version?: { major: number; minor: number }): Finding[] {
  return scan([{ path: 'pod.yaml', content: text }], { profile: `pss-${level}`, ...(version ? { pssVersion: version } : {}) }).findings;
}

function controls(findings: Finding[]): string[] {
  return findings.map((f) => f.pss?.control.toLowerCase() ?? `(no pss: ${f.ruleId})`);
}

function expectVerdict(findings: Finding[], level: Level, verdict: 'pass' | 'fail', file: string): void {
  if (verdict === 'pass') {
    expect(findings.map((f) => `${f.ruleId}@${f.line}: ${f.message}`)).toEqual([]);
    return;
  }
  const control = controlOf(file);
  const accepted = level === 'restricted' && STAND_IN[control] ? [control, STAND_IN[control]] : [control];
  expect(
    controls(findings).some((c) => accepted.includes(c)),
    `${file}: wanted ${accepted.join(' or ')}, got ${controls(findings).join(', ')}`,
  ).toBe(true);
}

describe.each(LEVELS)('PSS %s v1.37 fixtures', (level) => {
  it('the corpus is complete', () => {
    expect(corpus(level, 'pass')).toHaveLength(COUNTS[level].pass);
    expect(corpus(level, 'fail')).toHaveLength(COUNTS[level].fail);
  });
  for (const verdict of ['pass', 'fail'] as const) {
    for (const { file, text } of corpus(level, verdict)) {
      it(`${verdict}/${file}`, () => expectVerdict(scanText(text, level), level, verdict, file));
    }
  }
});

describe.skipIf(!hasShared('corpus/pss', 'the check that test/fixtures/corpus/pss matches the shared copy'))(
  'test/fixtures/corpus/pss is the same as ../shared/corpus/pss',
  () => {
    it.each(LEVELS)('%s', (level) => {
      for (const verdict of ['pass', 'fail'] as const) expect(corpus(level, verdict)).toEqual(corpus(level, verdict, join(SHARED_CORPUS, 'pss')));
    });
  },
);

/**
 * Each wrapper holds the Pod (from `metadata:` on) as its pod template, indented by text so that the
 * Pod's line N lands on line N + offset. The offsets are counted by hand from the headers below.
 */
const WRAPPERS = [
  {
    kind: 'Deployment',
    offset: 7,
    indent: 4,
    header: [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: wrapped',
      'spec:',
      '  selector:',
      '    matchLabels:',
      '      app: wrapped',
      '  template:',
    ],
  },
  {
    kind: 'StatefulSet',
    offset: 8,
    indent: 4,
    header: [
      'apiVersion: apps/v1',
      'kind: StatefulSet',
      'metadata:',
      '  name: wrapped',
      'spec:',
      '  serviceName: wrapped',
      '  selector:',
      '    matchLabels:',
      '      app: wrapped',
      '  template:',
    ],
  },
  { kind: 'Job', offset: 4, indent: 4, header: ['apiVersion: batch/v1', 'kind: Job', 'metadata:', '  name: wrapped', 'spec:', '  template:'] },
  {
    kind: 'CronJob',
    offset: 7,
    indent: 8,
    header: [
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata:',
      '  name: wrapped',
      'spec:',
      '  schedule: "@daily"',
      '  jobTemplate:',
      '    spec:',
      '      template:',
    ],
  },
] as const;

function wrap(pod: string, w: (typeof WRAPPERS)[number]): string {
  const lines = pod.split('\n');
  expect(lines.slice(0, 3)).toEqual(['apiVersion: v1', 'kind: Pod', 'metadata:']);
  const body = lines.slice(2).map((l) => (l === '' ? l : ' '.repeat(w.indent) + l));
  return [...w.header, ...body].join('\n');
}

/** Independent of the locator: the line of an existing key names that key; the line of a list item starts with `- `. */
function expectLineNamesKey(text: string, path: Path, line: number): void {
  const doc = load(text);
  if (getIn(doc, path) === undefined) return;
  const last = path[path.length - 1];
  const src = text.split('\n')[line - 1] ?? '';
  if (typeof last === 'string') expect(src, `line ${line} should hold key ${last}`).toContain(`${last}:`);
  else expect(src.trim().startsWith('-'), `line ${line} should be a list item`).toBe(true);
}

describe.each(WRAPPERS)('the fixtures as the pod template of a $kind', (w) => {
  for (const level of LEVELS) {
    for (const verdict of ['pass', 'fail'] as const) {
      for (const { file, text } of corpus(level, verdict)) {
        it(`${level}/${verdict}/${file}`, () => {
          const wrapped = wrap(text, w);
          const got = scanText(wrapped, level);
          expectVerdict(got, level, verdict, file);
          const fromPod = scanText(text, level);
          const shifted = fromPod.map((f) => `${f.ruleId}@${f.line + w.offset}: ${f.message}`);
          expect(got.map((f) => `${f.ruleId}@${f.line}: ${f.message}`)).toEqual(shifted);
          for (const f of got) {
            expect(f.line).toBeGreaterThan(w.header.length);
            expectLineNamesKey(wrapped, f.path, f.line);
          }
        });
      }
    }
  }
});
