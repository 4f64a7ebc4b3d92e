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
      'PATCH /repos/acme/gitops/check-runs/101',
    ]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('Invalid .github/minpriv.yml: 4 problems');
    const rows = done?.output.summary.split('\n').filter((l) => l.startsWith('| `')) ?? [];
    expect(rows).toEqual([
      '| `profile` | Invalid option: expected one of "pss-baseline"\\|"pss-restricted" |',
      '| `rules.no-such-rule` | unknown rule id (see `minpriv rules`) |',
      '| `comments.max` | Too big: expected number to be <=100 |',
      '| `bogus` | unknown key |',
    ]);
  });

  it('unparsable YAML in the config completes the check with failure and says so', async () => {
    const gh = fake('profile: [pss-restricted\n');
    const probot = await makeProbot();
    await probot.receive({ id: 'c2', name: 'pull_request', payload: prPayload('opened', 3, 'cfg1') as never });
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('Invalid .github/minpriv.yml: 1 problem');
    expect(done?.output.summary).toMatch(/\| `\(file\)` \| .*could not be parsed/);
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
