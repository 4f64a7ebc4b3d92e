import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hardenedPod, runScan, tempDir } from './scan-helpers.js';

let dir: string;
let done: () => void;
const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
};

beforeEach(() => {
  ({ dir, done } = tempDir());
});
afterEach(() => done());

describe('minpriv scan: inputs', () => {
  it('walks folders for *.yaml and *.yml, skipping node_modules, .git and other files', async () => {
    write('apps/a.yaml', hardenedPod('a', { containerSc: ['privileged: true'] }));
    write('apps/b.yml', hardenedPod('b', { omitApe: true }));
    write('apps/notes.txt', hardenedPod('c', { containerSc: ['privileged: true'] }));
    write('node_modules/x/pod.yaml', hardenedPod('d', { containerSc: ['privileged: true'] }));
    write('.git/pod.yaml', hardenedPod('e', { containerSc: ['privileged: true'] }));
    write('ok/clean.yaml', hardenedPod('f'));
    const r = await runScan(['--format', 'json', '.'], { cwd: dir });
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { file: string; line: number; ruleId: string }) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([
      'apps/a.yaml:17 privileged-container',
      'apps/b.yml:13 allow-privilege-escalation',
    ]);
    expect(json.summary.filesScanned).toBe(3);
    expect(r.code).toBe(1);
  });

  it('scans the current folder when no path is given, and named files whatever their extension', async () => {
    write('pod.yaml', hardenedPod('a', { containerSc: ['privileged: true'] }));
    write('manifest.txt', hardenedPod('b', { omitApe: true }));
    const all = JSON.parse((await runScan(['--format', 'json'], { cwd: dir })).stdout);
    expect(all.findings.map((f: { file: string }) => f.file)).toEqual(['pod.yaml']);
    const named = JSON.parse((await runScan(['--format', 'json', 'manifest.txt'], { cwd: dir })).stdout);
    expect(named.findings.map((f: { file: string; ruleId: string }) => `${f.file} ${f.ruleId}`)).toEqual(['manifest.txt allow-privilege-escalation']);
  });

  it('follows symlinks inside the tree but never out of it', async () => {
    const { dir: outside, done: doneOutside } = tempDir();
    try {
      writeFileSync(path.join(outside, 'secret.yaml'), hardenedPod('out', { containerSc: ['privileged: true'] }));
      write('repo/real/pod.yaml', hardenedPod('in', { containerSc: ['privileged: true'] }));
      symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'repo/leak.yaml'));
      symlinkSync(outside, path.join(dir, 'repo/leakdir'));
      symlinkSync(path.join(dir, 'repo/real'), path.join(dir, 'repo/alias'));
      symlinkSync(path.join(dir, 'repo'), path.join(dir, 'repo/real/loop'));
      const r = await runScan(['--format', 'json', 'repo'], { cwd: dir });
      const json = JSON.parse(r.stdout);
      expect(json.findings.map((f: { file: string }) => f.file)).toEqual(['repo/alias/pod.yaml', 'repo/real/pod.yaml']);
      expect(json.notices.map((n: { kind: string; file: string }) => `${n.kind} ${n.file}`)).toEqual(['skipped repo/leak.yaml', 'skipped repo/leakdir']);
    } finally {
      doneOutside();
    }
  });

  it('a named patch file is partial when the kustomization beside it lists it, which is read but not scanned', async () => {
    write('overlays/prod/kustomization.yaml', 'resources:\n- ../../base\npatches:\n- path: image.yaml\n');
    const patch = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: registry.example/web:2.0.1',
      '',
    ].join('\n');
    write('overlays/prod/image.yaml', patch);
    write('loose/image.yaml', patch);
    const r = await runScan(['--format', 'json', 'overlays/prod/image.yaml', 'loose/image.yaml'], { cwd: dir });
    const json = JSON.parse(r.stdout);
    expect(new Set(json.findings.map((f: { file: string }) => f.file))).toEqual(new Set(['loose/image.yaml']));
    expect(json.notices.map((n: { kind: string; file: string }) => `${n.kind} ${n.file}`)).toEqual(['partial overlays/prod/image.yaml']);
    expect(json.summary.filesScanned).toBe(2);
  });

  it('reads a named pipe to its end (process substitution)', async () => {
    const fifo = path.join(dir, 'rendered.yaml');
    execFileSync('mkfifo', [fifo]);
    const writer = writeFile(fifo, hardenedPod('a', { containerSc: ['privileged: true'] }));
    const r = await runScan(['--format', 'json', 'rendered.yaml'], { cwd: dir });
    await writer;
    expect(JSON.parse(r.stdout).findings.map((f: { file: string; line: number; ruleId: string }) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([
      'rendered.yaml:17 privileged-container',
    ]);
  });

  it('reads standard input with -, shown as <stdin>', async () => {
    const r = await runScan(['-'], { cwd: dir, stdin: hardenedPod('a', { containerSc: ['privileged: true'] }) });
    expect(r.stdout.split('\n')[0]).toBe('<stdin>:17:7 critical privileged-container container `app` sets `securityContext.privileged: true`');
    expect(r.code).toBe(1);
  });

  it('reads at most the byte cap of a huge file and reports it not scanned: a notice and a warning, no YAML error', async () => {
    writeFileSync(path.join(dir, 'huge.yaml'), '');
    truncateSync(path.join(dir, 'huge.yaml'), 50 * 1024 * 1024);
    write('small.yaml', `a: ${'x'.repeat(200)}\n`);
    const r = await runScan(['--format', 'json', '--max-bytes', '100', '.'], { cwd: dir });
    const json = JSON.parse(r.stdout);
    const raise = 'raise `maxFileBytes` in .github/minpriv.yml (or pass `--max-bytes`) to scan it';
    expect(json.findings).toEqual([]);
    expect(json.notices).toEqual([
      { kind: 'skipped', file: 'huge.yaml', message: `not scanned: larger than the 100-byte limit; ${raise}`, error: true },
      { kind: 'skipped', file: 'small.yaml', message: `not scanned: larger than the 100-byte limit; ${raise}`, error: true },
    ]);
    expect(r.stderr).toBe(
      [
        `minpriv: warning: huge.yaml: not scanned: larger than the 100-byte limit; ${raise}`,
        `minpriv: warning: small.yaml: not scanned: larger than the 100-byte limit; ${raise}`,
        '',
      ].join('\n'),
    );
    // Nothing at or above --fail-on was found: what was not scanned is told, not failed on (as semgrep's max-target-bytes).
    expect(r.code).toBe(0);
  });

  it('a valid manifest over the cap is "not scanned", never "File is not valid YAML", in the text report', async () => {
    write('crds.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  a: "${'x'.repeat(300)}"\n`);
    const r = await runScan(['--max-bytes', '200', 'crds.yaml'], { cwd: dir });
    expect([r.code, r.stderr, r.stdout]).toEqual([
      0,
      '',
      [
        'notices:',
        '  crds.yaml error(skipped) not scanned: larger than the 200-byte limit; raise `maxFileBytes` in .github/minpriv.yml (or pass `--max-bytes`) to scan it',
        '',
        'no findings in 1 file, 0 resources with a pod spec; 1 notice: 1 path skipped.',
        '',
      ].join('\n'),
    ]);
  });
});

describe('minpriv scan: exit status and errors', () => {
  it('exits 0 when nothing is at or above --fail-on, 1 otherwise', async () => {
    write('pod.yaml', hardenedPod('a', { omitApe: true })); // one medium finding
    expect((await runScan(['pod.yaml'], { cwd: dir })).code).toBe(1);
    expect((await runScan(['--fail-on', 'medium', 'pod.yaml'], { cwd: dir })).code).toBe(1);
    expect((await runScan(['--fail-on', 'high', 'pod.yaml'], { cwd: dir })).code).toBe(0);
    expect((await runScan(['--fail-on', 'none', 'pod.yaml'], { cwd: dir })).code).toBe(0);
    write('clean.yaml', hardenedPod('b'));
    const clean = await runScan(['clean.yaml'], { cwd: dir });
    expect([clean.code, clean.stdout]).toEqual([0, 'no findings in 1 file, 1 resource with a pod spec.\n']);
  });

  it.each([
    [['--bogus'], 'minpriv: unknown option "--bogus" (see minpriv scan --help)'],
    [['--format', 'xml'], 'minpriv: invalid value for --format: "xml" (expected text, json, sarif) (see minpriv scan --help)'],
    [['--fail-on', 'urgent'], 'minpriv: invalid value for --fail-on: "urgent" (expected critical, high, medium, low, info, none) (see minpriv scan --help)'],
    [['--profile', 'strict'], 'minpriv: invalid value for --profile: "strict" (expected pss-baseline, pss-restricted, minpriv) (see minpriv scan --help)'],
    [['--pss-version', '2.0'], 'minpriv: invalid value for --pss-version: "2.0" (expected v1.NN up to v1.37, or latest) (see minpriv scan --help)'],
    [['--max-bytes', '1MB'], 'minpriv: invalid value for --max-bytes: "1MB" (expected a positive whole number of bytes) (see minpriv scan --help)'],
    [['missing.yaml'], 'minpriv: missing.yaml: no such file or directory'],
  ])('exits 2 with one line on stderr for %j', async (args, message) => {
    const r = await runScan(args, { cwd: dir });
    expect([r.code, r.stderr, r.stdout]).toEqual([2, `${message}\n`, '']);
  });

  it('prints its help and exits 0', async () => {
    const r = await runScan(['--help'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: minpriv scan [options] [PATH...|-]');
    expect(r.stdout).toContain('--fail-on S');
  });
});

describe('minpriv scan: options', () => {
  it('--profile pss-baseline leaves out restricted controls', async () => {
    write('pod.yaml', hardenedPod('a', { omitApe: true, containerSc: ['privileged: true'] }));
    const restricted = JSON.parse((await runScan(['--format', 'json', 'pod.yaml'], { cwd: dir })).stdout);
    expect(restricted.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['allow-privilege-escalation', 'privileged-container']);
    const baseline = JSON.parse((await runScan(['--format', 'json', '--profile', 'pss-baseline', 'pod.yaml'], { cwd: dir })).stdout);
    expect(baseline.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['privileged-container']);
    expect(baseline.settings).toEqual({ profile: 'pss-baseline', pssVersion: 'v1.37', failOn: 'medium' });
  });

  it('--pss-version applies version rules (Windows pods are exempt from allowPrivilegeEscalation from v1.25)', async () => {
    write('win.yaml', hardenedPod('w', { omitApe: true }).replace('spec:\n', 'spec:\n  os:\n    name: windows\n'));
    const old = JSON.parse((await runScan(['--format', 'json', '--pss-version', 'v1.24', 'win.yaml'], { cwd: dir })).stdout);
    const now = JSON.parse((await runScan(['--format', 'json', '--pss-version', 'latest', 'win.yaml'], { cwd: dir })).stdout);
    expect(old.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('allow-privilege-escalation');
    expect(now.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('allow-privilege-escalation');
  });

  it('--output writes the report to a file and nothing to stdout', async () => {
    write('pod.yaml', hardenedPod('a', { containerSc: ['privileged: true'] }));
    const r = await runScan(['--format', 'sarif', '--output', 'out/report.sarif', 'pod.yaml'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([2, 'minpriv: cannot write out/report.sarif: no such folder\n']);
    mkdirSync(path.join(dir, 'out'));
    const ok = await runScan(['--format', 'sarif', '--output', 'out/report.sarif', 'pod.yaml'], { cwd: dir });
    expect([ok.code, ok.stdout]).toEqual([1, '']);
    const sarif = JSON.parse(readFileSync(path.join(dir, 'out/report.sarif'), 'utf8'));
    expect(sarif.runs[0].results[0].ruleId).toBe('privileged-container');
  });

  it('--show-suppressed lists suppressed findings; without it they are only counted', async () => {
    const pod = hardenedPod('a', { containerSc: ['privileged: true  # minpriv:ignore privileged-container -- GPU driver installer'] });
    write('pod.yaml', pod);
    const quiet = await runScan(['pod.yaml'], { cwd: dir });
    expect([quiet.code, quiet.stdout]).toEqual([0, 'no findings in 1 file, 1 resource with a pod spec; 1 suppressed (use --show-suppressed to list them).\n']);
    const loud = await runScan(['--show-suppressed', 'pod.yaml'], { cwd: dir });
    expect(loud.stdout).toBe(
      [
        'suppressed:',
        'pod.yaml:17:7 critical privileged-container container `app` sets `securityContext.privileged: true` [suppressed by comment: GPU driver installer]',
        '',
        'no findings in 1 file, 1 resource with a pod spec; 1 suppressed.',
        '',
      ].join('\n'),
    );
  });

  it('colours text only on a TTY with NO_COLOR unset', async () => {
    write('pod.yaml', hardenedPod('a', { containerSc: ['privileged: true'] }));
    const esc = '\u001b[';
    expect((await runScan(['pod.yaml'], { cwd: dir, tty: true })).stdout).toContain(esc);
    expect((await runScan(['pod.yaml'], { cwd: dir, tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(esc);
    expect((await runScan(['pod.yaml'], { cwd: dir, tty: false })).stdout).not.toContain(esc);
  });
});

describe('minpriv scan: files outside the working folder (QA #9)', () => {
  const setup = () => {
    write('work/in.yaml', hardenedPod('in', { containerSc: ['privileged: true'] }));
    write('other/pod.yaml', hardenedPod('out', { containerSc: ['privileged: true'] }));
    return path.join(dir, 'work');
  };

  it('text and JSON show an absolute path as given, a relative one as given, never ../../', async () => {
    const cwd = setup();
    const abs = `${dir}/other/pod.yaml`;
    const json = JSON.parse((await runScan(['--format', 'json', abs, '../other', 'in.yaml'], { cwd })).stdout);
    expect(json.findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual([
      '../other/pod.yaml:17',
      `${dir}/other/pod.yaml:17`,
      'in.yaml:17',
    ]);
    const text = (await runScan([`${dir}/other`], { cwd })).stdout;
    expect(text.split('\n')[0]).toBe(`${dir}/other/pod.yaml:17:7 critical privileged-container container \`app\` sets \`securityContext.privileged: true\``);
  });

  it('SARIF: an absolute file:// URI without uriBaseId outside the folder, relative to %SRCROOT% inside', async () => {
    const cwd = setup();
    const sarif = JSON.parse((await runScan(['--format', 'sarif', `${dir}/other/pod.yaml`, '../other/pod.yaml', 'in.yaml'], { cwd })).stdout);
    const locations = sarif.runs[0].results.map(
      (r: { locations: { physicalLocation: { artifactLocation: unknown } }[] }) => r.locations[0]?.physicalLocation.artifactLocation,
    );
    expect(locations).toEqual([{ uri: `file://${dir}/other/pod.yaml` }, { uri: `file://${dir}/other/pod.yaml` }, { uri: 'in.yaml', uriBaseId: '%SRCROOT%' }]);
  });
});
