import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removesSetting } from '../../src/cli/fix.js';
import type { CommandIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';

async function fix(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    stdout: { write: (c: string) => (stdout += c) },
    stderr: { write: (c: string) => (stderr += c) },
    stdin: Readable.from([]) as CommandIO['stdin'],
    cwd,
    env: {},
  };
  const code = await runCli(['fix', ...args], io);
  return { code, stdout, stderr };
}

/** Hardened except: no `allowPrivilegeEscalation` (safe fix) and an added NET_RAW (review fix). */
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
  - name: web
    image: registry.example/web:1.0.0
    securityContext:
      capabilities:
        drop: ["ALL"]
        add: ["NET_RAW"]
`;

const SAFE_ONLY = POD.replace('        add: ["NET_RAW"]\n', '        add: ["NET_RAW"]\n      allowPrivilegeEscalation: false\n');
const ALL_FIXED = POD.replace('        add: ["NET_RAW"]\n', '      allowPrivilegeEscalation: false\n');

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'minpriv-fix-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8');

describe('minpriv fix', () => {
  it('--dry-run prints a unified diff and changes nothing', async () => {
    writeFileSync(path.join(dir, 'pod.yaml'), POD);
    const r = await fix(['--dry-run', '--all', 'pod.yaml'], dir);
    expect(r.stdout).toBe(
      [
        '--- a/pod.yaml',
        '+++ b/pod.yaml',
        '@@ -13,4 +13,4 @@',
        '     securityContext:',
        '       capabilities:',
        '         drop: ["ALL"]',
        '-        add: ["NET_RAW"]',
        '+      allowPrivilegeEscalation: false',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe(
      [
        'would fix 2 findings in 1 file (1 edit)',
        '1 review fix would be applied (they change behaviour):',
        '  pod.yaml:16 set `allowPrivilegeEscalation: false`; stop adding `NET_RAW`',
        '    check first: the process must not need `NET_RAW`',
        'remaining: 0 findings, 0 at or above medium',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
    expect(read('pod.yaml')).toBe(POD);
    // --safe-only wins over --all: only the safe part (allowPrivilegeEscalation), without the review one (NET_RAW).
    const safe = await fix(['--dry-run', '--all', '--safe-only', 'pod.yaml'], dir);
    expect([safe.stdout, safe.stderr]).toEqual([
      [
        '--- a/pod.yaml',
        '+++ b/pod.yaml',
        '@@ -14,3 +14,4 @@',
        '       capabilities:',
        '         drop: ["ALL"]',
        '         add: ["NET_RAW"]',
        '+      allowPrivilegeEscalation: false',
        '',
      ].join('\n'),
      'would fix 1 finding in 1 file (1 edit)\n1 finding with a review fix not applied: run with --all to apply them\nremaining: 1 finding, 1 at or above medium\n',
    ]);
  });

  it('--dry-run output applies with git apply, for a relative path and for an absolute one outside the folder', async () => {
    const git = (args: string[], cwd: string, input: string) => execFileSync('git', args, { cwd, input, stdio: ['pipe', 'pipe', 'pipe'] });
    mkdirSync(path.join(dir, 'work', 'k8s'), { recursive: true });
    mkdirSync(path.join(dir, 'elsewhere'));
    const work = path.join(dir, 'work');
    const inside = path.join(work, 'k8s', 'pod.yaml');
    const outside = path.join(dir, 'elsewhere', 'pod.yaml');
    writeFileSync(inside, POD);
    writeFileSync(outside, POD);

    const rel = await fix(['--dry-run', '--all', 'k8s/pod.yaml'], work);
    expect(rel.stdout.split('\n').slice(0, 3)).toEqual(['--- a/k8s/pod.yaml', '+++ b/k8s/pod.yaml', '@@ -13,4 +13,4 @@']);
    git(['apply', '--check'], work, rel.stdout);
    git(['apply'], work, rel.stdout);
    expect(readFileSync(inside, 'utf8')).toBe(ALL_FIXED);

    const abs = await fix(['--dry-run', '--all', outside], work);
    expect(abs.stdout.split('\n').slice(0, 3)).toEqual([`--- ${outside}`, `+++ ${outside}`, '@@ -13,4 +13,4 @@']);
    expect(abs.stderr).toContain('1 file outside the current folder: absolute paths in the diff, apply them with `git -C / apply`\n');
    // Plain `git apply` refuses any absolute name; from / the default -p1 makes it relative to /.
    expect(() => git(['apply', '--check'], work, abs.stdout)).toThrow();
    git(['-C', '/', 'apply', '--check'], work, abs.stdout);
    // Named relatively but outside the folder: the diff names it absolutely too.
    const up = await fix(['--dry-run', '--all', '../elsewhere/pod.yaml'], work);
    expect(up.stdout).toBe(abs.stdout);
    git(['-C', '/', 'apply'], work, abs.stdout);
    expect(readFileSync(outside, 'utf8')).toBe(ALL_FIXED);
  });

  it('applies only safe fixes by default and exits 1 while a finding remains', async () => {
    writeFileSync(path.join(dir, 'pod.yaml'), POD);
    const r = await fix(['.'], dir);
    expect(read('pod.yaml')).toBe(SAFE_ONLY);
    expect(r.stdout).toBe(
      [
        'fixed 1 finding in 1 file (1 edit)',
        '1 finding with a review fix not applied: run with --all to apply them',
        'remaining: 1 finding, 1 at or above medium',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(1);
    expect((await fix(['--fail-on', 'none', '.'], dir)).code).toBe(0);
  });

  it('names the safe fixes that take a setting away, not those that add one (QA D4: "drop ALL" read as a removal)', async () => {
    expect(removesSetting('set `allowPrivilegeEscalation: false`; drop ALL capabilities')).toBe(false);
    expect(removesSetting('write `all` as `ALL` in `capabilities.drop`')).toBe(false);
    expect(removesSetting('set `allowPrivilegeEscalation: false`; remove Group `system:anonymous` from the subjects')).toBe(true);
    expect(removesSetting('stop adding `SYS_ADMIN`')).toBe(true);
    // A non-root container: drop ALL is safe, and it adds a setting.
    writeFileSync(path.join(dir, 'pod.yaml'), POD.replace('        drop: ["ALL"]\n', ''));
    const r = await fix(['--dry-run', '.'], dir);
    expect(r.stdout).not.toContain('that remove');
    expect(r.stdout).toMatch(/^\+.*ALL/m);
  });

  it('--all applies review fixes too, keeps the file mode and leaves no temporary file', async () => {
    const file = path.join(dir, 'pod.yaml');
    writeFileSync(file, POD);
    chmodSync(file, 0o640);
    const r = await fix(['--all'], dir);
    expect(r.code).toBe(0);
    expect(read('pod.yaml')).toBe(ALL_FIXED);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['pod.yaml']);
    // Nothing left to do: a second run changes nothing.
    const again = await fix(['--all'], dir);
    expect(again.stdout).toBe('fixed 0 findings in 0 files (0 edits)\nremaining: 0 findings, 0 at or above medium\n');
    expect(read('pod.yaml')).toBe(ALL_FIXED);
  });

  it('does not write a file whose fix fails verification', async () => {
    // The fix for `a` would insert lines between the ignore comment and container `b`, un-suppressing b's findings.
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: shifty
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
  - name: a
    image: registry.example/a:1.0.0
    securityContext:
      capabilities:
        drop: ["ALL"] # minpriv:ignore allow-privilege-escalation,capabilities-restricted
  - name: b
    image: registry.example/b:1.0.0
`;
    const file = path.join(dir, 'pod.yaml');
    writeFileSync(file, text);
    const mtime = statSync(file).mtimeMs;
    const r = await fix(['--all', 'pod.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'pod.yaml:13 allow-privilege-escalation: verification failed: the fix would add a `allow-privilege-escalation` finding (container `b` does not set `securityContext.allowPrivilegeEscalation: false`)',
    );
    expect(r.stdout).toContain('fixed 0 findings in 0 files (0 edits)');
    expect(read('pod.yaml')).toBe(text);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it('exits 2 with one line on usage and I/O errors', async () => {
    const bad = await fix(['--bogus'], dir);
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'minpriv: unknown option "--bogus" (see minpriv fix --help)\n' });
    const profile = await fix(['--profile', 'strict'], dir);
    expect(profile.code).toBe(2);
    expect(profile.stderr).toBe('minpriv: invalid value for --profile: "strict" (expected pss-baseline, pss-restricted, minpriv) (see minpriv fix --help)\n');
    const stdin = await fix(['-'], dir);
    expect(stdin.stderr).toBe('minpriv: fix edits files in place; standard input (-) is not supported (see minpriv fix --help)\n');
    const missing = await fix(['nope.yaml'], dir);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'minpriv: nope.yaml: no such file or directory\n' });
  });

  it('honours --profile and --pss-version', async () => {
    writeFileSync(path.join(dir, 'pod.yaml'), POD);
    // Baseline has no allowPrivilegeEscalation or drop-ALL control: only NET_RAW (review) is fixable.
    const r = await fix(['--profile', 'pss-baseline', '--all', '--dry-run'], dir);
    expect(r.stdout).toContain('-        add: ["NET_RAW"]');
    expect(r.stdout).not.toContain('allowPrivilegeEscalation');
    // The runAsUser control exists from v1.23 on: before it, running as UID 0 is no finding.
    writeFileSync(path.join(dir, 'pod.yaml'), ALL_FIXED.replace('        drop: ["ALL"]\n', '        drop: ["ALL"]\n      runAsUser: 0\n'));
    const latest = await fix(['--dry-run', '--all'], dir);
    expect(latest.stderr).toContain('would fix 1 finding in 1 file');
    expect(latest.stdout).toContain('-      runAsUser: 0');
    const old = await fix(['--pss-version', 'v1.22', '--dry-run', '--all'], dir);
    expect(old.stderr).toBe('would fix 0 findings in 0 files (0 edits)\nremaining: 0 findings, 0 at or above medium\n');
    expect(old.stdout).toBe('');
  });

  it('prints its help', async () => {
    const r = await fix(['--help'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('usage: minpriv fix [options] [PATH...]\n')).toBe(true);
  });
});
