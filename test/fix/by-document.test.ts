import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/scan-corpus.js';
import type { SourceFile } from '../../src/core/types.js';
import { buildFixes, type FixResult } from '../../src/engine/fix.js';
import { prepareScan, type ScanOptions, type ScanOutput, scan } from '../../src/engine/scan.js';
import { FIXTURES, fixtureFiles } from '../fixture-files.js';

/** What a scan says of its file, as the fix run reads it (its `files` aside). */
const said = (out: ScanOutput) => ({
  findings: out.findings,
  suppressed: out.suppressed,
  notices: out.notices,
  resources: out.resourcesScanned,
  files: out.filesScanned,
});

/**
 * One file as the fix run fixes it (fix-run.ts, fixEachFile): scanned alone with its events, its fixes
 * built together with the seed, once with the rest of that scan (`seedScan`: checked on the changed
 * documents) and once without (the whole fixed file checked).
 */
function both(file: SourceFile, options: ScanOptions, includeReview: boolean): { byDoc: FixResult; whole: FixResult; out: ScanOutput } | undefined {
  const prepared = prepareScan(options);
  const out = scan([file], options, { prepared, keepEvents: true });
  const scanned = out.files.get(file.path);
  const mine = out.findings.filter((f) => f.fix && (includeReview || f.fix.confidence === 'safe'));
  if (!scanned?.parsed || mine.length === 0 || scanned.objects.some((o) => o.partial)) return undefined;
  const seed = { findings: out.findings, suppressed: out.suppressed };
  const common = { scan: options, includeReview, applyTogether: true, keepChecked: true, seed };
  const seedScan = { notices: out.notices, resources: out.resourcesScanned, objects: scanned.objects };
  return { byDoc: buildFixes(scanned, mine, { ...common, seedScan }), whole: buildFixes(scanned, mine, common), out };
}

/**
 * Every check: the same fixes and declines either way, and where the changed documents were checked alone
 * (the pieced scan has no parse), its scan is exactly the scan of the fixed text. Returns how many files took that way.
 */
function compare(files: readonly SourceFile[], options: ScanOptions, includeReview: boolean): { pieced: number; findings: number } {
  let pieced = 0;
  let findings = 0;
  for (const file of files) {
    const r = both(file, options, includeReview);
    if (!r) continue;
    expect(r.byDoc.fixes, file.path).toEqual(r.whole.fixes);
    expect(r.byDoc.declined, file.path).toEqual(r.whole.declined);
    expect(r.byDoc.checked?.text, file.path).toEqual(r.whole.checked?.text);
    const checked = r.byDoc.checked;
    if (!checked || checked.scan.files.size > 0) continue;
    pieced++;
    const full = scan([{ path: file.path, content: checked.text }], { ...options, keepParsed: false });
    // JSON: the same bytes a report prints, field order included.
    expect(JSON.stringify(said(checked.scan)), file.path).toBe(JSON.stringify(said(full)));
    findings += full.findings.length + full.suppressed.length;
  }
  return { pieced, findings };
}

/** The minpriv profile without its rules that read other objects (with them, the fix run goes round by round). */
const ALONE = Object.fromEntries(
  prepareScan({ profile: 'minpriv' })
    .rules.filter((r) => r.needsIndex)
    .map((r) => [r.id, 'off' as const]),
);

const SETTINGS: [ScanOptions, boolean][] = [
  [{ profile: 'pss-restricted' }, true],
  [{ profile: 'pss-baseline' }, true],
  [{ profile: 'pss-restricted', now: '2026-12-01' }, false],
  [{ profile: 'minpriv', rules: ALONE }, true],
  [{ profile: 'minpriv', rules: ALONE, now: '2026-12-01' }, false],
];

