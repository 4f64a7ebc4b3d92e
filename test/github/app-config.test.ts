import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { addedPatch, FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { status?: string; conclusion?: string; output: { title: string; summary: string; text?: string; annotations?: Record<string, unknown>[] } };
const BROKEN = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n spec: [\n';

function fake(config: string | undefined, files = [{ filename: 'k8s/broken.yaml', status: 'added' as const, patch: addedPatch(BROKEN), content: BROKEN }]) {
  return new FakeGitHub({ owner: OWNER, repo: REPO, number: 3, headSha: 'cfg1', config, files }).install();
}

describe('configuration', () => {
  it('an invalid .github/minpriv.yml fails the check, naming each bad key and why, and scans nothing', async () => {
    const gh = fake('profile: strictest\ncomments:\n  max: 500\nbogus: 1\nrules:\n  no-such-rule: off\n');
    const probot = await makeProbot();
    await probot.receive({ id: 'c1', name: 'pull_request', payload: prPayload('opened', 3, 'cfg1') as never });
    expect(gh.lines()).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'GET /repos/acme/gitops/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/gitops/pulls/3/files?per_page=100&page=1',
      'PATCH /repos/acme/gitops/check-runs/101',
    ]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('Invalid .github/minpriv.yml: 4 problems');
    const rows = done?.output.summary.split('\n').filter((l) => l.startsWith('| `')) ?? [];
    expect(rows).toEqual([
      '| `profile: "strictest"` | expected one of `pss-baseline`, `pss-restricted`, `minpriv` |',
      '| `rules.no-such-rule` | unknown rule id (see `minpriv rules`) |',
      '| `comments.max: 500` | Too big: expected number to be <=100 |',
      '| `bogus` | unknown key |',
    ]);
  });

  it('QA2 #2: a PR that adds an invalid config fails, naming each bad key; the config file is not a scanned manifest', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
    const bad = 'failOn: hgih\nbogus: 1\n';
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 3,
      headSha: 'cfg2',
      headConfig: bad,
      files: [
        { filename: '.github/minpriv.yml', status: 'added', patch: addedPatch(bad), content: bad },
        { filename: 'k8s/cm.yaml', status: 'added', patch: addedPatch(cm), content: cm },
      ],
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 'c5', name: 'pull_request', payload: prPayload('opened', 3, 'cfg2') as never });
    expect(gh.lines()).toContain('GET /repos/acme/gitops/contents/.github%2Fminpriv.yml?ref=cfg2');
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('Invalid .github/minpriv.yml in this pull request · No findings in 1 changed manifest');
    const summary = done?.output.summary ?? '';
    expect(summary).toContain("This pull request's `.github/minpriv.yml` is invalid (2 problems)");
    expect(summary).toContain('`.github/minpriv.yml` in this pull request: `failOn`: expected one of `critical`, `high`, `medium`, `low`, `info`');
    expect(summary).toContain('`.github/minpriv.yml` in this pull request: `bogus`: unknown key');
    expect(summary).toContain('a pull request must not weaken its own gate');
  });

  it('QA2 #2: a PR that fixes an invalid default-branch config still fails, and says why and that its version is valid', async () => {
    const good = 'failOn: high\n';
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 3,
      headSha: 'cfg3',
      config: 'failOn: hgih\n',
      headConfig: good,
      files: [{ filename: '.github/minpriv.yml', status: 'modified', patch: '@@ -1 +1 @@\n-failOn: hgih\n+failOn: high', content: good }],
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 'c6', name: 'pull_request', payload: prPayload('opened', 3, 'cfg3') as never });
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('Invalid .github/minpriv.yml: 1 problem');
    expect(done?.output.summary).toContain('> This pull request changes `.github/minpriv.yml`; its version is valid and applies once merged.');
  });

  it('unparsable YAML in the config completes the check with failure and says so', async () => {
    const gh = fake('profile: [pss-restricted\n');
    const probot = await makeProbot();
    await probot.receive({ id: 'c2', name: 'pull_request', payload: prPayload('opened', 3, 'cfg1') as never });
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('Invalid .github/minpriv.yml: not valid YAML');
    const summary = done?.output.summary ?? '';
    expect(summary).toContain('`.github/minpriv.yml` is not valid YAML, so nothing was scanned.');
    expect(summary).toContain('> line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]');
    expect(summary).toContain('[JSON Schema](https://github.com/minpriv/minpriv/blob/main/schema/minpriv.schema.json)');
    expect(summary).not.toContain('Fix these keys');
    expect(summary).not.toContain('octokit-plugin-config');
  });

  it('a valid config is applied: failOn high lets medium findings pass, rules can be turned off', async () => {
    const dep = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: i\n';
    const gh = fake('failOn: critical\nrules:\n  run-as-non-root: off\nsuggestions: off\n', [
      { filename: 'k8s/pod.yaml', status: 'added', patch: addedPatch(dep), content: dep },
    ]);
    const probot = await makeProbot();
    await probot.receive({ id: 'c3', name: 'pull_request', payload: prPayload('opened', 3, 'cfg1') as never });
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/3/reviews')).toEqual([]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('success');
    expect(done?.output.title).toBe('3 findings: 3 medium (below failOn: critical) · 1 verified fix');
    expect(done?.output.summary).not.toContain('run-as-non-root');
    expect(done?.output.text).toContain('(not inline: inline suggestions are off (`suggestions: false`))');
    expect(done?.output.annotations?.map((a) => a.annotation_level)).toEqual(['warning', 'warning', 'warning']);
  });

  it('a manifest with a YAML syntax error is a failing annotation without a suggestion', async () => {
    const gh = fake(undefined);
    const probot = await makeProbot();
    await probot.receive({ id: 'c4', name: 'pull_request', payload: prPayload('opened', 3, 'cfg1') as never });
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/3/reviews')).toEqual([]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.annotations).toHaveLength(1);
    expect(done?.output.annotations?.[0]).toMatchObject({
      path: 'k8s/broken.yaml',
      start_line: 5,
      annotation_level: 'failure',
      title: 'yaml-syntax (high): File is not valid YAML',
    });
  });
});
