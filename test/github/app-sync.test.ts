import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { addedPatch, FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';
import { applySuggestions } from './suggest.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), 'utf8');

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { status?: string; conclusion?: string; output: { title: string; summary: string; text?: string; annotations?: Record<string, unknown>[] } };
type Review = { commit_id: string; comments: { path: string; line: number; start_line?: number; body: string }[] };

describe('diffs and pushes', () => {
  it('a fix outside the hunk becomes an annotation and a diff block, never a comment GitHub would reject', async () => {
    const api = fixture('modified-api.yaml');
    const patch =
      '@@ -4,7 +4,7 @@ metadata:\n   name: api\n   labels:\n     app: api\n-    tier: web\n+    tier: backend\n spec:\n   replicas: 2\n   selector:';
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 4,
      headSha: 'm0d',
      files: [{ filename: 'apps/api.yaml', status: 'modified', patch, content: api }],
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 's1', name: 'pull_request', payload: prPayload('synchronize', 4, 'm0d') as never });
    expect(gh.requests.filter((r) => r.status === 422)).toEqual([]);
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/4/reviews')).toEqual([]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.annotations?.at(-1)).toMatchObject({ path: 'apps/api.yaml', start_line: 22, end_line: 22, annotation_level: 'failure' });
    const summary = done?.output.summary ?? '';
    const text = done?.output.text ?? '';
    expect(text).toContain('## Fixes not posted as suggestions');
    expect(text).toContain('(not inline: its lines are not all inside one hunk of the diff)');
    expect(summary).not.toContain('```diff');
    // A real line diff with 3 lines of context: unchanged lines are context, not removed and added again.
    expect(text).toContain(
      '```diff\n@@ -19,4 +19,11 @@\n         - name: api\n           image: api:2.0\n           securityContext:\n-            privileged: true\n+            allowPrivilegeEscalation: false\n',
    );
    expect(summary).toContain('| 22 | `privileged-container` | critical | container `api` sets `securityContext.privileged: true` | diff in details below |');
  });

  it('after a push that fixes one file: no duplicate comment, the fixed file’s thread is resolved', async () => {
    const web = fixture('new-deployment.yaml');
    const worker = web.replaceAll('web', 'worker').replace('nginx:1.27', 'worker:3');
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 5,
      headSha: 'one111',
      files: [
        { filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web },
        { filename: 'k8s/worker.yaml', status: 'added', patch: addedPatch(worker), content: worker },
      ],
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 's2', name: 'pull_request', payload: prPayload('opened', 5, 'one111') as never });
    const [first] = gh.bodies('POST', '/repos/acme/gitops/pulls/5/reviews') as Review[];
    expect(first?.comments.map((c) => [c.path, c.line])).toEqual([
      ['k8s/web.yaml', 12],
      ['k8s/worker.yaml', 12],
    ]);
    // GitHub now holds the two threads; the author applies the worker suggestion and pushes.
    expect(gh.state.threads?.map((t) => [t.id, t.path])).toEqual([
      ['PRRT_1', 'k8s/web.yaml'],
      ['PRRT_2', 'k8s/worker.yaml'],
    ]);
    const fixed = applySuggestions(worker, [first?.comments[1] as Review['comments'][number]]);
    gh.state.headSha = 'two222';
    gh.state.files[1] = { filename: 'k8s/worker.yaml', status: 'added', patch: addedPatch(fixed), content: fixed };
    gh.requests.length = 0;
    await probot.receive({ id: 's3', name: 'pull_request', payload: prPayload('synchronize', 5, 'two222') as never });

    expect(gh.lines()).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'GET /repos/acme/gitops/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/.github/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/gitops/pulls/5/files?per_page=100&page=1',
      'GRAPHQL minprivContents',
      'GRAPHQL minprivThreads',
      'GET /repos/acme/gitops/pulls/5',
      'GRAPHQL minprivResolve',
      'PATCH /repos/acme/gitops/check-runs/102',
    ]);
    const resolve = gh.bodies('POST', '/graphql').at(-1) as { variables: unknown };
    expect(resolve.variables).toEqual({ t0: 'PRRT_2' });
    expect(gh.state.threads?.map((t) => [t.id, t.isResolved ?? false])).toEqual([
      ['PRRT_1', false],
      ['PRRT_2', true],
    ]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/102') as Patch[];
    expect(done?.output.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    expect(done?.output.summary).toContain('Resolved 1 earlier review thread whose finding is gone or superseded.');
  });

  it('a run whose PR head moved on posts no review for the old SHA, and still completes its check', async () => {
    const web = fixture('new-deployment.yaml');
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 6,
      headSha: 'old000',
      currentHead: 'new999',
      files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }],
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 's4', name: 'pull_request', payload: prPayload('synchronize', 6, 'old000') as never });
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/6/reviews')).toEqual([]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.summary).toContain('the pull request head moved on to new999 while this run worked');
  });
});
