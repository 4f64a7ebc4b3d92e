import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { addedPatch, FakeGitHub } from '../github/fake-github.js';
import { applySuggestions } from '../github/suggest.js';
import { TempRepo } from '../sources/git-repo.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), 'utf8');
let repo: TempRepo | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
  nock.cleanAll();
  nock.enableNetConnect();
});

async function cli(argv: string[], cwd: string, env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: new PassThrough(),
    cwd,
    env,
  });
  return { code, out, err };
}

function branchRepo(): TempRepo {
  const r = new TempRepo();
  r.write('apps/api.yaml', fixture('modified-api.yaml').replace('tier: backend', 'tier: web'));
  r.write('README.md', 'docs\n');
  r.commit('base');
  r.git('checkout', '-q', '-b', 'feature');
  r.write('apps/api.yaml', fixture('modified-api.yaml'));
  r.write('k8s/web.yaml', fixture('new-deployment.yaml'));
  r.commit('feature');
  return r;
}

describe('minpriv review --base', () => {
  it('prints, as JSON, exactly the bodies the app would post', async () => {
    repo = branchRepo();
    const { code, out } = await cli(['review', '--base', 'main', '--format', 'json'], repo.dir);
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['conclusion', 'title', 'summary', 'text', 'annotations', 'comments', 'findings', 'permissionDiff']);
    expect(json.conclusion).toBe('failure');
    expect(json.title).toBe('5 new, 5 already present: 2 critical, 8 medium · 2 verified fixes');
    expect(Object.keys(json.annotations[0]).sort()).toEqual(['annotation_level', 'end_line', 'message', 'path', 'start_line', 'title']);
    expect(json.annotations.map((a: { path: string; start_line: number }) => `${a.path}:${a.start_line}`)).toEqual([
      'apps/api.yaml:17',
      'apps/api.yaml:17',
      'apps/api.yaml:21',
      'apps/api.yaml:21',
      'apps/api.yaml:22',
      'k8s/web.yaml:7',
      'k8s/web.yaml:7',
      'k8s/web.yaml:11',
      'k8s/web.yaml:11',
      'k8s/web.yaml:12',
    ]);
    // The api.yaml fix lies outside its hunk (lines 4-10): a diff block, not a comment.
    expect(json.comments.map((c: { path: string; line: number; side: string }) => [c.path, c.line, c.side])).toEqual([['k8s/web.yaml', 12, 'RIGHT']]);
    expect(Object.keys(json.comments[0]).sort()).toEqual(['body', 'line', 'path', 'side']);
    expect(applySuggestions(fixture('new-deployment.yaml'), json.comments)).toBe(fixture('new-deployment.fixed.yaml'));
    expect(json.text).toContain('**`apps/api.yaml`** line 22:');
  });

  it('is the same pipeline as the app: identical output for the same change', async () => {
    repo = branchRepo();
    const { out } = await cli(['review', '--base', 'main', '--format', 'json'], repo.dir);
    const local = JSON.parse(out);
    const web = fixture('new-deployment.yaml');
    const gh = new FakeGitHub({
      owner: 'o',
      repo: 'r',
      number: 1,
      headSha: 'h1',
      files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }],
    }).install();
    const api = await cli(['review', '--pr', 'o/r#1', '--format', 'json'], repo.dir, { GITHUB_TOKEN: 'ghs_testtoken' });
    const remote = JSON.parse(api.out);
    expect(remote.comments).toEqual(local.comments);
    expect(gh.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql')).toEqual([]);
  });

  it('honours --config and .github/minpriv.yml, and reports an invalid config like the app', async () => {
    repo = branchRepo();
    // The config that applies is the base's (QA D14): committed on main, the branch's base.
    repo.git('checkout', '-q', 'main');
    repo.write('.github/minpriv.yml', 'failOn: critical\nscope: changed-lines\n');
    repo.commit('config');
    repo.git('checkout', '-q', 'feature');
    const ok = await cli(['review', '--base', 'main', '--format', 'json'], repo.dir);
    expect(JSON.parse(ok.out).title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    repo.write('bad.yml', 'scope: everything\n');
    const bad = await cli(['review', '--base', 'main', '--config', 'bad.yml'], repo.dir);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('minpriv check: failure — Invalid .github/minpriv.yml: 1 problem');
    expect(bad.out).toContain('| `scope: "everything"` | expected one of `changed-lines`, `changed-resources`, `changed-files` |');
  });

  it('text output lists the review comments; usage errors exit 2', async () => {
    repo = branchRepo();
    const { code, out } = await cli(['review', '--base', 'main'], repo.dir);
    expect(code).toBe(1);
    expect(out).toContain('Review: 1 suggestion comment');
    expect(out).toContain('--- k8s/web.yaml:12');
    expect((await cli(['review'], repo.dir)).code).toBe(2);
    expect((await cli(['review', '--base', 'nope'], repo.dir)).err).toContain('unknown git revision "nope"');
    expect((await cli(['review', '--pr', 'o/r#1'], repo.dir)).err).toContain('GITHUB_TOKEN');
  });
});

