import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScan, tempDir } from './scan-helpers.js';

// A privileged pod (critical) that also lacks the restricted settings (medium findings).
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      image: nginx:1.27
      securityContext:
        privileged: true
`;

let dir: string;
let done: () => void;
beforeEach(() => {
  ({ dir, done } = tempDir());
  mkdirSync(path.join(dir, 'apps'), { recursive: true });
  writeFileSync(path.join(dir, 'apps', 'pod.yaml'), POD);
});
afterEach(() => done());

const config = (text: string, at = '.github/minpriv.yml') => {
  mkdirSync(path.dirname(path.join(dir, at)), { recursive: true });
  writeFileSync(path.join(dir, at), text);
};
const ruleIds = (stdout: string): string[] => (JSON.parse(stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);

describe('scan and fix read .github/minpriv.yml as review does', () => {
  it('without a config: every restricted finding, exit 1', async () => {
    const r = await runScan(['--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(ruleIds(r.stdout)).toContain('privileged-container');
  });

  it('the nearest config (here, from a subfolder) turns rules off and sets failOn: exit 0 when review would pass', async () => {
    config('profile: pss-baseline\nfailOn: critical\nrules:\n  privileged-container: "off"\n');
    const r = await runScan(['--format', 'json'], { cwd: path.join(dir, 'apps') });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(ruleIds(r.stdout)).toEqual([]);
    expect(JSON.parse(r.stdout).settings).toMatchObject({ profile: 'pss-baseline', failOn: 'critical' });
  });

  it('flags win over the config; --no-config ignores it; --config FILE reads another', async () => {
    config('profile: pss-baseline\nrules:\n  privileged-container: "off"\n');
    const flags = await runScan(['--format', 'json', '--profile', 'pss-restricted'], { cwd: dir });
    expect(ruleIds(flags.stdout)).not.toContain('privileged-container');
    expect(ruleIds(flags.stdout)).toContain('run-as-non-root');
    const none = await runScan(['--format', 'json', '--no-config'], { cwd: dir });
    expect(ruleIds(none.stdout)).toContain('privileged-container');
    config('failOn: critical\nrules:\n  privileged-container: low\n', 'other.yml');
    const other = await runScan(['--format', 'json', '--config', 'other.yml'], { cwd: dir });
    expect(other.code).toBe(0);
    expect(
      (JSON.parse(other.stdout) as { findings: { ruleId: string; severity: string }[] }).findings.find((f) => f.ruleId === 'privileged-container')?.severity,
    ).toBe('low');
  });

  it('the config file is never scanned, and its exclude applies to the folders walked', async () => {
    config('exclude: ["apps/**"]\n');
    writeFileSync(path.join(dir, 'top.yaml'), POD.replace('name: p', 'name: top'));
    const r = await runScan(['--format', 'json'], { cwd: dir });
    const out = JSON.parse(r.stdout) as { findings: { file: string }[]; notices: { file: string }[] };
    expect([...new Set(out.findings.map((f) => f.file))]).toEqual(['top.yaml']);
    expect(out.notices.map((n) => n.file)).not.toContain('.github/minpriv.yml');
  });

  it('an invalid config is an error (exit 2) that names the file and the key', async () => {
    config('profile: strictest\n');
    const r = await runScan([], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^minpriv: invalid .*\.github\/minpriv\.yml: profile: expected one of/);
    expect(await runScan(['--config', 'x.yml', '--no-config'], { cwd: dir })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('give --config or --no-config, not both'),
    });
  });
});
