import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearRepoRbacCache } from '../../src/github/repo-rbac.js';
import { addedPatch, FakeGitHub, shaOf } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

beforeEach(() => clearRepoRbacCache());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { conclusion?: string; output: { title: string; summary: string } };

const cm = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${n}\n  namespace: zz\ndata:\n  k: v\n`;
// Three files that sort before the PR's own one, with `rbac.maxFiles: 2`.
const TREE = { 'aa/c0.yaml': cm('0'), 'aa/c1.yaml': cm('1'), 'aa/c2.yaml': cm('2') };
const BINDING =
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: zz-admin\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: zz\n    namespace: zz\n';

describe('rbac.maxFiles (app)', () => {
  it('reads the files the PR touched whatever the cap leaves out: a new binding to cluster-admin past the cap still fails', async () => {
    const added = { filename: 'zz/rb.yaml', status: 'added' as const, patch: addedPatch(BINDING), content: BINDING };
    const gh = new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 41,
      headSha: 'capp',
      tree: TREE,
      config: 'rbac:\n  maxFiles: 2\n',
      files: [added],
    }).install();
    const probot = await makeProbot();
    await probot.receive({ id: 'c1', name: 'pull_request', payload: prPayload('opened', 41, 'capp') as never });
    expect(gh.lines().filter((l) => l.includes('/git/trees/') || l === 'GRAPHQL minprivRbacBlobs')).toEqual([
      'GET /repos/acme/gitops/git/trees/base000?recursive=1',
      'GET /repos/acme/gitops/git/trees/capp?recursive=1',
      'GRAPHQL minprivRbacBlobs',
      'GRAPHQL minprivRbacBlobs',
    ]);
    // Base: the first two by path (the PR's file is not there yet). Head: the PR's file, then one other by path.
    const asked = gh.requests
      .filter((r) => r.path === '/graphql' && (r.body as { query: string }).query.includes('minprivRbacBlobs'))
      .map((r) =>
        Object.entries((r.body as { variables: Record<string, string> }).variables)
          .filter(([k]) => /^o\d+$/.test(k))
          .map(([, v]) => v),
      );
    const sha = (path: string, content: string) => shaOf({ filename: path, status: 'modified', content });
    const key = (oids: string[]) => [...oids].sort().join(' ');
    expect(asked.map(key).sort()).toEqual(
      [key([sha('aa/c0.yaml', cm('0')), sha('aa/c1.yaml', cm('1'))]), key([shaOf(added), sha('aa/c0.yaml', cm('0'))])].sort(),
    );
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toMatch(/ · grants risky permissions$/);
    expect(done?.output.summary).toContain('The permission diff read the YAML file the pull request touched and the first 1 others of 4 (`rbac.maxFiles`).');
    expect(done?.output.summary).toContain('The permission diff read the first 2 of 3 YAML files (`rbac.maxFiles`).');
  });
});