describe('minpriv review --base: a merged fix that does not fit the hunk (QA #8, repro p10)', () => {
  it('by default the findings were already there: the check passes, they are notices, and no suggestion is posted', async () => {
    repo = new TempRepo();
    repo.write('ds.yaml', fixture('daemonset-hostpath.base.yaml'));
    repo.commit('base');
    repo.write('ds.yaml', fixture('daemonset-hostpath.yaml'));
    repo.commit('bump memory');
    const { code, out } = await cli(['review', '--base', 'HEAD~1', '--format', 'json'], repo.dir);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect([json.conclusion, json.title]).toEqual(['success', '0 new, 3 already present: 1 high, 2 medium · 1 verified fix']);
    expect(json.comments).toEqual([]);
    expect(json.annotations.map((a: { annotation_level: string }) => a.annotation_level)).toEqual(['notice', 'notice', 'notice']);
    expect(json.findings.map((f: { ruleId: string; new: boolean }) => [f.ruleId, f.new])).toEqual([
      ['allow-privilege-escalation', false],
      ['capabilities-restricted', false],
      ['restricted-volume-types', false],
    ]);
    expect(json.findings[0]).toEqual({
      ruleId: 'allow-privilege-escalation',
      severity: 'medium',
      file: 'ds.yaml',
      line: 16,
      resource: expect.objectContaining({ kind: 'DaemonSet' }),
      new: false,
    });
    expect(json.summary).toContain(
      'Already present: 3 findings were there before this change (marked *already present*); only new findings fail the check (`failOnExisting: false`).',
    );
    expect(json.summary).toContain('| *already present*: pod uses `hostPath` volume `varlog`');
    expect(json.text).toContain('(not inline: it fixes findings that were there before this change, on lines it did not change)');
  });

  it('with failOnExisting: true, posts the safe container hardening inline and leaves the hostPath removal, as a minimal diff, in the summary', async () => {
    repo = new TempRepo();
    repo.write('ds.yaml', fixture('daemonset-hostpath.base.yaml'));
    repo.write('.github/minpriv.yml', 'failOnExisting: true\n');
    repo.commit('base');
    repo.write('ds.yaml', fixture('daemonset-hostpath.yaml'));
    repo.commit('bump memory');
    const { code, out } = await cli(['review', '--base', 'HEAD~1', '--format', 'json'], repo.dir);
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(json.title).toBe('0 new, 3 already present: 1 high, 2 medium · 2 verified fixes');
    expect(json.comments.map((c: { path: string; line: number; start_line?: number }) => [c.path, c.start_line, c.line])).toEqual([['ds.yaml', undefined, 24]]);
    expect(json.comments[0].body).toContain('**minpriv** · safe fix: set `allowPrivilegeEscalation: false`; drop ALL capabilities');
    expect(applySuggestions(fixture('daemonset-hostpath.yaml'), json.comments)).toBe(fixture('daemonset-hostpath.fixed.yaml'));
    expect(json.summary).toContain(
      '| 31 | `restricted-volume-types` | high | *already present*: pod uses `hostPath` volume `varlog` (`/var/log`) | diff in details below |',
    );
    expect(json.text).toContain(
      [
        '**`ds.yaml`** lines 18–32: remove volume `varlog` and its mounts (not inline: its lines are not all inside one hunk of the diff)',
        '> **Check first:** the data on the node path (`/var/log`) is no longer available to the containers; use a PersistentVolumeClaim, a ConfigMap or an emptyDir instead',
        '',
        '```diff',
        '@@ -15,10 +15,6 @@',
        '       containers:',
        '         - name: agent',
        '           image: ghcr.io/acme/agent:1.0.0',
        '-          volumeMounts:',
        '-            - name: varlog',
        '-              mountPath: /var/log',
        '-              readOnly: true',
        '           resources:',
        '             limits:',
        '               memory: 256Mi',
        '@@ -26,7 +22,3 @@',
        '         - operator: Exists',
        '       priorityClassName: system-node-critical',
        '       terminationGracePeriodSeconds: 30',
        '-      volumes:',
        '-        - name: varlog',
        '-          hostPath:',
        '-            path: /var/log',
        '```',
      ].join('\n'),
    );
  });
});

