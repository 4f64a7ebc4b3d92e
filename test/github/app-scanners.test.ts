import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeTools, fakeTools, printSample, SAMPLES } from '../scanners/fake-tool.js';
import { addedPatch, FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

const CHART = 'charts/testchart/templates/deployment.yaml';
const rendered = readFileSync(path.join(SAMPLES, 'trivy/testchart-deployment.rendered.yaml'), 'utf8');
const CONFIG = 'profile: pss-restricted\nscanners:\n  trivy:\n    enabled: true\n';

let tools: FakeTools;
beforeAll(() => {
  tools = fakeTools();
});
afterAll(() => tools.remove());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  vi.unstubAllEnvs();
});

type Patch = { status?: string; conclusion?: string; output: { title: string; summary: string; annotations?: Record<string, unknown>[] } };

function fake(config: string) {
  return new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 12,
    headSha: 'tri123',
    config,
    files: [{ filename: CHART, status: 'added', patch: addedPatch(rendered), content: rendered }],
  }).install();
}

const TRIVY_ARGV = [
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
];

describe('pull_request.opened with Trivy enabled in .github/minpriv.yml', () => {
  it('runs the Trivy on PATH on the changed file, merges what it agrees with and reports what only it sees', async () => {
    tools.add('trivy', printSample('trivy/helm_testchart.json.golden'));
    vi.stubEnv('PATH', tools.path);
    const gh = fake(CONFIG);
    const probot = await makeProbot();
    await probot.receive({ id: 't1', name: 'pull_request', payload: prPayload('opened', 12, 'tri123') as never });

    // The scanner adds no request: it runs locally, on the content already fetched.
    expect(gh.lines()).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'GET /repos/acme/gitops/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/gitops/pulls/12/files?per_page=100&page=1',
      'GRAPHQL minprivContents',
      'GRAPHQL minprivThreads',
      'GET /repos/acme/gitops/pulls/12',
      'POST /repos/acme/gitops/pulls/12/reviews',
      'PATCH /repos/acme/gitops/check-runs/101',
    ]);
    expect(tools.logged('trivy')).toEqual({ argv: TRIVY_ARGV, files: [CHART] });

    const [review] = gh.bodies('POST', '/repos/acme/gitops/pulls/12/reviews') as { body: string; comments: { path: string; line: number }[] }[];
    expect(review?.body).toContain('**minpriv**: 1 suggestion resolves 1 of 5 findings in this pull request.');
    expect(review?.comments.map((c) => [c.path, c.line])).toEqual([[CHART, 36]]);

    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('5 findings: 1 high, 3 medium, 1 low · 1 verified fix');
    const rows = done?.output.summary.split('\n').filter((l) => /^\| \d+ \| `/.test(l));
    expect(rows).toEqual([
      '| 25 | `seccomp-profile-required` | medium | pod does not set `securityContext.seccompProfile.type`, and neither does container `testchart` (also: Trivy KSV-0030, Trivy KSV-0104) | no verified fix: the empty value sits on its own line |',
      '| 29 | `allow-privilege-escalation` | medium | container `testchart` does not set `securityContext.allowPrivilegeEscalation: false` (also: Trivy KSV-0001) | suggested inline |',
      '| 2 | `trivy/KSV-0117` | medium | deployment testchart in default namespace should not set spec.template.spec.containers.ports.containerPort to less than 1024 | — |',
      '| 4 | `trivy/KSV-0110` | low | deployment testchart in default namespace should set metadata.namespace to a non-default namespace | — |',
      '| 23 | `trivy/KSV-0118` | high | deployment testchart in default namespace is using the default security context, which allows root privileges | — |',
    ]);
    expect(done?.output.summary).toContain('### Notices\n\n- (scanner): Trivy dev ran on 1 file: 6 results\n');
    expect(done?.output.annotations?.map((a) => [a.title, a.start_line, a.end_line, a.annotation_level])).toEqual([
      ['seccomp-profile-required (medium): Seccomp profile is missing, or not RuntimeDefault or Localhost', 25, 26, 'failure'],
      ['allow-privilege-escalation (medium): Container allows privilege escalation', 29, 36, 'failure'],
      ['trivy/KSV-0117 (medium): Prevent binding to privileged ports', 2, 57, 'failure'],
      ['trivy/KSV-0110 (low): Workloads in the default namespace', 4, 11, 'warning'],
      ['trivy/KSV-0118 (high): Default security context configured', 23, 57, 'failure'],
    ]);
  });

  it('a Trivy crash is an error under onError, never a silent pass', async () => {
    tools.add('trivy', "process.stderr.write('FATAL config scan error: boom\\n'); process.exit(2);");
    vi.stubEnv('PATH', tools.path);
    const gh = fake(`${CONFIG}onError: neutral\nfailOn: critical\n`);
    const probot = await makeProbot();
    await probot.receive({ id: 't2', name: 'pull_request', payload: prPayload('opened', 12, 'tri123') as never });
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('neutral');
    expect(done?.output.title).toBe('2 findings: 2 medium (below failOn: critical) · 1 verified fix · 1 error');
    expect(done?.output.summary).toContain('- (scanner, error): trivy exited with code 2: FATAL config scan error: boom');
  });

  it('runs only the binary on its own PATH: a repository config cannot name an executable or add arguments', async () => {
    tools.add('trivy', printSample('trivy/helm_badname.json.golden'));
    tools.add('evil', "require('node:fs').writeFileSync(process.argv[2] ?? 'x', 'ran'); process.exit(0);");
    vi.stubEnv('PATH', tools.path);
    const gh = fake(`scanners:\n  trivy:\n    enabled: true\n    binary: ${path.join(tools.bin, 'evil')}\n    args: ["--output", "/tmp/x"]\n`);
    const probot = await makeProbot();
    await probot.receive({ id: 't3', name: 'pull_request', payload: prPayload('opened', 12, 'tri123') as never });
    expect(tools.logged('trivy').argv).toEqual(TRIVY_ARGV);
    expect(() => tools.logged('evil')).toThrow(/ENOENT/);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.output.summary).toContain(
      "- (scanner): `scanners.trivy`: `binary` and `args` are ignored here (the app runs Trivy from its own PATH with minpriv's arguments only)",
    );
    expect(done?.output.summary).toContain('- (scanner): Trivy dev ran on 1 file: 0 results');
  });
});
