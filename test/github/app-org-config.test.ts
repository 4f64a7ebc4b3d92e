import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { addedPatch, FakeGitHub } from './fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from './harness.js';

// Issue 14: a bad key in a configuration Probot merges in (`_extends`, the owner's `.github` repository) names that file.
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type Patch = { conclusion?: string; output: { title: string; summary: string } };
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
const ORG_FILE = '`acme/.github:.github/minpriv.yml`';

function fake(config: string | undefined, orgConfig: string | undefined) {
  return new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 4,
    headSha: 'org1',
    config,
    orgConfig,
    files: [{ filename: 'k8s/cm.yaml', status: 'added', patch: addedPatch(CM), content: CM }],
  }).install();
}

async function run(gh: FakeGitHub): Promise<Patch | undefined> {
  const probot = await makeProbot();
  await probot.receive({ id: 'o1', name: 'pull_request', payload: prPayload('opened', 4, 'org1') as never });
  return (gh.bodies('PATCH', '/repos/acme/gitops/check-runs/101') as Patch[])[0];
}

const rows = (summary: string | undefined) => (summary ?? '').split('\n').filter((l) => l.startsWith('| `'));

describe('a bad key in a configuration Probot merges in', () => {
  it('`_extends: .github`: the check names the organisation file that holds the bad keys, not the repository’s', async () => {
    const gh = fake('_extends: .github\nfailOn: high\n', 'profile: strictest\nbogus: 1\n');
    const done = await run(gh);
    expect(gh.lines()).toEqual([
      'POST /repos/acme/gitops/check-runs',
      'GET /repos/acme/gitops/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/.github/contents/.github%2Fminpriv.yml',
      'GET /repos/acme/gitops/pulls/4/files?per_page=100&page=1',
      'PATCH /repos/acme/gitops/check-runs/101',
    ]);
    expect(done?.conclusion).toBe('failure');
    expect(done?.output.title).toBe('Invalid acme/.github:.github/minpriv.yml: 2 problems');
    const summary = done?.output.summary ?? '';
    expect(summary.split('\n')[0]).toBe(
      `${ORG_FILE} (this repository's configuration takes it in, through \`_extends\` or for want of its own) is not valid, so nothing was scanned. Fix these keys (see the [JSON Schema](https://github.com/minpriv/minpriv/blob/main/schema/minpriv.schema.json)):`,
    );
    expect(rows(summary)).toEqual(['| `profile: "strictest"` | expected one of `pss-baseline`, `pss-restricted`, `minpriv` |', '| `bogus` | unknown key |']);
  });

  it('bad keys in both files: each row names its file; the repository’s own value wins over the one it extends', async () => {
    // failOn: the repository's "hgih" overrides the organisation's valid "high": the bad value is the repository's.
    const gh = fake('_extends: .github\nfailOn: hgih\ninclude: [7]\n', 'failOn: high\nbogus: 1\ninclude: ["apps/**"]\n');
    const done = await run(gh);
    expect(done?.output.title).toBe('Invalid .github/minpriv.yml and acme/.github:.github/minpriv.yml: 3 problems');
    const summary = done?.output.summary ?? '';
    expect(summary).toContain('The configuration is not valid, so nothing was scanned. Fix these keys in the files that hold them');
    expect(
      summary
        .split('\n')
        .filter((l) => /^\| `[.a]/.test(l))
        .sort(),
    ).toEqual([
      '| `.github/minpriv.yml` | `failOn: "hgih"` | expected one of `critical`, `high`, `medium`, `low`, `info`; did you mean `high`? |',
      // Probot concatenates arrays, the extended file's first: item 1 is the repository's.
      '| `.github/minpriv.yml` | `include.1: 7` | Invalid input: expected string, received number |',
      '| `acme/.github:.github/minpriv.yml` | `bogus` | unknown key |',
    ]);
  });

  it('no file in the repository: the organisation file it falls back to is named', async () => {
    const gh = fake(undefined, 'bogus: 1\n');
    const done = await run(gh);
    expect(done?.output.title).toBe('Invalid acme/.github:.github/minpriv.yml: 1 problem');
    expect(done?.output.summary.startsWith(`${ORG_FILE} (this repository's configuration takes it in`)).toBe(true);
    expect(rows(done?.output.summary)).toEqual(['| `bogus` | unknown key |']);
  });

  it('unparsable YAML in the extended file names that file', async () => {
    const gh = fake('_extends: .github\n', 'profile: [pss-restricted\n');
    const done = await run(gh);
    expect(done?.output.title).toBe('Invalid acme/.github:.github/minpriv.yml: not valid YAML');
    expect(done?.output.summary.split('\n')[0]).toBe(
      `${ORG_FILE} (this repository's configuration takes it in, through \`_extends\` or for want of its own) is not valid YAML, so nothing was scanned.`,
    );
  });

  it('a bad key in the repository’s own file that extends a valid one still names the repository’s file', async () => {
    const gh = fake('_extends: .github\nbogus: 1\n', 'failOn: high\n');
    const done = await run(gh);
    expect(done?.output.title).toBe('Invalid .github/minpriv.yml: 1 problem');
    expect(done?.output.summary.split('\n')[0]).toMatch(/^`\.github\/minpriv\.yml` is not valid, so nothing was scanned\./);
  });
});
