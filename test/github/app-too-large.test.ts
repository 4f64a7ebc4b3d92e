import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeFile, FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

// QA D10: a change inside a vendored file over maxFileBytes (argo-cd's install.yaml is 1.9 MB) must never pass the
// required check as "already present": the file was not scanned, which is an error under `onError`.
const pad = Array.from({ length: 10_000 }, (_, i) => `  k${i}: "${'x'.repeat(100)}"`).join('\n');
const bundle = (spec: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: padding\ndata:\n${pad}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n${spec}  containers:\n  - name: web\n    image: nginx:1.27\n`;
const base = bundle('');
const head = bundle('  hostNetwork: true\n  hostPID: true\n');
const line = base.split('\n').indexOf('spec:') + 1;
const patch = `@@ -${line},2 +${line},4 @@\n spec:\n+  hostNetwork: true\n+  hostPID: true\n   containers:`;

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { conclusion?: string; output: { title: string; summary: string; annotations?: unknown[] } };

async function run(config?: string) {
  const files: FakeFile[] = [{ filename: 'vendor/install.yaml', status: 'modified', patch, content: head, base, sha: 'b16b01' }];
  const gh = new FakeGitHub({ owner: OWNER, repo: REPO, number: 9, headSha: 'abc123', files, ...(config ? { config } : {}) }).install();
  const probot = await makeProbot();
  await probot.receive({ id: 't1', name: 'pull_request', payload: prPayload('opened', 9, 'abc123', { changedFiles: 1 }) as never });
  return { gh, done: (gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[])[0] };
}

describe('a PR changing a file over maxFileBytes', () => {
  const size = Buffer.byteLength(head);

  it('fails the check under onError: fail (the default): the title says the file was not checked, the summary names it and the knob', async () => {
    const { gh, done } = await run();
    expect(size).toBeGreaterThan(1024 * 1024);
    expect(gh.lines()).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'GET /repos/acme/gitops/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/.github/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/gitops/pulls/9/files?per_page=100&page=1',
      'GRAPHQL minprivContents',
      'GRAPHQL minprivThreads',
      'PATCH /repos/acme/gitops/check-runs/101',
    ]);
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('Nothing checked: 1 changed file could not be read · 1 error');
    expect(done?.output.summary).toContain(
      `### Skipped files\n\n- \`vendor/install.yaml\`: ${size} bytes, over the 1048576-byte limit: raise \`maxFileBytes\` in .github/minpriv.yml (up to 10485760), add the file to \`exclude\`, or set \`onError: neutral\``,
    );
    expect(done?.output.summary).not.toMatch(/already present|not valid YAML/);
    expect(done?.output.annotations ?? []).toEqual([]);
  });

  it('is neutral under onError: neutral; with maxFileBytes raised, the file is scanned and the new host namespaces fail it', async () => {
    expect((await run('onError: neutral\n')).done?.conclusion).toBe('neutral');
    nock.cleanAll();
    const { done } = await run('maxFileBytes: 2097152\n');
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('2 new, 4 already present: 2 high, 4 medium · 2 verified fixes');
  });
});
