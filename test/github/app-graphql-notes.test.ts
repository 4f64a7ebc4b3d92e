import { readFileSync } from 'node:fs';
import nock from 'nock';
import { Probot, ProbotOctokit } from 'probot';
import { afterEach, describe, expect, it } from 'vitest';
import app from '../../src/app.js';
import { addedPatch, FakeGitHub, type FakeState } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

// Issue 14: the summary says when GraphQL failed and REST stood in; an answer with errors is not logged as an HTTP status.
const web = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');
const SHA = 'b10b000000000000000000000000000000000001';

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { conclusion?: string; output: { title: string; summary: string } };

function fake(state: Partial<FakeState>) {
  return new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 7,
    headSha: 'abc123',
    files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web, sha: SHA }],
    ...state,
  }).install();
}

/** Every line a pino-like logger is given (Probot and its children), as `level message`. */
function recordingLogger(lines: string[]) {
  const at =
    (level: string) =>
    (...args: unknown[]) => {
      const msg = args.find((a) => typeof a === 'string');
      if (msg !== undefined) lines.push(`${level} ${msg}`);
    };
  const log: Record<string, unknown> = { level: 'trace' };
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal']) log[level] = at(level);
  log.child = () => log;
  return log;
}

/** Like the harness's probot, with Octokit's retry plugin on (as in production) and the logs recorded. */
async function loggingProbot(lines: string[]): Promise<Probot> {
  nock.disableNetConnect();
  const probot = new Probot({
    githubToken: 'test-token',
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      retry: { enabled: true, retries: 1, retryAfterBaseValue: 1 },
      throttle: { enabled: false },
    })),
    log: recordingLogger(lines) as never,
  });
  await probot.load(app);
  return probot;
}

describe('the check summary says when GraphQL failed and REST was used', () => {
  it('an API without GraphQL: one note, once, naming the answer', async () => {
    const gh = fake({ graphql: 'http404' });
    const probot = await makeProbot();
    await probot.receive({ id: 'n1', name: 'pull_request', payload: prPayload('opened', 7, 'abc123') as never });
    // Found out once: no GraphQL query after the first one.
    expect(gh.lines().filter((l) => l.startsWith('GRAPHQL'))).toEqual(['GRAPHQL minprivContents']);
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    const notes = done?.output.summary.split('\n').filter((l) => l.includes('GraphQL'));
    expect(notes).toEqual([
      '- GraphQL is not available on this API (it answered HTTP 404): this run read through REST instead, and earlier review threads cannot be resolved.',
    ]);
  });

  it('GraphQL answering with errors: the note says it failed and what stood in', async () => {
    const gh = fake({ graphql: 'errors' });
    const probot = await makeProbot();
    await probot.receive({ id: 'n2', name: 'pull_request', payload: prPayload('opened', 7, 'abc123') as never });
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.output.summary.split('\n').filter((l) => l.includes('GraphQL'))).toEqual([
      `- GraphQL failed (error "Field 'object' doesn't exist on type 'Repository'"): what it did not give was read through REST instead.`,
    ]);
  });

  it('no note when GraphQL answered', async () => {
    const gh = fake({});
    const probot = await makeProbot();
    await probot.receive({ id: 'n3', name: 'pull_request', payload: prPayload('opened', 7, 'abc123') as never });
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.output.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    expect(done?.output.summary).not.toContain('GraphQL');
  });
});

describe('a GraphQL answer with errors is logged as such', () => {
  it('"Something went wrong" on HTTP 200 (which the retry plugin turns into a 500) is logged with its error, not as HTTP 500', async () => {
    const gh = fake({ graphql: 'went-wrong' });
    const lines: string[] = [];
    const probot = await loggingProbot(lines);
    await probot.receive({ id: 'w1', name: 'pull_request', payload: prPayload('opened', 7, 'abc123') as never });
    // The retry plugin asked twice (once plus one retry), for each query; every answer was a 200.
    expect(gh.requests.filter((r) => r.path === '/graphql').map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const error = 'error "Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug."';
    // One changed file and the six kustomization names beside it.
    expect(lines.filter((l) => l.startsWith('warn') && l.includes('GraphQL answered'))).toEqual([
      `warn content query for 7 files failed (GraphQL answered ${error}): reading what it did not give through REST`,
      `warn reading review threads of #7 failed (GraphQL answered ${error}): reading review comments through REST`,
    ]);
    expect(lines.join('\n')).not.toContain('HTTP 500');
    const [done] = gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[];
    expect(done?.output.summary).toContain(`- GraphQL failed (${error}): what it did not give was read through REST instead.`);
    expect(done?.output.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
  });
});
