import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runScan } from '../cli/scan-helpers.js';
import { type FakeTools, fakeTools, printSample, SAMPLES } from './fake-tool.js';

let tools: FakeTools;
let dir: string;
beforeAll(() => {
  tools = fakeTools();
  dir = mkdtempSync(path.join(tmpdir(), 'minpriv-cli-scanners-'));
  mkdirSync(path.join(dir, 'templates'));
  writeFileSync(path.join(dir, 'templates/deployment.yaml'), readFileSync(path.join(SAMPLES, 'trivy/testchart-deployment.rendered.yaml')));
});
afterAll(() => {
  tools.remove();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => vi.unstubAllEnvs());

describe('minpriv scan --scanner', () => {
  it('runs the tool after the scan and reports merged and tool-only findings', async () => {
    tools.add('trivy', printSample('trivy/helm_testchart.json.golden'));
    vi.stubEnv('PATH', tools.path);
    const { code, stdout, stderr } = await runScan(['--scanner', 'trivy', '--no-config', '--format', 'json', 'templates/deployment.yaml'], { cwd: dir });
    expect([code, stderr]).toEqual([1, '']);
    const doc = JSON.parse(stdout);
    expect(doc.findings.map((f: { ruleId: string; sources: string[] }) => [f.ruleId, f.sources])).toEqual([
      ['seccomp-profile-required', ['minpriv', 'trivy']],
      ['allow-privilege-escalation', ['minpriv', 'trivy']],
      ['trivy/KSV-0117', ['trivy']],
      ['trivy/KSV-0110', ['trivy']],
      ['trivy/KSV-0118', ['trivy']],
    ]);
    expect(doc.notices).toEqual([{ kind: 'scanner', file: '', message: 'Trivy dev ran on 1 file: 6 results' }]);
  });

  it('a tool that is not installed is a notice; an unknown tool is a usage error', async () => {
    vi.stubEnv('PATH', path.join(dir, 'templates'));
    const absent = await runScan(['--scanner', 'datree', '--no-config', 'templates/deployment.yaml'], { cwd: dir });
    expect(absent.stdout).toContain('  notice(scanner) datree not installed: skipped');
    const bad = await runScan(['--scanner', 'polaris', 'templates/deployment.yaml'], { cwd: dir });
    expect([bad.code, bad.stderr]).toEqual([
      2,
      'minpriv: invalid value for --scanner: "polaris" (expected kubescape, trivy, kube-linter, datree) (see minpriv scan --help)\n',
    ]);
  });
});