describe('minpriv review --base: a pure rename (QA #12)', () => {
  it('keeps old findings out of scope under changed-resources, and words the summary as git reports it under changed-files', async () => {
    repo = new TempRepo();
    repo.write('misc/web.yaml', fixture('new-deployment.yaml'));
    repo.commit('base');
    repo.git('mv', 'misc/web.yaml', 'misc/web-deployment.yaml');
    repo.commit('rename');
    const quiet = await cli(['review', '--base', 'HEAD~1', '--format', 'json'], repo.dir);
    expect(quiet.code).toBe(0);
    const q = JSON.parse(quiet.out);
    expect([q.conclusion, q.title, q.comments.length]).toEqual(['success', 'No findings in 1 changed manifest', 0]);
    expect(q.summary).toContain('- 5 findings outside the changed resources not shown.');
    // Through --config: an uncommitted .github/minpriv.yml is not the base's, so it would not apply (QA D14).
    repo.write('cfg.yml', 'scope: changed-files\n');
    const listed = JSON.parse((await cli(['review', '--base', 'HEAD~1', '--config', 'cfg.yml', '--format', 'json'], repo.dir)).out);
    // A rename introduces nothing: its findings are listed, as already present, and the check passes.
    expect([listed.conclusion, listed.title]).toEqual(['success', '0 new, 5 already present: 1 critical, 4 medium · 1 verified fix']);
    repo.write('cfg.yml', 'scope: changed-files\nfailOnExisting: true\n');
    const loud = JSON.parse((await cli(['review', '--base', 'HEAD~1', '--config', 'cfg.yml', '--format', 'json'], repo.dir)).out);
    expect(loud.conclusion).toBe('failure');
    expect(loud.text).toContain('(not inline: git reports a rename with no changed lines)');
    expect(loud.summary).not.toContain('GitHub gave no diff');
  });
});

describe('minpriv review --pr: the config (QA2 #10)', () => {
  it("reads the repository's .github/minpriv.yml through the API, not the current folder's; --config still wins", async () => {
    repo = branchRepo();
    repo.write('.github/minpriv.yml', 'failOn: hgih\n');
    const web = fixture('new-deployment.yaml');
    const gh = new FakeGitHub({
      owner: 'o',
      repo: 'r',
      number: 3,
      headSha: 'h3',
      config: 'failOn: critical\nrules:\n  privileged-container: "off"\n',
      files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }],
    }).install();
    const fromRepo = await cli(['review', '--pr', 'o/r#3', '--format', 'json'], repo.dir, { GITHUB_TOKEN: 'ghs_testtoken' });
    expect(fromRepo.code).toBe(0);
    expect(JSON.parse(fromRepo.out).conclusion).toBe('success');
    expect(JSON.parse(fromRepo.out).title).toBe('4 findings: 4 medium (below failOn: critical) · 1 verified fix');
    expect(gh.lines().slice(0, 2)).toEqual(['GET /repos/o/r/pulls/3', 'GET /repos/o/r/contents/.github%2Fminpriv.yml']);
    const local = await cli(['review', '--pr', 'o/r#3', '--config', '.github/minpriv.yml'], repo.dir, { GITHUB_TOKEN: 'ghs_testtoken' });
    expect(local.out).toContain('minpriv check: failure — Invalid .github/minpriv.yml: 1 problem');
  });
});

