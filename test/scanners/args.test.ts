import { describe, expect, it } from 'vitest';
import { datreeArgs } from '../../src/scanners/datree.js';
import { kubeLinterArgs } from '../../src/scanners/kube-linter.js';
import { kubescapeArgs } from '../../src/scanners/kubescape.js';
import { TOOL_SPECS } from '../../src/scanners/tools.js';
import { trivyArgs } from '../../src/scanners/trivy.js';

const FILES = ['apps/web.yaml', '--config=evil.yaml'];

describe('scan arguments', () => {
  it('trivy: config over the temp dir, offline, no telemetry', () => {
    expect(trivyArgs()).toEqual([
      'config',
      '--format',
      'json',
      '--quiet',
      '--skip-check-update',
      '--skip-version-check',
      '--disable-telemetry',
      '--misconfig-scanners',
      'kubernetes',
      '.',
    ]);
    expect(TOOL_SPECS.trivy.scanArgs(FILES, ['--severity', 'HIGH'])).toEqual([
      'config',
      '--format',
      'json',
      '--quiet',
      '--skip-check-update',
      '--skip-version-check',
      '--disable-telemetry',
      '--misconfig-scanners',
      'kubernetes',
      '--severity',
      'HIGH',
      '.',
    ]);
  });

  it('kubescape: local only, every file as ./path (a file named like a flag stays a file)', () => {
    expect(kubescapeArgs(FILES, ['--use-artifacts-from', '/opt/ks'])).toEqual([
      'scan',
      '--format',
      'json',
      '--keep-local',
      '--use-artifacts-from',
      '/opt/ks',
      './apps/web.yaml',
      './--config=evil.yaml',
    ]);
  });

  it('kube-linter: lint with JSON output', () => {
    expect(kubeLinterArgs(FILES)).toEqual(['lint', '--format', 'json', './apps/web.yaml', './--config=evil.yaml']);
  });

  it('datree: no record, no schema download', () => {
    expect(datreeArgs(FILES, ['--policy-config', 'p.yaml'])).toEqual([
      'test',
      '--no-record',
      '--output',
      'json',
      '--skip-validation',
      'schema',
      '--policy-config',
      'p.yaml',
      './apps/web.yaml',
      './--config=evil.yaml',
    ]);
  });
});

describe('tool specs', () => {
  it('declare the documented "scan completed" exit codes', () => {
    expect(Object.fromEntries(Object.values(TOOL_SPECS).map((s) => [s.tool, s.exitCodes]))).toEqual({
      kubescape: [0],
      trivy: [0],
      'kube-linter': [0, 1],
      datree: [0, 2],
    });
  });

  it('declare offline environments', () => {
    expect(TOOL_SPECS.kubescape.env).toEqual({ KS_SKIP_UPDATE_CHECK: 'true' });
    expect(TOOL_SPECS.datree.env).toEqual({ DATREE_OFFLINE: 'local' });
    expect(TOOL_SPECS.trivy.env).toEqual({});
    expect(TOOL_SPECS['kube-linter'].env).toEqual({});
  });

  it('have offline version commands, except Datree (whose version command calls its backend)', () => {
    expect(TOOL_SPECS.trivy.versionArgs).toEqual(['version', '--format', 'json']);
    expect(TOOL_SPECS.kubescape.versionArgs).toEqual(['version', '--format', 'json']);
    expect(TOOL_SPECS['kube-linter'].versionArgs).toEqual(['version']);
    expect(TOOL_SPECS.datree.versionArgs).toBeUndefined();
  });

  it('read the version each command prints', () => {
    expect(TOOL_SPECS.trivy.parseVersion('{"Version":"0.74.0","CheckBundle":{}}\n')).toBe('0.74.0');
    expect(TOOL_SPECS.kubescape.parseVersion('{"version":"v4.0.12","commit":"8554683","date":"2026-08-22"}\n')).toBe('v4.0.12');
    expect(TOOL_SPECS['kube-linter'].parseVersion('0.8.3\n')).toBe('0.8.3');
    expect(TOOL_SPECS.trivy.parseVersion('Version: 0.74.0')).toBeUndefined();
  });
});
