import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { Finding } from '../../src/core/types.js';
import { type ScanOptions, scan } from '../../src/engine/scan.js';
import { renderJson } from '../../src/report/json.js';

// A restricted finding that stands in for a baseline one keeps the baseline severity and answers to the
// baseline rule's suppressions and settings (QA #2, #3; SOURCE: /tmp/qa/repro/p1-hostpath.yaml, p2/redis.yaml).
const pod = (opts: { annotations?: string[]; caps?: string; volume?: string; sc?: string[]; hostUsers?: boolean } = {}) =>
  [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: logs',
    ...(opts.annotations ? ['  annotations:', ...opts.annotations.map((a) => `    ${a}`)] : []),
    'spec:',
    ...(opts.hostUsers === false ? ['  hostUsers: false'] : []),
    '  securityContext:',
    '    runAsNonRoot: true',
    '    seccompProfile: {type: RuntimeDefault}',
    '  containers:',
    '  - name: agent',
    '    image: fluent/fluent-bit:3.1.9',
    '    securityContext:',
    '      allowPrivilegeEscalation: false',
    ...(opts.sc ?? []).map((l) => `      ${l}`),
    '      capabilities:',
    '        drop: [ALL]',
    ...(opts.caps ? [`        add: ${opts.caps}`] : []),
    ...(opts.volume ? ['  volumes:', '  - name: varlog', '    hostPath:', `      path: ${opts.volume}`] : []),
    '',
  ].join('\n');

const rows = (fs: Finding[]) => fs.map((f) => `${f.line} ${f.ruleId} ${f.severity}${f.alsoFor ? ` for:${f.alsoFor.join(',')}` : ''}`);
const run = (text: string, options: ScanOptions = {}) => scan([{ path: 'p.yaml', content: text }], options);

describe('severity of a restricted finding that stands in for a baseline rule', () => {
  it('takes the baseline severity when the value breaks the baseline too (p1: SYS_ADMIN and hostPath)', () => {
    const text = pod({ caps: '[SYS_ADMIN]', volume: '/var/log' });
    expect(rows(run(text).findings)).toEqual([
      '16 capabilities-restricted high for:capabilities-baseline',
      '19 restricted-volume-types high for:host-path-volumes',
    ]);
    expect(rows(run(text, { profile: 'pss-baseline' }).findings)).toEqual(['16 capabilities-baseline high', '19 host-path-volumes high']);
  });

  it('splits added capabilities: beyond the baseline set (high) and only beyond the restricted one (medium); ALL is beyond', () => {
    const out = run(pod({ caps: '[CHOWN, SYS_ADMIN, NET_BIND_SERVICE, NET_RAW]' }));
    expect(rows(out.findings)).toEqual(['16 capabilities-restricted medium', '16 capabilities-restricted high for:capabilities-baseline']);
    expect(out.findings.map((f) => [f.column, f.message])).toEqual([
      [15, 'container `agent` adds capability `CHOWN`; only `NET_BIND_SERVICE` may be added'],
      [22, 'container `agent` adds capabilities `SYS_ADMIN`, `NET_RAW`; only `NET_BIND_SERVICE` may be added'],
    ]);
    expect(rows(run(pod({ caps: '[ALL]' })).findings)).toEqual(['16 capabilities-restricted high for:capabilities-baseline']);
  });

  it('an explicit Unconfined profile and an unmasked /proc answer for the baseline rule; a missing profile does not', () => {
    const unconfined = pod({ sc: ['seccompProfile: {type: Unconfined}', 'procMount: Unmasked'] });
    expect(rows(run(unconfined).findings)).toEqual([
      '14 seccomp-profile-required medium for:seccomp-unconfined',
      '15 proc-mount-restricted medium for:proc-mount',
    ]);
    // With its own user namespace the baseline allows procMount: the restricted finding stands alone.
    expect(rows(run(pod({ hostUsers: false, sc: ['procMount: Unmasked'] })).findings)).toEqual(['15 proc-mount-restricted medium']);
    const missing = run(pod().replace('    seccompProfile: {type: RuntimeDefault}\n', ''));
    expect(rows(missing.findings)).toEqual(['6 seccomp-profile-required medium']);
  });

  it('JSON output names the baseline rule a finding stands in for', () => {
    const json = JSON.parse(renderJson(run(pod({ volume: '/var/log' })), { toolVersion: '0' }));
    expect(json.findings.map((f: { ruleId: string; severity: string; alsoFor?: string[] }) => [f.ruleId, f.severity, f.alsoFor])).toEqual([
      ['restricted-volume-types', 'high', ['host-path-volumes']],
    ]);
  });

  it('a configured severity of the rule wins; one of the baseline rule replaces the baseline severity', () => {
    const text = pod({ volume: '/var/log' });
    expect(rows(run(text, { rules: { 'restricted-volume-types': 'low' } }).findings)).toEqual(['18 restricted-volume-types low for:host-path-volumes']);
    expect(rows(run(text, { rules: { 'host-path-volumes': 'critical' } }).findings)).toEqual(['18 restricted-volume-types critical for:host-path-volumes']);
    // Never below the restricted rule's own severity.
    expect(rows(run(text, { rules: { 'host-path-volumes': 'low' } }).findings)).toEqual(['18 restricted-volume-types medium for:host-path-volumes']);
  });
});

