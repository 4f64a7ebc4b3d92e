import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { allRules } from '../../src/rules/index.js';

async function rules(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    stdout: { write: (c: string) => (stdout += c) },
    stderr: { write: (c: string) => (stderr += c) },
    stdin: Readable.from([]) as CommandIO['stdin'],
    cwd: '/',
    env: {},
  };
  const code = await runCli(['rules', ...args], io);
  return { code, stdout, stderr };
}

describe('minpriv rules', () => {
  it('prints an aligned text table by default: id, severity, PSS level/control, fixable, title', async () => {
    const r = await rules([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(allRules.length + 1);
    const cells = (line: string | undefined) => (line ?? '').split(/\s{2,}/);
    // Aligned: every column starts where the header's does.
    const starts = ['SEVERITY', 'PSS', 'FIXABLE', 'TITLE'].map((h) => lines[0]?.indexOf(h));
    for (const line of lines.slice(1)) for (const at of starts) expect(line[(at as number) - 1], line).toBe(' ');
    expect(cells(lines[0])).toEqual(['ID', 'SEVERITY', 'PSS', 'FIXABLE', 'TITLE']);
    expect(cells(lines[1])).toEqual([
      'allow-privilege-escalation',
      'medium',
      'restricted/allowPrivilegeEscalation',
      'yes',
      'Container allows privilege escalation',
    ]);
    expect(lines.map(cells)).toContainEqual(['selinux-options', 'medium', 'baseline/seLinuxOptions', 'no', 'SELinux options are not restricted']);
    expect(cells(lines.at(-1))).toEqual(['yaml-syntax', 'high', '-', 'no', 'File is not valid YAML']);
  });

  it('--format json gives one object per rule with PSS level, control, first version and crosswalk ids', async () => {
    const r = await rules(['--format', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string }[];
    expect(rows.map((x) => x.id)).toHaveLength(allRules.length);
    expect(rows.find((x) => x.id === 'proc-mount-restricted')).toEqual({
      id: 'proc-mount-restricted',
      title: 'Container unmasks /proc (restricted)',
      severity: 'medium',
      category: 'pod-security',
      pss: { level: 'restricted', control: 'procMount_restricted', since: 'v1.35' },
      overrides: 'proc-mount',
      fixable: true,
      standards: { kubeLinter: ['unsafe-proc-mount'], trivy: ['KSV-0027'], kubescape: ['C-0211'], polaris: ['procMount'], checkov: [] },
      docs: 'https://github.com/minpriv/minpriv/blob/main/docs/rules/proc-mount-restricted.md',
    });
    expect(rows.find((x) => x.id === 'yaml-syntax')).toMatchObject({ pss: null, fixable: false });
  });

  it('--format=markdown gives a table that links each rule to its page', async () => {
    const r = await rules(['--format=markdown']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('| Rule | Severity | PSS level | PSS control | Fixable | Title |');
    expect(lines).toContain(
      '| [`host-namespaces`](https://github.com/minpriv/minpriv/blob/main/docs/rules/host-namespaces.md) | high | baseline | `hostNamespaces` | yes | Pod shares a host namespace |',
    );
    expect(lines).toContain(
      '| [`probe-host`](https://github.com/minpriv/minpriv/blob/main/docs/rules/probe-host.md) | medium | baseline | `hostProbesAndHostLifecycle` (from v1.34) | yes | Probe or lifecycle hook targets another host |',
    );
  });

  it('rejects an unknown format or option with exit code 2', async () => {
    const bad = await rules(['--format', 'xml']);
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'minpriv rules: invalid value for --format: "xml" (expected text, json, markdown)\n' });
    const unknown = await rules(['--verbose']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('minpriv rules: unknown option "--verbose" (see minpriv rules --help)\n');
  });

  it('--help prints the usage', async () => {
    const r = await rules(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('usage: minpriv rules [--format text|json|markdown]');
  });
});
