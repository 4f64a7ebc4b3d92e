import nock from 'nock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addedPatch, FakeGitHub } from '../github/fake-github.js';
import { makeProbot, OWNER, prPayload, REPO } from '../github/harness.js';
import { runCaptured } from './run-cli.js';

// `minpriv review --pr` reads the configuration as the app does: Probot's reads (the repository's file, else the
// owner's `.github` repository's, then every `_extends`), Probot's YAML parser and merge, and a problem named in
// the file that holds it. Each case runs through the app (`probot.receive`) and through the CLI against the same
// fake GitHub; the check's conclusion, title and summary, and the config files read, must be the same.
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
const PRIV = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: p',
  'spec:',
  '  containers:',
  '  - name: app',
  '    image: nginx:1.27',
  '    securityContext:',
  '      privileged: true',
  '',
].join('\n');

type Check = { conclusion: string; title: string; summary: string };

function fake(config: string | undefined, orgConfig: string | undefined, content: string): FakeGitHub {
  return new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 4,
    headSha: 'cfg1',
    config,
    orgConfig,
    files: [{ filename: 'k8s/x.yaml', status: 'added', patch: addedPatch(content), content }],
  }).install();
}

const configReads = (gh: FakeGitHub) => gh.lines().filter((l) => l.includes('/contents/'));

async function viaApp(config: string | undefined, orgConfig: string | undefined, content: string): Promise<{ check: Check; reads: string[] }> {
  const gh = fake(config, orgConfig, content);
  const probot = await makeProbot();
  await probot.receive({ id: 'c1', name: 'pull_request', payload: prPayload('opened', 4, 'cfg1') as never });
  const done = gh.bodies('PATCH', `/repos/${OWNER}/${REPO}/check-runs/101`) as { conclusion: string; output: { title: string; summary: string } }[];
  const last = done[done.length - 1];
  if (!last) throw new Error('the app completed no check run');
  nock.cleanAll();
  return { check: { conclusion: last.conclusion, title: last.output.title, summary: last.output.summary }, reads: configReads(gh) };
}

async function viaCli(config: string | undefined, orgConfig: string | undefined, content: string): Promise<{ check: Check; reads: string[]; err: string }> {
  const gh = fake(config, orgConfig, content);
  // Octokit's own logger (console.error, bound when @octokit/core loads) writes failed requests to the
  // process's standard error: a config file that is absent is not one.
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const run = await runCaptured(['review', '--pr', `${OWNER}/${REPO}#4`, '--format', 'json'], process.cwd(), { GITHUB_TOKEN: 'ghs_testtoken' });
  let err = run.err;
  for (const call of stderr.mock.calls) err += String(call[0]);
  stderr.mockRestore();
  const json = JSON.parse(run.out) as Check;
  nock.cleanAll();
  return { check: { conclusion: json.conclusion, title: json.title, summary: json.summary }, reads: configReads(gh), err };
}

const CASES: { name: string; config?: string; org?: string; content: string; title: string | RegExp }[] = [
  {
    name: '`_extends: .github` whose settings apply (failOn raised, a rule turned off)',
    config: '_extends: .github\n',
    org: 'failOn: critical\nrules:\n  privileged-container: "off"\n',
    content: PRIV,
    title: /below failOn: critical/,
  },
  {
    name: 'the repository’s own value wins over the one it extends',
    config: '_extends: .github\nfailOn: critical\n',
    org: 'failOn: low\n',
    content: PRIV,
    title: /below failOn: critical|^\d+ findings?: .*critical/,
  },
  {
    name: 'a bad key in the extended file names that file',
    config: '_extends: .github\nfailOn: high\n',
    org: 'profile: strictest\nbogus: 1\n',
    content: CM,
    title: 'Invalid acme/.github:.github/minpriv.yml: 2 problems',
  },
  {
    name: 'bad keys in both files, arrays concatenated the extended file’s first',
    config: '_extends: .github\nfailOn: hgih\ninclude: [7]\n',
    org: 'failOn: high\nbogus: 1\ninclude: ["apps/**"]\n',
    content: CM,
    title: 'Invalid .github/minpriv.yml and acme/.github:.github/minpriv.yml: 3 problems',
  },
  {
    name: 'unparsable YAML in the extended file names that file',
    config: '_extends: .github\n',
    org: 'profile: [pss-restricted\n',
    content: CM,
    title: 'Invalid acme/.github:.github/minpriv.yml: not valid YAML',
  },
  {
    name: 'no file in the repository: the owner’s file it falls back to',
    org: 'bogus: 1\n',
    content: CM,
    title: 'Invalid acme/.github:.github/minpriv.yml: 1 problem',
  },
];

describe('minpriv review --pr reads the configuration as the app does', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const app = await viaApp(c.config, c.org, c.content);
      const cli = await viaCli(c.config, c.org, c.content);
      if (typeof c.title === 'string') expect(app.check.title).toBe(c.title);
      else expect(app.check.title).toMatch(c.title);
      expect(cli.check).toEqual(app.check);
      expect(cli.reads).toEqual(app.reads);
      // Config files the CLI finds absent are expected, not errors: nothing about them on standard error.
      expect(cli.err).not.toMatch(/404/);
    });
  }
});
