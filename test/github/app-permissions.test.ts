import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearRepoRbacCache } from '../../src/github/repo-rbac.js';
import { addedPatch, FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

beforeEach(() => clearRepoRbacCache());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = {
  conclusion?: string;
  output: { title: string; summary: string; annotations?: { path: string; start_line: number; annotation_level: string; message: string }[] };
};

// An unchanged ClusterRole that reads Secrets, an unchanged ServiceAccount and the Deployment that runs as it.
const TREE = {
  'rbac/secret-reader.yaml':
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: secret-reader\nrules:\n  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get, list, watch]\n',
  'shop/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: checkout\n  namespace: shop\n',
  'shop/deploy.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\n  namespace: shop\nspec:\n  selector: { matchLabels: { app: checkout } }\n  template:\n    metadata: { labels: { app: checkout } }\n    spec:\n      serviceAccountName: checkout\n      containers: [{ name: app, image: "shop/checkout:1.0" }]\n',
};
// The PR adds only this binding: the Secrets it grants come from a file it did not change.
const BINDING =
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: checkout-secrets\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: secret-reader\nsubjects:\n  - kind: ServiceAccount\n    name: checkout\n    namespace: shop\n';

function fake() {
  return new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 31,
    headSha: 'r0le',
    tree: TREE,
    files: [{ filename: 'shop/binding.yaml', status: 'added', patch: addedPatch(BINDING), content: BINDING }],
  }).install();
}

describe('what a pull request grants (app)', () => {
  it('reads the repository at base and head, shows the grant per subject with the workload, and fails on the risky addition', async () => {
    const gh = fake();
    const probot = await makeProbot();
    await probot.receive({ id: 'p1', name: 'pull_request', payload: prPayload('opened', 31, 'r0le') as never });
    const reads = gh.lines().filter((l) => l.includes('/git/trees/') || l === 'GRAPHQL minprivRbacBlobs');
    expect(reads.sort()).toEqual([
      'GET /repos/acme/gitops/git/trees/base000?recursive=1',
      'GET /repos/acme/gitops/git/trees/r0le?recursive=1',
      'GRAPHQL minprivRbacBlobs',
      'GRAPHQL minprivRbacBlobs',
    ]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toMatch(/ · grants risky permissions$/);
    const summary = done?.output.summary ?? '';
    expect(summary).toContain('### Permissions this change grants');
    expect(summary).toContain('ServiceAccount');
    expect(summary).toContain('shop/checkout');
    expect(summary).toContain('secrets');
    expect(summary).toContain('Deployment');
    // One annotation, on the binding the PR added; none in the unchanged ClusterRole's file.
    expect(done?.output.annotations?.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([['shop/binding.yaml', 1, 'failure']]);
    expect(done?.output.annotations?.[0]?.message).toBe('This grants Deployment shop/checkout (as ServiceAccount shop/checkout) the right to read Secrets.');

    // A push that changes nothing in RBAC blobs reads the two trees again, and no blob: they are cached by SHA.
    nock.cleanAll();
    const again = fake();
    await probot.receive({ id: 'p2', name: 'pull_request', payload: prPayload('synchronize', 31, 'r0le') as never });
    expect(
      again
        .lines()
        .filter((l) => l.includes('/git/trees/') || l === 'GRAPHQL minprivRbacBlobs')
        .sort(),
    ).toEqual(['GET /repos/acme/gitops/git/trees/base000?recursive=1', 'GET /repos/acme/gitops/git/trees/r0le?recursive=1']);
  });

  it('a PR that touches no RBAC kind reads nothing more', async () => {
    const content = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n';
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 32,
      headSha: 'c0nf',
      tree: TREE,
      files: [{ filename: 'shop/cm.yaml', status: 'added', patch: addedPatch(content), content }],
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 'p3', name: 'pull_request', payload: prPayload('opened', 32, 'c0nf') as never });
    expect(gh.lines().filter((l) => l.includes('/git/trees/') || l.includes('RbacBlobs'))).toEqual([]);
  });
});
