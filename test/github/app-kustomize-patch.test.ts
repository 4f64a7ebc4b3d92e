import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

// QA #1: the most common GitOps PR, an image bump in an overlay patch (SOURCE: /tmp/qa/repro/p6).
const PATCH = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.1
`;
const KUSTOMIZATION = `resources: [../../base]
patches:
  - path: image-patch.yaml
`;
const DIFF =
  '@@ -7,4 +7,4 @@\n     spec:\n       containers:\n         - name: web\n-          image: ghcr.io/acme/web:1.0.0\n+          image: ghcr.io/acme/web:1.0.1';

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { conclusion?: string; output: { title: string; summary: string } };

function pr(tree: Record<string, string>): FakeGitHub {
  return new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 12,
    headSha: 'k05',
    files: [{ filename: 'overlays/prod/image-patch.yaml', status: 'modified', patch: DIFF, content: PATCH }],
    tree,
  }).install();
}

describe('a PR that changes only a kustomize patch file', () => {
  it('reads the kustomization beside it in the same content query and treats the patch as partial', async () => {
    const gh = pr({ 'overlays/prod/kustomization.yaml': KUSTOMIZATION });
    const probot = await makeProbot();
    await probot.receive({ id: 'k1', name: 'pull_request', payload: prPayload('synchronize', 12, 'k05') as never });

    expect(gh.lines()).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'GET /repos/acme/gitops/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/.github/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/gitops/pulls/12/files?per_page=100&page=1',
      'GRAPHQL minprivContents',
      'GRAPHQL minprivThreads',
      'PATCH /repos/acme/gitops/check-runs/101',
    ]);
    const [contents] = gh.bodies('POST', '/graphql') as { query: string; variables: Record<string, string> }[];
    expect(contents?.variables).toEqual({
      // The patch's base version rides in the same query (findings already there are not new).
      b0: 'base000:overlays/prod/image-patch.yaml',
      owner: 'acme',
      name: 'gitops',
      e0: 'k05:overlays/prod/image-patch.yaml',
      e1: 'k05:overlays/prod/kustomization.yaml',
      e2: 'k05:overlays/prod/kustomization.yml',
      e3: 'k05:overlays/prod/Kustomization',
      e4: 'k05:overlays/kustomization.yaml',
      e5: 'k05:overlays/kustomization.yml',
      e6: 'k05:overlays/Kustomization',
      e7: 'k05:kustomization.yaml',
      e8: 'k05:kustomization.yml',
      e9: 'k05:Kustomization',
    });
    expect(contents?.query).toContain('f3: object(expression: $e3) { ... on Blob { text byteSize isBinary isTruncated oid } }');
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/12/reviews')).toEqual([]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('success');
    expect(done?.output.title).toBe('No findings in 1 changed manifest');
    expect(done?.output.summary).toContain('partial manifest (patch): only the fields it sets are checked');
  });

  it('QA2 #1: a patch in a subfolder listed by the kustomization of a parent folder stays partial', async () => {
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 12,
      headSha: 'k06',
      files: [{ filename: 'overlays/prod/patches/image-patch.yaml', status: 'modified', patch: DIFF, content: PATCH }],
      tree: { 'overlays/prod/kustomization.yaml': 'resources: [../../base]\npatches:\n  - path: patches/image-patch.yaml\n' },
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 'k3', name: 'pull_request', payload: prPayload('synchronize', 12, 'k06') as never });
    expect(gh.lines().filter((l) => l.startsWith('GRAPHQL'))).toEqual(['GRAPHQL minprivContents', 'GRAPHQL minprivThreads']);
    const [contents] = gh.bodies('POST', '/graphql') as { variables: Record<string, string> }[];
    // 13 head aliases (the patch and the kustomization candidates), owner, name, and the patch's base version.
    expect(Object.keys(contents?.variables ?? {}).length).toBe(16);
    expect(contents?.variables.e4).toBe('k06:overlays/prod/kustomization.yaml');
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('success');
    expect(done?.output.title).toBe('No findings in 1 changed manifest');
    expect(done?.output.summary).toContain('partial manifest (patch): only the fields it sets are checked');
  });

  it('without a kustomization beside it, the same file is a full Deployment and fails', async () => {
    const gh = pr({});
    const probot = await makeProbot();
    await probot.receive({ id: 'k2', name: 'pull_request', payload: prPayload('synchronize', 12, 'k05') as never });
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('4 findings: 4 medium · 1 verified fix');
  });
});
