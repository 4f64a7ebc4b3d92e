import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { completeCheckRun } from '../../src/github/check-run.js';
import { createTokenClient, silentLog } from '../../src/github/client.js';
import { addedPatch, FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

const web = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Annotation = { path: string; annotation_level: string; title: string };
type Patch = { status?: string; conclusion?: string; output: { title: string; summary: string; text?: string; annotations?: Annotation[] } };

function install(extra: Partial<ConstructorParameters<typeof FakeGitHub>[0]> = {}) {
  return new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 11,
    headSha: 'f00d',
    files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }],
    ...extra,
  }).install();
}

function draft(action: string) {
  const payload = prPayload(action, 11, 'f00d');
  payload.pull_request.draft = true;
  return payload;
}

describe('draft pull requests', () => {
  it('drafts: check (the default): the check run with the fixes in its details, no review; ready_for_review posts it', async () => {
    const gh = install();
    const probot = await makeProbot();
    await probot.receive({ id: 'd1', name: 'pull_request', payload: draft('opened') as never });
    expect(gh.lines().filter((l) => !l.startsWith('GET') && !l.startsWith('GRAPHQL'))).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'PATCH /repos/acme/gitops/check-runs/101',
    ]);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    expect(done?.output.summary.startsWith('> **Draft pull request:** the fixes are in this check only (`drafts: check`)')).toBe(true);
    expect(done?.output.text).toContain('```diff');
    expect(done?.output.annotations).toHaveLength(5);

    const ready = prPayload('ready_for_review', 11, 'f00d');
    await probot.receive({ id: 'd2', name: 'pull_request', payload: ready as never });
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/11/reviews')).toHaveLength(1);
    const second = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/102')[0] as Patch;
    expect(second.output.summary).not.toContain('Draft pull request');
  });

  it('drafts: check gives the draft as the reason the fixes are not inline, not `suggestions: false`', async () => {
    const gh = install();
    const probot = await makeProbot();
    await probot.receive({ id: 'd6', name: 'pull_request', payload: draft('opened') as never });
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.output.text).toContain('(not inline: this pull request is a draft: the review is posted when it is marked ready for review)');
    expect(done?.output.text).not.toContain('suggestions: false');

    // A repository that turned suggestions off gets that reason, draft or not.
    nock.cleanAll();
    const off = install({ config: 'suggestions: false\n' });
    await probot.receive({ id: 'd7', name: 'pull_request', payload: draft('synchronize') as never });
    const [offDone] = off.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(offDone?.output.text).toContain('(not inline: inline suggestions are off (`suggestions: false`))');
    expect(offDone?.output.text).not.toContain('is a draft');
  });

  it('drafts: skip: nothing but the config read until the pull request is ready', async () => {
    const gh = install({ config: 'drafts: skip\n' });
    const probot = await makeProbot();
    await probot.receive({ id: 'd3', name: 'pull_request', payload: draft('opened') as never });
    expect(gh.lines()).toEqual(['GET /repos/acme/gitops/contents/.github%2Fminpriv.yml']);
  });

  it('drafts: review: a draft is reviewed like any pull request; an invalid value fails the check like any bad key', async () => {
    const gh = install({ config: 'drafts: review\n' });
    const probot = await makeProbot();
    await probot.receive({ id: 'd4', name: 'pull_request', payload: draft('opened') as never });
    expect(gh.bodies('POST', '/repos/acme/gitops/pulls/11/reviews')).toHaveLength(1);

    nock.cleanAll();
    const bad = install({ config: 'drafts: never\n' });
    await probot.receive({ id: 'd5', name: 'pull_request', payload: draft('synchronize') as never });
    const [done] = bad.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.output.summary).toContain('drafts');
    expect(done?.output.summary).toContain('`check`, `review`, `skip`');
  });
});

describe('annotations.max', () => {
  it('keeps the most severe annotations and counts the rest in the summary', async () => {
    const gh = install({ config: 'failOn: critical\nannotations:\n  max: 2\n' });
    const probot = await makeProbot();
    await probot.receive({ id: 'a1', name: 'pull_request', payload: prPayload('opened', 11, 'f00d') as never });
    const patches = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(patches).toHaveLength(1);
    expect(patches[0]?.output.annotations?.map((a) => a.annotation_level)).toEqual(['failure', 'warning']);
    expect(patches[0]?.output.summary).toMatch(
      /\n\n> 3 more findings have no annotation: at most 2 are written \(`annotations.max`\), the most severe first\.$/,
    );
  });

  it('defaults to 500: 600 annotations make 10 writes, not 12, the failures first', async () => {
    const gh = install();
    const annotations = Array.from({ length: 600 }, (_, i) => ({
      path: `k8s/f${i}.yaml`,
      start_line: 1,
      end_line: 1,
      annotation_level: i % 3 === 0 ? ('failure' as const) : ('warning' as const),
      message: 'm',
      title: 't',
    }));
    const output = { conclusion: 'failure' as const, title: 'T', summary: 'S', text: '' };
    await completeCheckRun(createTokenClient('t', { plain: true }), { owner: OWNER, repo: REPO }, 101, output, annotations, silentLog);
    const patches = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(patches).toHaveLength(10);
    const written = patches.flatMap((p) => p.output.annotations ?? []);
    expect(written).toHaveLength(500);
    expect(written.slice(0, 200).every((a) => a.annotation_level === 'failure')).toBe(true);
    expect(patches[0]?.output.summary).toBe('S\n\n> 100 more findings have no annotation: at most 500 are written (`annotations.max`), the most severe first.');
  });
});
