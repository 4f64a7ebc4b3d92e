import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), 'utf8');

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { conclusion?: string; output: { title: string; summary: string; annotations?: { annotation_level: string; message: string }[] } };

// The memory bump of a DaemonSet that already mounted hostPath and lacked container hardening (issue 11 §4).
const patch =
  '@@ -21,7 +21,7 @@\n               readOnly: true\n           resources:\n             limits:\n-              memory: 128Mi\n+              memory: 256Mi\n       tolerations:\n         - operator: Exists\n       priorityClassName: system-node-critical';

function fake(base: string | undefined) {
  return new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 21,
    headSha: 'b0b',
    files: [{ filename: 'agents/ds.yaml', status: 'modified', patch, content: fixture('daemonset-hostpath.yaml'), ...(base ? { base } : {}) }],
  }).install();
}

describe('a change is answerable for what it introduced', () => {
  it('reads the base version in the same content query, passes, lists the findings as already present, and posts no review', async () => {
    const gh = fake(fixture('daemonset-hostpath.base.yaml'));
    const probot = await makeProbot();
    await probot.receive({ id: 'x1', name: 'pull_request', payload: prPayload('synchronize', 21, 'b0b') as never });
    expect(gh.requests.filter((r) => r.status === 422)).toEqual([]);
    // Same requests as before: one content query (head and base aliases), no extra read.
    expect(gh.lines().filter((l) => l.startsWith('GRAPHQL'))).toEqual(['GRAPHQL minprivContents', 'GRAPHQL minprivThreads']);
    const [contents] = gh.bodies('POST', '/graphql') as { variables: Record<string, string> }[];
    expect(contents?.variables.b0).toBe('base000:agents/ds.yaml');
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/21/reviews')).toEqual([]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('success');
    expect(done?.output.title).toBe('0 new, 3 already present: 1 high, 2 medium · 1 verified fix');
    expect(done?.output.summary).toContain('Already present: 3 findings were there before this change');
    expect(done?.output.annotations?.map((a) => a.annotation_level)).toEqual(['notice', 'notice', 'notice']);
    expect(done?.output.annotations?.[0]?.message).toContain('(already present before this change)');
  });

  it('without a base version (GraphQL gave none), every finding counts as new, as before', async () => {
    const gh = fake(undefined);
    const probot = await makeProbot();
    await probot.receive({ id: 'x2', name: 'pull_request', payload: prPayload('synchronize', 21, 'b0b') as never });
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toMatch(/^3 findings: 1 high, 2 medium/);
  });
});
