import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { addedPatch, FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';
import { applySuggestions } from './suggest.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), 'utf8');
const deployment = fixture('new-deployment.yaml');
const CLEAN = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  level: info
`;

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { status?: string; conclusion?: string; output: { title: string; summary: string; annotations?: Record<string, unknown>[] } };
type Review = { commit_id: string; event: string; body: string; comments: { path: string; line: number; start_line?: number; side: string; body: string }[] };

describe('pull_request.opened with a new manifest', () => {
  it('fails the check and posts one review whose suggestion, applied, gives the fixed file', async () => {
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 7,
      headSha: 'abc123',
      files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(deployment), content: deployment }],
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 'd1', name: 'pull_request', payload: prPayload('opened', 7, 'abc123') as never });

    expect(gh.lines()).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'GET /repos/acme/gitops/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/.github/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/gitops/pulls/7/files?per_page=100&page=1',
      'GRAPHQL minprivContents',
      'GRAPHQL minprivThreads',
      'GET /repos/acme/gitops/pulls/7',
      'POST /repos/acme/gitops/pulls/7/reviews',
      'PATCH /repos/acme/gitops/check-runs/101',
    ]);
    expect(gh.bodies('POST', '/repos/acme/gitops/check-runs')).toEqual([{ name: 'minpriv', head_sha: 'abc123', status: 'in_progress', external_id: '7' }]);
    const contents = gh.bodies('POST', '/graphql')[0] as { variables: Record<string, string> };
    expect(contents.variables).toEqual({
      owner: 'acme',
      name: 'gitops',
      e0: 'abc123:k8s/web.yaml',
      e1: 'abc123:k8s/kustomization.yaml',
      e2: 'abc123:k8s/kustomization.yml',
      e3: 'abc123:k8s/Kustomization',
      e4: 'abc123:kustomization.yaml',
      e5: 'abc123:kustomization.yml',
      e6: 'abc123:Kustomization',
    });

    const [review] = gh.bodies('POST', '/repos/acme/gitops/pulls/7/reviews') as Review[];
    expect(review?.commit_id).toBe('abc123');
    expect(review?.event).toBe('COMMENT');
    expect(review?.body).toContain('**minpriv**: 1 suggestion resolves all 5 findings in this pull request.');
    expect(review?.comments.map((c) => ({ path: c.path, line: c.line, start_line: c.start_line, side: c.side }))).toEqual([
      { path: 'k8s/web.yaml', line: 12, start_line: undefined, side: 'RIGHT' },
    ]);
    expect(review?.comments[0]?.body).toContain('<!-- minpriv:fp=0d150a20c41a33ff,5c8f547e7e456dae,6db2f21abfd4e796,77cd47d77fab036b,be1eff46d79a9d66 -->');
    expect(review?.comments[0]?.body).toContain('`privileged-container` (critical)');
    expect(applySuggestions(deployment, review?.comments ?? [])).toBe(fixture('new-deployment.fixed.yaml'));

    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.status).toBe('completed');
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    expect(done?.output.summary).toContain('| 1 | 0 | 4 | 0 | 0 |');
    expect(done?.output.summary).toContain(
      '| 12 | `privileged-container` | critical | container `app` sets `securityContext.privileged: true` | suggested inline |',
    );
    expect(done?.output.annotations?.map((a) => [a.path, a.start_line, a.end_line, a.annotation_level])).toEqual([
      ['k8s/web.yaml', 7, 12, 'failure'],
      ['k8s/web.yaml', 7, 12, 'failure'],
      ['k8s/web.yaml', 11, 12, 'failure'],
      ['k8s/web.yaml', 11, 12, 'failure'],
      ['k8s/web.yaml', 12, 12, 'failure'],
    ]);
    expect(done?.output.annotations?.[4]?.title).toBe('privileged-container (critical): Privileged container');
  });

  it('redelivering the same webhook posts no second review', async () => {
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 7,
      headSha: 'abc123',
      files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(deployment), content: deployment }],
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 'd1', name: 'pull_request', payload: prPayload('opened', 7, 'abc123') as never });
    expect(gh.state.threads?.map((t) => t.id)).toEqual(['PRRT_1']);
    await probot.receive({ id: 'd1', name: 'pull_request', payload: prPayload('opened', 7, 'abc123') as never });
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/7/reviews')).toHaveLength(1);
    const patches = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/') as Patch[];
    expect(patches.map((p) => p.conclusion)).toEqual(['failure', 'failure']);
    expect(patches[1]?.output.summary).toContain('suggested earlier (open thread)');
  });

  it('two deliveries at once (opened + a redelivery) still post one review', async () => {
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 7,
      headSha: 'abc123',
      files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(deployment), content: deployment }],
    }).install();
    const probot = await makeProbot();
    const event = { id: 'd9', name: 'pull_request', payload: prPayload('opened', 7, 'abc123') as never } as const;
    await Promise.all([probot.receive(event), probot.receive(event)]);
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/7/reviews')).toHaveLength(1);
    expect(gh.bodies('PATCH', '/repos/acme/gitops/check-runs/')).toHaveLength(2);
  });

  it('a clean PR gets a successful check and no review', async () => {
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 8,
      headSha: 'c1ea9',
      files: [
        { filename: 'k8s/settings.yaml', status: 'added', patch: addedPatch(CLEAN), content: CLEAN },
        { filename: 'README.md', status: 'modified', patch: '@@ -1 +1 @@\n-a\n+b', content: 'b\n' },
        { filename: 'k8s/old.yaml', status: 'removed', patch: '@@ -1 +0,0 @@\n-x' },
      ],
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 'd2', name: 'pull_request', payload: prPayload('synchronize', 8, 'c1ea9') as never });
    expect(gh.lines()).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'GET /repos/acme/gitops/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/.github/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/gitops/pulls/8/files?per_page=100&page=1',
      'GRAPHQL minprivContents',
      'GRAPHQL minprivThreads',
      'PATCH /repos/acme/gitops/check-runs/101',
    ]);
    const contents = gh.bodies('POST', '/graphql')[0] as { variables: Record<string, string> };
    expect(contents.variables).toEqual({
      owner: 'acme',
      name: 'gitops',
      e0: 'c1ea9:k8s/settings.yaml',
      e1: 'c1ea9:k8s/kustomization.yaml',
      e2: 'c1ea9:k8s/kustomization.yml',
      e3: 'c1ea9:k8s/Kustomization',
      e4: 'c1ea9:kustomization.yaml',
      e5: 'c1ea9:kustomization.yml',
      e6: 'c1ea9:Kustomization',
    });
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done).toEqual({
      status: 'completed',
      conclusion: 'success',
      output: { title: 'No findings in 1 changed manifest', summary: expect.stringContaining('**0 findings** in 1 scanned file') },
    });
    expect(done?.output.summary).toContain('1 changed file not matching `include`/`exclude`.');
  });

  it('a fork PR reads contents from the base repository at the head SHA', async () => {
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 9,
      headSha: 'f0rk5ha',
      files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(deployment), content: deployment }],
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 'd3', name: 'pull_request', payload: prPayload('opened', 9, 'f0rk5ha', { fork: true }) as never });
    const contents = gh.bodies('POST', '/graphql')[0] as { variables: Record<string, string> };
    expect(contents.variables).toEqual({
      owner: 'acme',
      name: 'gitops',
      e0: 'f0rk5ha:k8s/web.yaml',
      e1: 'f0rk5ha:k8s/kustomization.yaml',
      e2: 'f0rk5ha:k8s/kustomization.yml',
      e3: 'f0rk5ha:k8s/Kustomization',
      e4: 'f0rk5ha:kustomization.yaml',
      e5: 'f0rk5ha:kustomization.yml',
      e6: 'f0rk5ha:Kustomization',
    });
    expect(gh.requests.every((r) => !r.path.includes('contributor'))).toBe(true);
    expect(gh.bodies('POST', '/repos/acme/gitops/check-runs')).toEqual([{ name: 'minpriv', head_sha: 'f0rk5ha', status: 'in_progress', external_id: '9' }]);
    expect((gh.bodies('POST', '/repos/acme/gitops/pulls/9/reviews')[0] as Review).commit_id).toBe('f0rk5ha');
  });
});
