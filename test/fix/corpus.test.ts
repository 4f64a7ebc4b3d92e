import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import type { LineEdit } from '../../src/core/types.js';
import { applyLineEdits, buildFixes, type DeclinedFix } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';
import { parseYamlFile } from '../../src/yaml/parse.js';
import { FIXTURE_CORPUS, hasShared, SHARED_CORPUS } from '../corpus-path.js';

// Real data: PSS conformance fixtures and real GitOps repos. The full corpus lies beside the clone (../shared/corpus,
// optional); test/fixtures/corpus holds all PSS fixtures and the real-world files the tests name (see each SOURCE.md).
const SETS = ['pss/baseline/v1.37/fail', 'pss/restricted/v1.37/fail', 'realworld'];
const CORPORA = [
  { name: 'the full corpus (../shared/corpus)', root: SHARED_CORPUS, minFiles: 150, minFixable: 300, optional: true },
  { name: 'the copies in test/fixtures/corpus', root: FIXTURE_CORPUS, minFiles: 139, minFixable: 300, optional: false },
];

function yamlFiles(root: string, rel = ''): string[] {
  return readdirSync(path.join(root, rel))
    .sort()
    .flatMap((name) => {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(root, r)).isDirectory()) return yamlFiles(root, r);
      return /\.ya?ml$/.test(name) ? [r] : [];
    });
}

/** Lines outside the edits must be byte-identical, in order, before and after. */
function changesOnlyInside(before: string, after: string, edits: readonly LineEdit[]): boolean {
  const a = before.split('\n');
  const b = after.split('\n');
  let ia = 0;
  let ib = 0;
  for (const e of [...edits].sort((x, y) => x.startLine - y.startLine)) {
    const keep = e.startLine - 1 - ia;
    if (a.slice(ia, ia + keep).join('\n') !== b.slice(ib, ib + keep).join('\n')) return false;
    ia = e.endLine;
    ib += keep + e.lines.length;
  }
  return a.slice(ia).join('\n') === b.slice(ib).join('\n');
}