describe("minpriv review --pr: a config from the owner's .github repository", () => {
  const web = fixture('new-deployment.yaml');
  const files = [{ filename: 'k8s/web.yaml', status: 'added' as const, patch: addedPatch(web), content: web }];
  const review = async (config: { config?: string; orgConfig?: string }) => {
    repo = branchRepo();
    new FakeGitHub({ owner: 'o', repo: 'r', number: 4, headSha: 'h4', ...config, files }).install();
    return JSON.parse((await cli(['review', '--pr', 'o/r#4', '--format', 'json'], repo.dir, { GITHUB_TOKEN: 'ghs_testtoken' })).out);
  };
  it('names that file, as the app does, when its keys are invalid', async () => {
    const out = await review({ orgConfig: 'failOn: hgih\n' });
    expect([out.conclusion, out.title]).toEqual(['failure', 'Invalid o/.github:.github/minpriv.yml: 1 problem']);
    expect(out.summary).toContain('`o/.github:.github/minpriv.yml`');
  });
  it('names that file, with the line, when its YAML does not parse', async () => {
    const out = await review({ orgConfig: 'failOn: high\nrules: [\n' });
    expect([out.conclusion, out.title]).toEqual(['failure', 'Invalid o/.github:.github/minpriv.yml: not valid YAML']);
    expect(out.summary).toMatch(/> line \d+, column \d+: /);
  });
  it("keeps the repository's own file its own name", async () => {
    const out = await review({ config: 'failOn: hgih\n', orgConfig: 'failOn: high\n' });
    expect(out.title).toBe('Invalid .github/minpriv.yml: 1 problem');
  });
});

describe('minpriv review --pr --publish', () => {
  it('creates the check run and posts the review through @octokit/rest, like the app', async () => {
    repo = branchRepo();
    const web = fixture('new-deployment.yaml');
    const gh = new FakeGitHub({
      owner: 'o',
      repo: 'r',
      number: 2,
      headSha: 'h2',
      files: [{ filename: 'k8s/web.yaml', status: 'added', patch: addedPatch(web), content: web }],
    }).install();
    const { code, err } = await cli(['review', '--pr', 'o/r#2', '--publish'], repo.dir, { GITHUB_TOKEN: 'ghs_testtoken' });
    expect(code).toBe(1);
    expect(err).not.toContain('ghs_testtoken');
    expect(gh.lines()).toEqual([
      'GET /repos/o/r/pulls/2',
      'POST /repos/o/r/check-runs',
      'GET /repos/o/r/contents/.github%2Fminpriv.yml',
      'GET /repos/o/.github/contents/.github%2Fminpriv.yml',
      'GET /repos/o/r/pulls/2/files?per_page=100&page=1',
      'GRAPHQL minprivContents',
      'GRAPHQL minprivThreads',
      'GET /repos/o/r/pulls/2',
      'POST /repos/o/r/pulls/2/reviews',
      'PATCH /repos/o/r/check-runs/101',
    ]);
    expect((gh.bodies('PATCH', '/repos/o/r/check-runs/101')[0] as { conclusion: string }).conclusion).toBe('failure');
  });
});