describe('the fix run checks its fixes on the documents they change', () => {
  const fixtures = fixtureFiles(FIXTURES);
  const corpus = generateCorpus(1_000);

  for (const [options, includeReview] of SETTINGS) {
    const name = `${options.profile}${options.rules ? ' without index rules' : ''}${includeReview ? ', review fixes' : ''}${options.now ? ', dated' : ''}`;
    it(`pieces together exactly the scan of the fixed file (every fixture, ${name})`, () => {
      const r = compare(fixtures, options, includeReview);
      expect(r.pieced).toBeGreaterThan(20);
      expect(r.findings).toBeGreaterThan(0);
    });
    it(`pieces together exactly the scan of the fixed file (bench corpus, 1,000 workloads, ${name})`, () => {
      const r = compare(corpus, options, includeReview);
      expect(r.pieced).toBeGreaterThan(5);
    });
  }

  it('checks the whole file when a rule reads other objects (the documents do not stand alone)', () => {
    const r = compare(corpus.slice(0, 20), { profile: 'minpriv' }, true);
    expect(r.pieced).toBe(0);
  });

  const pod = (name: string, extra: string[] = []) =>
    ['apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, 'spec:', '  containers:', '  - name: c', '    image: c:1', ...extra, ''].join('\n');
  const hardened = (name: string) =>
    pod(name, [
      '    securityContext:',
      '      allowPrivilegeEscalation: false',
      '      runAsNonRoot: true',
      '      capabilities: {drop: [ALL]}',
      '      seccompProfile: {type: RuntimeDefault}',
    ]);

  it('moves the findings, suppressions and notices of unchanged documents by the lines added above them', () => {
    const helm = [
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'metadata:',
      '  name: h',
      'spec:',
      '  values:',
      '    securityContext: {privileged: true}',
      '',
    ].join('\n');
    const text = [
      pod('a'),
      pod('e', ['    ports:', '    - {containerPort: 80, hostPort: 80}']),
      // Findings left in unchanged documents (without review fixes), one suppressed by a comment.
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: b',
        '  annotations: {minpriv.dev/ignore: "*"}',
        'spec:',
        '  containers:',
        '  - name: c',
        '    image: c:1',
        '    securityContext:',
        '      privileged: true # minpriv:ignore privileged-container -- lab',
        '',
      ].join('\n'),
      helm,
      pod('c'),
      hardened('d'),
    ].join('---\n');
    let moved = 0;
    let pieced = 0;
    for (const [options, includeReview] of SETTINGS) {
      const file = { path: 'mixed.yaml', content: text };
      const r = both(file, options, includeReview);
      expect(r).toBeDefined();
      expect(r?.byDoc.fixes).toEqual(r?.whole.fixes);
      const checked = r?.byDoc.checked;
      // Where one of b's fixes is declined, the fixes do not hold together: the whole file is checked, and says why.
      if (!checked || checked.scan.files.size > 0) continue;
      pieced++;
      const full = scan([{ path: file.path, content: checked.text }], options);
      expect(JSON.stringify(said(checked.scan))).toBe(JSON.stringify(said(full)));
      expect(full.notices.length).toBeGreaterThan(0);
      // Findings that stayed, moved by the lines added above them.
      const before = new Map([...(r?.out.findings ?? []), ...(r?.out.suppressed ?? [])].map((f) => [f.fingerprint, f.line]));
      if ([...full.findings, ...full.suppressed].some((f) => before.has(f.fingerprint) && before.get(f.fingerprint) !== f.line)) moved++;
    }
    expect(pieced).toBeGreaterThan(0);
    expect(moved).toBeGreaterThan(0);
  });

  it('takes a suppression comment right above a changed document into its slice', () => {
    // A document on one line: all its findings sit on its first line, which the comment above covers.
    const flow = '{apiVersion: v1, kind: Pod, metadata: {name: d}, spec: {containers: [{name: c, image: "c:1"}]}}\n';
    const text = `${pod('a')}---\n# minpriv:ignore run-as-non-root -- legacy\n${pod('b')}---\n${pod('c')}---\n# minpriv:ignore seccomp-profile-required\n${flow}`;
    let pieced = 0;
    for (const [options, includeReview] of SETTINGS) {
      const r = both({ path: 'pods.yaml', content: text }, options, includeReview);
      expect(r?.byDoc.fixes).toEqual(r?.whole.fixes);
      const checked = r?.byDoc.checked;
      // No scan of the fixed file where a fix was declined (then the whole file is checked).
      if (!checked) continue;
      expect(checked.scan.files.size).toBe(0);
      const full = scan([{ path: 'pods.yaml', content: checked.text }], options);
      expect(JSON.stringify(said(checked.scan))).toBe(JSON.stringify(said(full)));
      expect(full.suppressed.some((f) => f.suppressed?.by === 'comment')).toBe(true);
      pieced++;
    }
    expect(pieced).toBeGreaterThanOrEqual(2);
  });

  it('checks the whole file when a suppression comment above a changed document shares its line with YAML', () => {
    const text = `${pod('a')}--- # minpriv:ignore run-as-non-root\n${pod('b')}`;
    const r = both({ path: 'pods.yaml', content: text }, { profile: 'pss-restricted' }, true);
    // The whole file's check: its scan keeps the fixed file's parse.
    expect(r?.byDoc.checked?.scan.files.size).toBe(1);
    expect(r?.byDoc.fixes).toEqual(r?.whole.fixes);
  });

  it('checks the whole file where documents can reach each other (anchors) or a directive changes how they read', () => {
    const anchored = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: {a: &anchor x}\n';
    for (const text of [`${pod('a')}---\n${anchored}---\n${pod('b')}`, `%YAML 1.2\n---\n${pod('a')}---\n${pod('b')}`]) {
      const r = both({ path: 'pods.yaml', content: text }, { profile: 'pss-restricted' }, true);
      expect(r).toBeDefined();
      expect(r?.byDoc.checked?.scan.files.size).toBe(1);
      expect(r?.byDoc.fixes).toEqual(r?.whole.fixes);
    }
  });
});