for (const { name, root: CORPUS, minFiles, minFixable, optional } of CORPORA) {
  const skip = optional && !hasShared('corpus', 'fix --all over the full corpus');
  describe.skipIf(skip)(`minpriv fix --all on ${name} (PSS fail fixtures and real-world manifests)`, () => {
    let dir = '';
    const files: { rel: string; original: string }[] = [];
    const expectedEdits = new Map<string, LineEdit[]>();
    const declined: DeclinedFix[] = [];
    const cascaded: string[] = [];
    let findings = 0;
    let fixable = 0;
    let offered = 0;
    let cli = { code: -1, stdout: '', stderr: '' };

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'minpriv-corpus-'));
      for (const set of SETS) cpSync(path.join(CORPUS, set), path.join(dir, set), { recursive: true });
      for (const set of SETS) for (const rel of yamlFiles(dir, set)) files.push({ rel, original: readFileSync(path.join(dir, rel), 'utf8') });
      // What the engine offers, file by file, on the untouched copy (same defaults as the CLI).
      const options = {};
      const out = scan(
        files.map((f) => ({ path: f.rel, content: f.original })),
        options,
      );
      findings = out.findings.length;
      for (const f of files) {
        const mine = out.findings.filter((x) => x.file === f.rel && x.fix);
        fixable += mine.length;
        const scanned = out.files.get(f.rel);
        if (!scanned || mine.length === 0) continue;
        const r = buildFixes(scanned, mine, { scan: options });
        offered += r.fixes.reduce((n, x) => n + x.resolves.length, 0);
        declined.push(...r.declined);
        if (r.fixes.length > 0)
          expectedEdits.set(
            f.rel,
            r.fixes.map((x) => x.edit),
          );
      }
      let stdout = '';
      let stderr = '';
      const io: CommandIO = {
        stdout: { write: (c: string) => (stdout += c) },
        stderr: { write: (c: string) => (stderr += c) },
        stdin: Readable.from([]) as CommandIO['stdin'],
        cwd: dir,
        env: {},
      };
      const code = await runCli(['fix', '--all', ...SETS], io);
      cli = { code, stdout, stderr };
      const share = fixable === 0 ? 0 : offered / fixable;
      console.log(
        `fix coverage: ${offered} of ${fixable} fixable findings got a verified fix (${(share * 100).toFixed(1)}%); ` +
          `${findings} findings in ${files.length} files; ${declined.length} declined; ${expectedEdits.size} files changed`,
      );
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('runs without I/O errors', () => {
      expect(cli.stderr).toBe('');
      expect([0, 1]).toContain(cli.code);
      expect(files.length).toBeGreaterThan(minFiles);
    });

    it('leaves no fixable finding except those whose fix was declined with a reason', () => {
      const after = scan(
        files.map((f) => ({ path: f.rel, content: readFileSync(path.join(dir, f.rel), 'utf8') })),
        {},
      );
      const excused = new Set(declined.filter((d) => d.reason.length > 0).map((d) => d.fingerprint));
      // A Windows HostProcess pod keeps hostNetwork and gets no runAsNonRoot: true (QA #4) until hostProcess
      // is gone: one run goes on to the fixpoint and applies those too, so nothing fixable is left.
      expect(after.findings.filter((f) => f.fix && !excused.has(f.fingerprint)).map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([]);
    });

    it('fixes nearly every fixable finding', () => {
      expect(fixable).toBeGreaterThan(minFixable);
      expect(offered / fixable).toBeGreaterThanOrEqual(0.95);
    });

    it('every file still parses and every change is inside the edits the engine offered', () => {
      for (const f of files) {
        const now = readFileSync(path.join(dir, f.rel), 'utf8');
        const edits = expectedEdits.get(f.rel);
        if (!edits) {
          expect(now, f.rel).toBe(f.original);
          continue;
        }
        expect(now, f.rel).not.toBe(f.original);
        expect(parseYamlFile(f.rel, now).error, f.rel).toBeUndefined();
        const first = applyLineEdits(f.original, edits);
        expect(changesOnlyInside(f.original, first, edits), f.rel).toBe(true);
        if (first === now) continue;
        // A cascade (hostProcess gone, then hostNetwork): the later round's changes lie inside what the
        // engine offers on the first round's text.
        const again = scan([{ path: f.rel, content: first }], {});
        const scanned = again.files.get(f.rel);
        if (!scanned) throw new Error(`no scan of ${f.rel}`);
        const more = buildFixes(
          scanned,
          again.findings.filter((x) => x.fix),
          { scan: {} },
        ).fixes.map((x) => x.edit);
        cascaded.push(f.rel);
        expect(changesOnlyInside(first, now, more), f.rel).toBe(true);
        expect(applyLineEdits(first, more), f.rel).toBe(now);
      }
    });

    it('the cascades are the Windows HostProcess pods', () => {
      expect(cascaded.sort()).toEqual([
        'pss/baseline/v1.37/fail/windowshostprocess0.yaml',
        'pss/baseline/v1.37/fail/windowshostprocess1.yaml',
        'pss/restricted/v1.37/fail/windowshostprocess0.yaml',
        'pss/restricted/v1.37/fail/windowshostprocess1.yaml',
      ]);
    });

    it('a second fix --all changes nothing: one run reached the fixpoint', async () => {
      const snapshot = files.map((f) => readFileSync(path.join(dir, f.rel), 'utf8'));
      const io: CommandIO = {
        stdout: { write: () => true },
        stderr: { write: () => true },
        stdin: Readable.from([]) as CommandIO['stdin'],
        cwd: dir,
        env: {},
      };
      await runCli(['fix', '--all', ...SETS], io);
      expect(files.map((f) => readFileSync(path.join(dir, f.rel), 'utf8'))).toEqual(snapshot);
      const after = scan(
        files.map((f) => ({ path: f.rel, content: readFileSync(path.join(dir, f.rel), 'utf8') })),
        {},
      );
      const excused = new Set(declined.filter((d) => d.reason.length > 0).map((d) => d.fingerprint));
      expect(after.findings.filter((f) => f.fix && !excused.has(f.fingerprint)).map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([]);
    });
  });
}
