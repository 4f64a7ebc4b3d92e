import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeFile, FakeGitHub, type FakeState } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

// Without GraphQL, the kustomizations of the changed files' folders (and their ancestors) are found in one head-tree read.
const map = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  level: info\n`;
const patch =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web:2\n';
const FILES: FakeFile[] = [
  {
    filename: 'apps/web/base/settings.yaml',
    status: 'added',
    patch: '@@ -0,0 +1,6 @@\n+x',
    content: map('web'),
    sha: 'a000000000000000000000000000000000000001',
  },
  {
    filename: 'apps/web/overlays/prod/patch.yaml',
    status: 'modified',
    patch: '@@ -10 +10 @@\n-          image: web:1\n+          image: web:2',
    content: patch,
    sha: 'a000000000000000000000000000000000000002',
  },
  { filename: 'apps/api/settings.yaml', status: 'added', patch: '@@ -0,0 +1,6 @@\n+x', content: map('api'), sha: 'a000000000000000000000000000000000000003' },
];
const KUSTOMIZATION = { 'apps/web/overlays/prod/kustomization.yaml': 'resources: [../../base]\npatches:\n  - path: patch.yaml\n' };

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

async function run(state: Partial<FakeState>): Promise<{ gh: FakeGitHub; summary: string }> {
  const gh = new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 7,
    headSha: 'abc123',
    files: FILES,
    graphql: 'http404',
    tree: KUSTOMIZATION,
    ...state,
  }).install();
  const probot = await makeProbot();
  await probot.receive({ id: 't1', name: 'pull_request', payload: prPayload('opened', 7, 'abc123', { changedFiles: 3 }) as never });
  const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as { output: { summary: string } }[];
  return { gh, summary: done?.output.summary ?? '' };
}

/** The content reads (git objects and contents API, the config aside), sorted: they run concurrently. */
function reads(gh: FakeGitHub): string[] {
  return gh
    .lines()
    .filter((l) => (l.includes('/git/') || l.includes('/contents/')) && !l.includes('minpriv.yml'))
    .sort();
}

describe('REST fallback with a readable head tree', () => {
  it('makes 1 tree read, 1 read of the one kustomization, and 1 blob per changed file', async () => {
    const { gh, summary } = await run({});
    expect(reads(gh)).toEqual([
      'GET /repos/acme/gitops/git/blobs/a000000000000000000000000000000000000001',
      'GET /repos/acme/gitops/git/blobs/a000000000000000000000000000000000000002',
      'GET /repos/acme/gitops/git/blobs/a000000000000000000000000000000000000003',
      'GET /repos/acme/gitops/git/blobs/cf5116d49202d3e29ad9f4ed5cf1db9e052727da',
      'GET /repos/acme/gitops/git/trees/abc123?recursive=1',
    ]);
    expect(gh.requests.filter((r) => r.status === 404).map((r) => r.path)).toEqual([
      '/repos/acme/gitops/contents/.github%2Fminpriv.yml',
      '/repos/acme/.github/contents/.github%2Fminpriv.yml',
      '/graphql',
    ]);
    expect(summary).toContain('partial manifest (patch)');
  });
});

describe('REST fallback without a usable head tree', () => {
  const probes = (gh: FakeGitHub) => gh.lines().filter((l) => /contents\/.*ustomization/.test(l)).length;

  it('probes each kustomization name when the tree comes back truncated, and still finds the patch kustomization', async () => {
    const { gh, summary } = await run({ gitTree: 'truncated' });
    // 7 folders (3 changed ones and their ancestors up to the root) x 3 names.
    expect(probes(gh)).toBe(21);
    expect(gh.lines()).toContain('GET /repos/acme/gitops/contents/apps%2Fweb%2Foverlays%2Fprod%2Fkustomization.yaml?ref=abc123');
    expect(gh.lines().filter((l) => l.includes('/git/trees/'))).toEqual(['GET /repos/acme/gitops/git/trees/abc123?recursive=1']);
    expect(summary).toContain('partial manifest (patch)');
  });

  it('probes the same way when the tree read fails', async () => {
    const { gh, summary } = await run({ gitTree: 500 });
    expect(probes(gh)).toBe(21);
    expect(summary).toContain('partial manifest (patch)');
  });
});
