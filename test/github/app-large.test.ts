import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';
import { syntheticFiles } from './synthetic.js';

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = {
  status?: string;
  conclusion?: string;
  output: { title: string; summary: string; text?: string; annotations?: { path: string; start_line: number }[] };
};
type Review = { comments: { path: string; line: number; body: string }[] };

describe('a PR of 250 files and 120 findings', () => {
  it('paginates the files, batches contents and annotations, and caps the comments', async () => {
    const files = syntheticFiles(250, 120);
    files.push({ filename: 'docs/notes.md', status: 'added', patch: '@@ -0,0 +1 @@\n+hi', content: 'hi\n' });
    const gh = new FakeGitHub({ owner: OWNER, repo: REPO, number: 42, headSha: 'b1g', files }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 'L1', name: 'pull_request', payload: prPayload('opened', 42, 'b1g', { changedFiles: 251 }) as never });

    expect(gh.lines()).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'GET /repos/acme/gitops/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/.github/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/gitops/pulls/42/files?per_page=100&page=1',
      'GET /repos/acme/gitops/pulls/42/files?per_page=100&page=2',
      'GET /repos/acme/gitops/pulls/42/files?per_page=100&page=3',
      'GRAPHQL minprivContents',
      'GRAPHQL minprivContents',
      'GRAPHQL minprivContents',
      'GRAPHQL minprivContents',
      'GRAPHQL minprivContents',
      'GRAPHQL minprivThreads',
      'GET /repos/acme/gitops/pulls/42',
      'POST /repos/acme/gitops/pulls/42/reviews',
      'PATCH /repos/acme/gitops/check-runs/101',
      'PATCH /repos/acme/gitops/check-runs/101',
      'PATCH /repos/acme/gitops/check-runs/101',
    ]);
    const batches = gh.bodies('POST', '/graphql').slice(0, 5) as { variables: Record<string, string> }[];
    // 50 files per query; the first also asks for the three kustomization names of their folder, the last for the root's.
    expect(batches.map((b) => Object.keys(b.variables).length - 2)).toEqual([53, 50, 50, 50, 53]);
    expect(batches[4]?.variables.e49).toBe('b1g:apps/app-0249.yaml');
    expect([batches[0]?.variables.e50, batches[0]?.variables.e51, batches[0]?.variables.e52]).toEqual([
      'b1g:apps/kustomization.yaml',
      'b1g:apps/kustomization.yml',
      'b1g:apps/Kustomization',
    ]);

    const [review] = gh.bodies('POST', '/repos/acme/gitops/pulls/42/reviews') as Review[];
    expect(review?.comments).toHaveLength(30);
    expect(review?.comments[0]).toMatchObject({ path: 'apps/app-0000.yaml', line: 17 });
    expect(review?.comments[29]).toMatchObject({ path: 'apps/app-0029.yaml', line: 17 });
    expect(gh.requests.filter((r) => r.status >= 400 && !r.path.includes('contents'))).toEqual([]);

    const patches = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(patches.map((p) => [p.status, p.conclusion, p.output.annotations?.length])).toEqual([
      ['completed', 'failure', 50],
      [undefined, undefined, 50],
      [undefined, undefined, 20],
    ]);
    expect(patches[2]?.output.annotations?.at(-1)).toMatchObject({ path: 'apps/app-0119.yaml', start_line: 17 });
    const summary = patches[0]?.output.summary ?? '';
    expect(patches[0]?.output.title).toBe('120 findings: 120 critical · 120 verified fixes');
    const text = patches[0]?.output.text ?? '';
    // Every fix that is not a comment has its diff in output.text, and its row says so.
    expect(text.match(/\(not inline: over the `comments.max` limit\)/g)).toHaveLength(90);
    expect(summary.match(/\| diff in details below \|/g)).toHaveLength(90);
    expect(summary.match(/\| suggested inline \|/g)).toHaveLength(30);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(65_535);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(65_535);
  });
});
