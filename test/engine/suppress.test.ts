import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import allowPrivilegeEscalation from '../../src/rules/allow-privilege-escalation.js';
import privilegedContainer from '../../src/rules/privileged-container.js';

const ruleset = [allowPrivilegeEscalation, privilegedContainer];
const run = (text: string) => scan([{ path: 'd.yaml', content: text }], { ruleset });
const rows = (fs: { ruleId: string; line: number; suppressed?: { by: string; reason?: string } }[]) =>
  fs.map((f) => [f.ruleId, f.line, f.suppressed?.by, f.suppressed?.reason]);

function deployment(opts: { objectAnn?: string[]; podAnn?: string[]; beforePrivileged?: string; privilegedSuffix?: string }): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    ...(opts.objectAnn ? ['  annotations:', ...opts.objectAnn.map((a) => `    ${a}`)] : []),
    'spec:',
    '  template:',
    ...(opts.podAnn ? ['    metadata:', '      annotations:', ...opts.podAnn.map((a) => `        ${a}`)] : []),
    '    spec:',
    '      containers:',
    '      - name: web',
    '        image: nginx:1.27',
    '        securityContext:',
    '          allowPrivilegeEscalation: false',
    ...(opts.beforePrivileged ? [`          ${opts.beforePrivileged}`] : []),
    `          privileged: true${opts.privilegedSuffix ?? ''}`,
    '',
  ].join('\n');
}

describe('suppression', () => {
  it('without any, the finding is active', () => {
    const out = run(deployment({}));
    expect(rows(out.findings)).toEqual([['privileged-container', 13, undefined, undefined]]);
    expect(out.suppressed).toEqual([]);
  });

  it('annotation on the object metadata, with a reason', () => {
    const out = run(
      deployment({ objectAnn: ['minpriv.dev/ignore: "privileged-container"', 'minpriv.dev/ignore-reason: CNI plugin needs the host network stack'] }),
    );
    expect(out.findings).toEqual([]);
    expect(rows(out.suppressed)).toEqual([['privileged-container', 16, 'annotation', 'CNI plugin needs the host network stack']]);
  });

  it('annotation on the pod template metadata, listing several rules', () => {
    const out = run(deployment({ podAnn: ['minpriv.dev/ignore: "allow-privilege-escalation, privileged-container"'] }));
    expect(out.findings).toEqual([]);
    expect(rows(out.suppressed)).toEqual([['privileged-container', 16, 'annotation', undefined]]);
  });

  it('an annotation naming another rule suppresses nothing', () => {
    const out = run(deployment({ objectAnn: ['minpriv.dev/ignore: host-namespaces'] }));
    expect(rows(out.findings)).toEqual([['privileged-container', 15, undefined, undefined]]);
  });

  it('comment on the line above, with a reason after --', () => {
    const out = run(deployment({ beforePrivileged: '# minpriv:ignore privileged-container -- storage driver, reviewed by sec team' }));
    expect(rows(out.suppressed)).toEqual([['privileged-container', 14, 'comment', 'storage driver, reviewed by sec team']]);
    expect(out.findings).toEqual([]);
  });

  it('comment at the end of the offending line', () => {
    const out = run(deployment({ privilegedSuffix: '  # minpriv:ignore privileged-container -- kernel module loader' }));
    expect(rows(out.suppressed)).toEqual([['privileged-container', 13, 'comment', 'kernel module loader']]);
  });

  it('a comment two lines above, or for another rule, does not suppress', () => {
    const text = deployment({ beforePrivileged: '# minpriv:ignore allow-privilege-escalation -- wrong rule' });
    expect(rows(run(text).findings)).toEqual([['privileged-container', 14, undefined, undefined]]);
    const far = deployment({}).replace('        securityContext:', '        # minpriv:ignore privileged-container -- too far\n        securityContext:');
    expect(rows(run(far).findings)).toEqual([['privileged-container', 14, undefined, undefined]]);
  });

  it('other tools’ annotations users already write count too', () => {
    const out = run(deployment({ objectAnn: ['ignore-check.kube-linter.io/privileged-container: "needed for eBPF"'] }));
    expect(rows(out.suppressed)).toEqual([['privileged-container', 15, 'external-annotation', 'kube-linter: needed for eBPF']]);
  });

  it('suppressed findings keep their fingerprint, position and fix: counted, never lost', () => {
    const active = run(deployment({})).findings[0];
    const sup = run(deployment({ privilegedSuffix: ' # minpriv:ignore privileged-container' })).suppressed[0];
    expect(sup?.fingerprint).toBe(active?.fingerprint);
    expect(sup?.fix?.title).toBe('remove `privileged: true`');
    expect([sup?.line, sup?.column]).toEqual([13, 11]);
  });
});

describe('fingerprints', () => {
  const twoContainers = (first: string, second: string) =>
    ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:', first, second, ''].join('\n');
  const a = '  - name: a\n    image: x\n    securityContext: {allowPrivilegeEscalation: false, privileged: true}';
  const b = '  - name: b\n    image: y\n    securityContext: {allowPrivilegeEscalation: false}';

  it('survive lines inserted above', () => {
    const before = run(twoContainers(a, b)).findings[0];
    const after = run(`# a comment\n# and another\n${twoContainers(a, b)}`).findings[0];
    expect(after?.line).toBe((before?.line ?? 0) + 2);
    expect(after?.fingerprint).toBe(before?.fingerprint);
  });

  it('survive containers being reordered', () => {
    const before = run(twoContainers(a, b)).findings[0];
    const after = run(twoContainers(b, a)).findings[0];
    expect([before?.path[2], after?.path[2]]).toEqual([0, 1]);
    expect(after?.fingerprint).toBe(before?.fingerprint);
  });

  it('differ between resources, containers and rules', () => {
    const one = run(twoContainers(a, b)).findings[0]?.fingerprint;
    const renamed = run(twoContainers(a, b).replace('name: p', 'name: q')).findings[0]?.fingerprint;
    const otherContainer = run(twoContainers(a.replace('name: a', 'name: z'), b)).findings[0]?.fingerprint;
    expect(new Set([one, renamed, otherContainer]).size).toBe(3);
  });
});
