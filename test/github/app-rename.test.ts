import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

const deployment = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { conclusion?: string; output: { title: string; summary: string; text?: string } };

function renamePr(config?: string): FakeGitHub {
  return new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 21,
    headSha: 'r3n',
    // GitHub lists a pure rename with `changes: 0` and no `patch`.
    files: [{ filename: 'k8s/web-app.yaml', previous_filename: 'k8s/web.yaml', status: 'renamed', changes: 0, content: deployment }],
    ...(config === undefined ? {} : { config }),
  }).install();
}

describe('a pull request that only renames a manifest', () => {
  it('leaves its old findings out of scope (changed-resources): success, no review', async () => {
    const gh = renamePr();
    const probot = await makeProbot();
    await probot.receive({ id: 'r1', name: 'pull_request', payload: prPayload('opened', 21, 'r3n') as never });
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/21/reviews')).toEqual([]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('success');
    expect(done?.output.title).toBe('No findings in 1 changed manifest');
    expect(done?.output.summary).toContain('5 findings outside the changed resources not shown.');
  });

  it('under scope changed-files the findings count, with the fixes in the summary because no line changed', async () => {
    const gh = renamePr('scope: changed-files\n');
    const probot = await makeProbot();
    await probot.receive({ id: 'r2', name: 'pull_request', payload: prPayload('opened', 21, 'r3n') as never });
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/21/reviews')).toEqual([]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    expect(done?.output.text).toContain('not inline: GitHub reports a rename with no changed lines');
  });
});
