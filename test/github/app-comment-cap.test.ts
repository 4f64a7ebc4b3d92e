import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { addedPatch, FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), 'utf8');

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Review = { comments: { path: string; line: number }[] };

describe('QA2 #3: comments.max caps the open suggestion threads of the PR, not each review', () => {
  it('a synchronize on a PR that already has comments.max open threads posts no new review', async () => {
    const web = fixture('new-deployment.yaml');
    const worker = web.replaceAll('web', 'worker').replace('nginx:1.27', 'worker:3');
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 8,
      headSha: 'cap111',
      config: 'comments:\n  max: 1\n',
      files: [
        { filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web },
        { filename: 'k8s/worker.yaml', status: 'added', patch: addedPatch(worker), content: worker },
      ],
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 'cap1', name: 'pull_request', payload: prPayload('opened', 8, 'cap111') as never });
    const first = gh.bodies('POST', '/repos/acme/gitops/pulls/8/reviews') as Review[];
    expect(first.map((r) => r.comments.map((c) => [c.path, c.line]))).toEqual([[['k8s/web.yaml', 12]]]);

    // A push that changes no manifest: the same findings, one open thread already.
    gh.state.headSha = 'cap222';
    await probot.receive({ id: 'cap2', name: 'pull_request', payload: prPayload('synchronize', 8, 'cap222') as never });
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/8/reviews')).toHaveLength(1);
    expect(gh.state.threads?.map((t) => t.path)).toEqual(['k8s/web.yaml']);
    const done = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as { output: { summary: string; text?: string } }[];
    const last = done.at(-1);
    expect(`${last?.output.summary}${last?.output.text ?? ''}`).toContain('over the `comments.max` limit');
  });
});