describe('minpriv review --base: a PR that only bumps the image in a kustomize patch (QA #1, repro p6)', () => {
  it('reads the kustomization beside the patch at HEAD and passes', async () => {
    repo = new TempRepo();
    const patch = (tag: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:${tag}\n`;
    repo.write('overlay/kustomization.yaml', 'resources: [../base]\npatches:\n  - path: image-patch.yaml\n');
    repo.write('overlay/image-patch.yaml', patch('1.0.0'));
    repo.commit('base');
    repo.write('overlay/image-patch.yaml', patch('1.0.1'));
    repo.commit('bump');
    const { code, out } = await cli(['review', '--base', 'HEAD~1', '--format', 'json'], repo.dir);
    const json = JSON.parse(out);
    expect([code, json.conclusion, json.title, json.comments]).toEqual([0, 'success', 'No findings in 1 changed manifest', []]);
    expect(json.summary).toContain('partial manifest (patch): only the fields it sets are checked');
  });
});

describe('minpriv review --base: what the change grants (RBAC permission diff)', () => {
  it('a widened rule is pointed at once, at the rule, not at the binding or role it goes through (QA D7)', async () => {
    repo = new TempRepo();
    const role = (extra: string[]) =>
      [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: Role',
        'metadata:',
        '  name: ops',
        '  namespace: shop',
        'rules:',
        '- apiGroups: [""]',
        '  resources:',
        '  - configmaps',
        ...extra,
        '  verbs: [get, create]',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: RoleBinding',
        'metadata:',
        '  name: ops',
        '  namespace: shop',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ops}',
        'subjects:',
        '- {kind: ServiceAccount, name: ops, namespace: shop}',
        '',
      ].join('\n');
    repo.write('shop/rbac.yaml', role([]));
    repo.write('.github/minpriv.yml', 'profile: pss-restricted\n');
    repo.commit('base');
    repo.write('shop/rbac.yaml', role(['  - pods/exec']));
    repo.commit('widen');
    const json = JSON.parse((await cli(['review', '--base', 'HEAD~1', '--format', 'json'], repo.dir)).out);
    expect(json.conclusion).toBe('failure');
    expect(json.annotations.map((a: { path: string; start_line: number; message: string }) => [a.path, a.start_line, a.message])).toEqual([
      ['shop/rbac.yaml', 7, 'This grants ServiceAccount shop/ops the right to exec into pods.'],
    ]);
  });

  it('a new RoleBinding to the built-in edit role, with no rule finding in scope, fails on the risky grant and names the subject', async () => {
    repo = new TempRepo();
    repo.write('shop/sa.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: checkout\n  namespace: shop\n');
    repo.commit('base');
    repo.write(
      'shop/binding.yaml',
      [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: RoleBinding',
        'metadata:',
        '  name: checkout-edit',
        '  namespace: shop',
        'roleRef:',
        '  apiGroup: rbac.authorization.k8s.io',
        '  kind: ClusterRole',
        '  name: edit',
        'subjects:',
        '  - kind: ServiceAccount',
        '    name: checkout',
        '',
      ].join('\n'),
    );
    repo.write('.github/minpriv.yml', 'profile: pss-restricted\n');
    repo.commit('bind edit');
    const { code, out } = await cli(['review', '--base', 'HEAD~1', '--format', 'json'], repo.dir);
    const json = JSON.parse(out);
    expect(code).toBe(1);
    expect(json.conclusion).toBe('failure');
    expect(json.title).toMatch(/ · grants risky permissions$/);
    expect(json.findings).toEqual([]);
    expect(json.permissionDiff.map((s: { subject: unknown }) => s.subject)).toEqual([{ kind: 'ServiceAccount', name: 'checkout', namespace: 'shop' }]);
    const risks = new Set(json.permissionDiff[0].added.flatMap((r: { risky: string[] }) => r.risky));
    expect([...risks]).toEqual(expect.arrayContaining(['secrets-read', 'pod-exec', 'impersonate']));
    expect(json.permissionDiff[0].added.every((r: { scope: string }) => r.scope === 'namespace')).toBe(true);
    expect(json.summary).toContain('### Permissions this change grants');
    // The check points at the binding that grants it, in the file the change added.
    expect(json.annotations).toEqual([
      {
        path: 'shop/binding.yaml',
        start_line: 1,
        end_line: 1,
        annotation_level: 'failure',
        message:
          'This grants ServiceAccount shop/checkout the right to create pods and workloads, exec into pods, read Secrets, impersonate other identities, mint ServiceAccount tokens.',
        title: 'minpriv: a risky permission this change grants',
      },
    ]);
    // The change cannot switch its own gate off (QA D14): the base's config applies, the head's is only remarked on.
    repo.write('.github/minpriv.yml', 'profile: pss-restricted\nrbac:\n  failOnNewRisky: false\n');
    repo.commit('gate off');
    const own = JSON.parse((await cli(['review', '--base', 'HEAD~2', '--format', 'json'], repo.dir)).out);
    expect(own.conclusion).toBe('failure');
    expect(own.summary).toContain('This pull request changes `.github/minpriv.yml`; its version is valid and applies once merged.');
    // With the gate off (given with --config), the same change passes and still shows what it grants.
    const off = JSON.parse((await cli(['review', '--base', 'HEAD~2', '--config', '.github/minpriv.yml', '--format', 'json'], repo.dir)).out);
    expect(off.conclusion).toBe('success');
    expect(off.summary).toContain('### Permissions this change grants');
    expect(off.annotations.map((a: { path: string; annotation_level: string }) => [a.path, a.annotation_level])).toEqual([['shop/binding.yaml', 'warning']]);
  });
});