describe('suppressions and settings of the baseline rule cover the finding that stands in for it', () => {
  const THP = ['minpriv.dev/ignore: host-path-volumes', 'minpriv.dev/ignore-reason: "THP must be disabled from the node"'];

  it('an annotation naming the baseline rule suppresses the restricted finding, with its reason, in both profiles', () => {
    const text = pod({ annotations: THP, volume: '/sys/kernel/mm/transparent_hugepage' });
    for (const profile of ['pss-restricted', 'pss-baseline'] as const) {
      const out = run(text, { profile });
      expect(out.findings).toEqual([]);
      expect(out.suppressed.map((f) => [f.ruleId, f.line, f.suppressed])).toEqual([
        [
          profile === 'pss-restricted' ? 'restricted-volume-types' : 'host-path-volumes',
          21,
          { by: 'annotation', reason: 'THP must be disabled from the node' },
        ],
      ]);
    }
  });

  it('a comment naming capabilities-baseline suppresses only the capabilities the baseline forbids', () => {
    const text = pod({ caps: '[CHOWN, NET_ADMIN] # minpriv:ignore capabilities-baseline -- the CNI plugin needs it' });
    const out = run(text);
    expect(rows(out.findings)).toEqual(['16 capabilities-restricted medium']);
    expect(out.suppressed.map((f) => [f.message, f.suppressed])).toEqual([
      ['container `agent` adds capability `NET_ADMIN`; only `NET_BIND_SERVICE` may be added', { by: 'comment', reason: 'the CNI plugin needs it' }],
    ]);
  });

  it("another tool's annotation for the baseline concept counts too (kube-linter sensitive-host-mounts)", () => {
    const out = run(pod({ annotations: ['ignore-check.kube-linter.io/sensitive-host-mounts: "node agent"'], volume: '/var/log' }));
    expect(out.suppressed.map((f) => [f.ruleId, f.suppressed])).toEqual([
      ['restricted-volume-types', { by: 'external-annotation', reason: 'kube-linter: node agent' }],
    ]);
  });

  it('`off` for the baseline rule suppresses the stand-in finding (by config); a restricted-only finding stays', () => {
    const out = run(pod({ caps: '[CHOWN, SYS_ADMIN]', volume: '/var/log' }), { rules: { 'host-path-volumes': 'off', 'capabilities-baseline': 'off' } });
    expect(rows(out.findings)).toEqual(['16 capabilities-restricted medium']);
    expect(out.suppressed.map((f) => [f.ruleId, f.line, f.suppressed])).toEqual([
      ['capabilities-restricted', 16, { by: 'config', reason: '`capabilities-baseline` is off in the configuration' }],
      ['restricted-volume-types', 19, { by: 'config', reason: '`host-path-volumes` is off in the configuration' }],
    ]);
  });

  it('fix --all leaves a suppressed hostPath volume and its mount alone (p2)', async () => {
    const text = pod({ annotations: THP, volume: '/sys/kernel/mm/transparent_hugepage' }).replace(
      '  volumes:',
      '    volumeMounts:\n    - name: varlog\n      mountPath: /host/thp\n  volumes:',
    );
    expect(run(text).suppressed.map((f) => f.ruleId)).toEqual(['restricted-volume-types']);
    const dir = mkdtempSync(join(tmpdir(), 'minpriv-standin-'));
    writeFileSync(join(dir, 'redis.yaml'), text);
    let out = '';
    const code = await runCli(['fix', '--all', 'redis.yaml'], {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (out += s) },
      stdin: new PassThrough(),
      cwd: dir,
      env: {},
    });
    expect(readFileSync(join(dir, 'redis.yaml'), 'utf8')).toBe(text);
    rmSync(dir, { recursive: true, force: true });
    expect(out).toContain('fixed 0 findings in 0 files');
    expect(code).toBe(0);
  });
});

describe('a finding about several list items ends at the last of them (QA #11)', () => {
  it('capabilities add with block items: line of the first, endLine of the last, in both profiles', () => {
    const text = pod({ caps: 'LIST' }).replace('        add: LIST\n', '        add:\n          - NET_ADMIN\n          - CHOWN\n          - NET_RAW\n');
    const at = (profile: ScanOptions['profile']) => run(text, { profile }).findings.map((f) => [f.ruleId, f.severity, f.line, f.column, f.endLine]);
    expect(at('pss-restricted')).toEqual([
      ['capabilities-restricted', 'high', 17, 13, 19],
      ['capabilities-restricted', 'medium', 18, 13, 18],
    ]);
    expect(at('pss-baseline')).toEqual([['capabilities-baseline', 'high', 17, 13, 19]]);
  });
});
