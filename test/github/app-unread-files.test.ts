import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { addedPatch, type FakeFile, FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

// Issue 14: a changed file that could not be read is a gap in the check, not "no changed Kubernetes manifest".
const web = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');
const clean = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: info\n';

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { conclusion?: string; output: { title: string; summary: string } };

async function run(files: FakeFile[], blobStatus: Record<string, number>, blobs = files.map((f) => blobStatus[f.filename] ?? 200)) {
  const gh = new FakeGitHub({ owner: OWNER, repo: REPO, number: 8, headSha: 'abc123', graphql: 'http404', blobStatus, files }).install();
  const probot = await makeProbot();
  await probot.receive({ id: 'u1', name: 'pull_request', payload: prPayload('opened', 8, 'abc123', { changedFiles: files.length }) as never });
  expect(gh.requests.filter((r) => r.path.includes('/git/blobs/')).map((r) => r.status)).toEqual(blobs);
  return (gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[])[0];
}

describe('changed files that could not be read', () => {
  it('the only changed manifest unreadable: the title and the summary say it could not be read, never that there was none', async () => {
    const done = await run([{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web, sha: 'b10b01' }], { 'k8s/web.yaml': 404 });
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('Nothing checked: 1 changed file could not be read · 1 error');
    const summary = done?.output.summary ?? '';
    expect(summary.split('\n')[0]).toBe(
      '**0 findings** in 0 scanned files (scope `changed-resources`, profile `pss-restricted`, failing at `medium` and above). **1 changed file could not be read**, so it was not checked (see *Skipped files*).',
    );
    expect(summary).toContain(
      '### Skipped files\n\n- `k8s/web.yaml`: content could not be read (GraphQL answered HTTP 404; the git blob b10b01 answered HTTP 404)',
    );
    expect(`${done?.output.title}\n${summary}`).not.toMatch(/no changed Kubernetes manifest/i);
  });

  it('one of two unreadable: the readable one is checked, and the summary counts the other', async () => {
    const done = await run(
      [
        { filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web, sha: 'b10b01' },
        { filename: 'k8s/settings.yaml', status: 'added', patch: addedPatch(clean), content: clean, sha: 'b10b02' },
      ],
      { 'k8s/web.yaml': 500 },
    );
    expect(done?.output.title).toBe('No findings in 1 changed manifest · 1 error');
    expect(done?.output.summary.split('\n')[0]).toContain('in 1 scanned file (scope');
    expect(done?.output.summary.split('\n')[0]).toContain('**1 changed file could not be read**, so it was not checked (see *Skipped files*).');
  });

  it('nothing unreadable and no manifest: still "no changed Kubernetes manifest", and no gap is claimed', async () => {
    const notes = 'just text\n';
    // Not YAML: not read at all.
    const done = await run([{ filename: 'README.md', status: 'added', patch: addedPatch(notes), content: notes, sha: 'b10b03' }], {}, []);
    expect(done?.conclusion).toBe('success');
    expect(done?.output.title).toBe('Nothing checked: no changed Kubernetes manifest');
    expect(done?.output.summary).not.toContain('could not be read');
  });
});
