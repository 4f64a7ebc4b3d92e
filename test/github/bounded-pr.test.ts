import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenClient } from '../../src/github/client.js';
import { fetchContents } from '../../src/github/contents.js';
import { reviewPullRequest } from '../../src/github/run.js';
import type { ReviewPlan } from '../../src/review/plan.js';
import { addedPatch, FakeGitHub } from './fake-github.js';
import { OWNER, REPO } from './harness.js';
import { pod } from './synthetic.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const client = () => createTokenClient('t', { plain: true });
const target = { owner: OWNER, repo: REPO, pull_number: 9 };
const pull = { number: 9, headSha: 'h9', changedFiles: 1 };
const nginx = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: plain\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n';

function fakeWith(files: Record<string, string>) {
  return new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 9,
    headSha: 'h9',
    files: Object.entries(files).map(([filename, content]) => ({ filename, status: 'added' as const, patch: addedPatch(content), content })),
  }).install();
}

describe('findings kept per file (maxFindingsPerFile)', () => {
  it('shows and fixes the most severe findings of a file over the cap, and counts the rest in the totals and the conclusion', async () => {
    // Four medium findings first, then two critical ones.
    const content = [nginx, pod('p1', true), pod('p2', true)].join('---\n');
    fakeWith({ 'apps/bundle.yaml': content, 'apps/small.yaml': nginx.replace('plain', 'small') });
    const report = await reviewPullRequest(client(), target, { loadConfig: async () => ({ maxFindingsPerFile: 2 }), mode: 'dry-run', pull });
    const plan = report.plan as ReviewPlan;
    const bundle = plan.findings.filter((f) => f.file === 'apps/bundle.yaml');
    expect(bundle.map((f) => [f.ruleId, f.severity])).toEqual([
      ['privileged-container', 'critical'],
      ['privileged-container', 'critical'],
    ]);
    // The other file has four medium findings: its first two, in order.
    expect(plan.findings.filter((f) => f.file === 'apps/small.yaml')).toHaveLength(2);
    expect(plan.stats.findings).toBe(10);
    expect(report.title).toMatch(/^10 findings: 2 critical, 8 medium/);
    expect(report.conclusion).toBe('failure');
    expect(plan.annotations).toHaveLength(4);
    expect(report.summary).toContain(
      '`apps/bundle.yaml` has 6 findings: the 2 most severe are shown and fixed here, the other 4 are counted in the totals (`maxFindingsPerFile`).',
    );
    expect(plan.fixes.every((x) => x.resolves.every((fp) => plan.findings.some((f) => f.fingerprint === fp)))).toBe(true);
  });

  it('changes nothing under the cap', async () => {
    fakeWith({ 'apps/bundle.yaml': [nginx, pod('p1', true)].join('---\n') });
    const report = await reviewPullRequest(client(), target, { loadConfig: async () => null, mode: 'dry-run', pull });
    expect((report.plan as ReviewPlan).findings).toHaveLength(5);
    expect(report.summary).not.toContain('maxFindingsPerFile');
  });
});

describe('bytes read per pull request (maxPullRequestBytes)', () => {
  const files = { 'a.yaml': 'a'.repeat(400), 'b.yaml': 'b'.repeat(400), 'c.yaml': 'c'.repeat(400), 'd.yaml': 'd'.repeat(400), 'e.yaml': 'e'.repeat(400) };

  it('skips the files past the cap, in the order given, and queries no batch wholly past it', async () => {
    const gh = fakeWith(files);
    const out = await fetchContents(client(), { owner: OWNER, repo: REPO }, 'h9', Object.keys(files), { batch: 2, maxTotalBytes: 700 });
    expect(out.files.map((f) => ('content' in f ? `${f.path} read` : `${f.path} skipped: ${f.skipped}`))).toEqual([
      'a.yaml read',
      ...['b', 'c', 'd', 'e'].map(
        (x) =>
          `${x}.yaml skipped: past the pull request's byte cap: with it the changed files would hold more than 700 bytes (\`maxPullRequestBytes\`); split the pull request or raise the cap`,
      ),
    ]);
    // Batches of two start in order, two at a time: [a b] and [c d] are asked for; once [a b] holds 800 bytes, [e] is not.
    expect(gh.requests.filter((r) => r.path === '/graphql')).toHaveLength(2);
  });

  it('in a review, the files past the cap are errors named in the summary, never a silent pass', async () => {
    const big = [nginx, ...Array.from({ length: 4000 }, (_, i) => `# padding line ${i} ${'x'.repeat(200)}`)].join('\n');
    fakeWith({ 'apps/one.yaml': big, 'apps/two.yaml': big.replace('plain', 'two') });
    const report = await reviewPullRequest(client(), target, { loadConfig: async () => ({ maxPullRequestBytes: 1024 * 1024 }), mode: 'dry-run', pull });
    expect(report.conclusion).toBe('failure');
    expect(report.summary).toContain('apps/two.yaml');
    expect(report.summary).toContain('`maxPullRequestBytes`');
    expect((report.plan as ReviewPlan).findings.every((f) => f.file === 'apps/one.yaml')).toBe(true);
  });
});
