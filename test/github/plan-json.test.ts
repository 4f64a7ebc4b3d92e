import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenClient } from '../../src/github/client.js';
import { publishReview, reviewPullRequest } from '../../src/github/run.js';
import { checkOutput, type ReviewPlan } from '../../src/review/plan.js';
import { addedPatch, FakeGitHub } from './fake-github.js';
import { OWNER, REPO } from './harness.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), 'utf8');

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const target = { owner: OWNER, repo: REPO, pull_number: 7 };
const pull = { number: 7, headSha: 'h7', changedFiles: 1 };

function fake() {
  const content = fixture('new-deployment.yaml');
  return new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 7,
    headSha: 'h7',
    files: [{ filename: 'apps/web.yaml', status: 'added', patch: addedPatch(content), content }],
  }).install();
}

const client = () => createTokenClient('t', { plain: true });

describe('the review plan is plain data', () => {
  it('survives JSON.stringify/JSON.parse, and publishing the copy makes exactly the same requests', async () => {
    nock.disableNetConnect();
    const reader = fake();
    const computed = await reviewPullRequest(client(), target, { loadConfig: async () => null, mode: 'dry-run', pull });
    const plan = computed.plan as ReviewPlan;
    expect(reader.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql')).toEqual([]);
    expect(plan.comments.length).toBeGreaterThan(0);
    const copy = JSON.parse(JSON.stringify(plan)) as ReviewPlan;
    expect(copy).toEqual(plan);
    nock.cleanAll();

    const publish = async (p: ReviewPlan) => {
      const gh = fake();
      const outcome = await publishReview(client(), target, pull, p, { info() {}, warn() {}, error() {} }, true);
      nock.cleanAll();
      return { requests: gh.requests, outcome, output: checkOutput(p, outcome) };
    };
    const original = await publish(plan);
    const fromJson = await publish(copy);
    expect(fromJson.requests).toEqual(original.requests);
    expect(original.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /repos/acme/gitops/pulls/7', 'POST /repos/acme/gitops/pulls/7/reviews']);
    expect(fromJson.outcome).toEqual({ notes: [], reviewPosted: true, resolved: [] });
    // Publishing does not change the plan.
    expect(copy).toEqual(JSON.parse(JSON.stringify(plan)));
    expect(fromJson.output).toEqual({ summary: plan.summary, text: plan.text });
  });

  it('a review the API refuses is told in the check output rendered from the plan, not by changing it', () => {
    const plan = {
      summary: 's',
      text: '',
      model: {
        config: { failOn: 'medium', scope: 'changed-resources', profile: 'pss-restricted' },
        findings: [],
        counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
        fixes: [],
        fixDiffs: {},
        placements: {},
        declined: {},
        suppressed: [],
        skipped: [],
        notices: [],
        notes: [],
        stats: { findings: 0, filesScanned: 1 },
      },
    } as unknown as ReviewPlan;
    const out = checkOutput(plan, { reviewError: 'GitHub answered 403 to the review' });
    expect(out.summary).toContain('> **Review not posted:** GitHub answered 403 to the review.');
    expect(plan.summary).toBe('s');
  });
});
