import { afterEach, describe, expect, it } from 'vitest';
import { TempRepo } from '../sources/git-repo.js';
import { runCaptured } from './run-cli.js';

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

const cli = runCaptured;

/** A valid multi-document bundle over a 1 KiB cap: padding, then a hardened Deployment (QA D10, repro 6, scaled down). */
const bundle = (hostNamespaces: boolean): string =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: padding',
    'data:',
    ...Array.from({ length: 12 }, (_, i) => `  k${i}: "${'x'.repeat(100)}"`),
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    ...(hostNamespaces ? ['      hostNetwork: true', '      hostPID: true'] : []),
    '      securityContext:',
    '        runAsNonRoot: true',
    '        seccompProfile: {type: RuntimeDefault}',
    '      containers:',
    '      - name: web',
    '        image: nginx:1.27',
    '        securityContext:',
    '          allowPrivilegeEscalation: false',
    '          capabilities: {drop: [ALL]}',
    '',
  ].join('\n');

function bundleRepo(config: string): TempRepo {
  const r = new TempRepo();
  r.write('.github/minpriv.yml', config);
  r.write('bundle.yaml', bundle(false));
  r.commit('base');
  r.git('checkout', '-q', '-b', 'feature');
  r.write('bundle.yaml', bundle(true));
  r.commit('hostNetwork + hostPID');
  return r;
}

const SKIPPED = (size: number) =>
  `- \`bundle.yaml\`: ${size} bytes, over the 1024-byte limit: raise \`maxFileBytes\` in .github/minpriv.yml (up to 10485760), add the file to \`exclude\`, or set \`onError: neutral\``;

describe('minpriv review --base: a changed file over maxFileBytes is never "already present" (QA D10)', () => {
  it('fails the check under onError: fail (the default), naming the file and the knob; no "not valid YAML" finding', async () => {
    repo = bundleRepo('maxFileBytes: 1024\n');
    const r = await cli(['review', '--base', 'main', '--format', 'json'], repo.dir);
    const json = JSON.parse(r.out);
    expect([r.code, json.conclusion, json.title]).toEqual([1, 'failure', 'Nothing checked: 1 changed file could not be read · 1 error']);
    expect(json.findings).toEqual([]);
    expect(json.summary).toContain('**1 changed file could not be read**, so it was not checked (see *Skipped files*).');
    expect(json.summary).toContain(`### Skipped files\n\n${SKIPPED(Buffer.byteLength(bundle(true)))}\n`);
    expect(json.summary).not.toContain('already present');
  });

  it('is neutral under onError: neutral, and scanned (two new findings) once maxFileBytes is raised', async () => {
    repo = bundleRepo('maxFileBytes: 1024\nonError: neutral\n');
    const neutral = JSON.parse((await cli(['review', '--base', 'main', '--format', 'json'], repo.dir)).out);
    expect([neutral.conclusion, neutral.title]).toEqual(['neutral', 'Nothing checked: 1 changed file could not be read · 1 error']);
    repo.remove();
    repo = bundleRepo('maxFileBytes: 4096\n');
    const raised = await cli(['review', '--base', 'main', '--format', 'json'], repo.dir);
    const json = JSON.parse(raised.out);
    expect([raised.code, json.conclusion]).toEqual([1, 'failure']);
    expect(json.findings.map((f: { ruleId: string; line: number; new: boolean }) => [f.ruleId, f.line, f.new])).toEqual([
      ['host-namespaces', 30, true],
      ['host-namespaces', 31, true],
    ]);
  });
});
