import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { configSchemaUrl, docsUrlFromEnv, PublicUrlError, REPOSITORY_URL, ruleDocUrl, rulesIndexUrl } from '../../src/core/links.js';
import { buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';
import { createTokenClient } from '../../src/github/client.js';
import { reviewPullRequest } from '../../src/github/run.js';
import { toSarif } from '../../src/report/sarif.js';
import { renderSuggestion } from '../../src/report/suggestion.js';
import { configErrorSummary } from '../../src/report/summary.js';
import { allRules } from '../../src/rules/index.js';
import { addedPatch, FakeGitHub } from '../github/fake-github.js';
import { OWNER, REPO } from '../github/harness.js';

const BASE = 'https://minpriv.example.com';
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { repository: { type: string; url: string } };
/** package.json's repository as a web address: `git+https://github.com/o/r.git` → `https://github.com/o/r`. */
const pkgRepo = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('docs links: the configured public URL, else the repository in package.json', () => {
  it('package.json names a GitHub repository, and the fallback links point into it', () => {
    expect(pkg.repository.type).toBe('git');
    expect(pkgRepo).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(REPOSITORY_URL).toBe(pkgRepo);
    expect(ruleDocUrl('privileged-container')).toBe(`${pkgRepo}/blob/main/docs/rules/privileged-container.md`);
    expect(rulesIndexUrl()).toBe(`${pkgRepo}/blob/main/docs/rules/README.md`);
    expect(configSchemaUrl()).toBe(`${pkgRepo}/blob/main/schema/minpriv.schema.json`);
  });

  it('with a public URL, links go to the app’s own pages', () => {
    expect(ruleDocUrl('privileged-container', BASE)).toBe('https://minpriv.example.com/docs/rules/privileged-container');
    expect(ruleDocUrl('privileged-container', `${BASE}/`)).toBe('https://minpriv.example.com/docs/rules/privileged-container');
    expect(rulesIndexUrl(BASE)).toBe('https://minpriv.example.com/docs/rules');
    expect(configSchemaUrl(BASE)).toBe('https://minpriv.example.com/schema/minpriv.schema.json');
  });

  it('MINPRIV_PUBLIC_URL is read at the edge: trimmed of its trailing slash, a path prefix kept, nonsense refused', () => {
    expect(docsUrlFromEnv({})).toBeUndefined();
    expect(docsUrlFromEnv({ MINPRIV_PUBLIC_URL: '  ' })).toBeUndefined();
    expect(docsUrlFromEnv({ MINPRIV_PUBLIC_URL: 'https://minpriv.example.com/' })).toBe('https://minpriv.example.com');
    expect(docsUrlFromEnv({ MINPRIV_PUBLIC_URL: 'https://apps.example.com/minpriv/' })).toBe('https://apps.example.com/minpriv');
    expect(docsUrlFromEnv({ MINPRIV_PUBLIC_URL: 'http://localhost:3000' })).toBe('http://localhost:3000');
    for (const bad of ['minpriv.example.com', 'ftp://minpriv.example.com', 'https://minpriv.example.com/?a=1', 'https://user:pw@minpriv.example.com']) {
      expect(() => docsUrlFromEnv({ MINPRIV_PUBLIC_URL: bad }), bad).toThrow(PublicUrlError);
    }
    try {
      docsUrlFromEnv({ MINPRIV_PUBLIC_URL: 'https://user:hunter2@minpriv.example.com' });
    } catch (err) {
      expect((err as PublicUrlError).code).toBe('PUBLIC_URL');
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});

describe('renderers take the docs URL as an argument', () => {
  const text =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n';
  const options = { profile: 'pss-baseline' as const };
  const out = scan([{ path: 'pod.yaml', content: text }], options);
  const { fixes } = buildFixes(out.files.get('pod.yaml') as never, out.findings, { scan: options });
  const fix = fixes.find((f) => f.title.includes('privileged')) ?? fixes[0];
  const hunks = [{ start: 1, end: 10 }];

  it('a suggestion links its rule to the configured base, and to the repository without one', () => {
    expect(fix).toBeDefined();
    const withBase = renderSuggestion(fix as never, out.findings, hunks, { docsUrl: BASE });
    expect(withBase?.body).toContain('([docs](https://minpriv.example.com/docs/rules/privileged-container))');
    const without = renderSuggestion(fix as never, out.findings, hunks);
    expect(without?.body).toContain(`([docs](${pkgRepo}/blob/main/docs/rules/privileged-container.md))`);
  });

  it('the config error summary links the served schema', () => {
    const issues = [{ key: 'failOn', value: 'loud', message: 'Invalid option' }];
    expect(configErrorSummary(issues, BASE)).toContain('[JSON Schema](https://minpriv.example.com/schema/minpriv.schema.json)');
    expect(configErrorSummary(issues)).toContain(`[JSON Schema](${pkgRepo}/blob/main/schema/minpriv.schema.json)`);
  });

  it('SARIF rules carry helpUri and help links to the configured base', () => {
    const rules = allRules.filter((r) => r.id === 'privileged-container');
    const log = toSarif({ findings: out.findings, suppressed: [], notices: [], resourcesScanned: 1 } as never, { toolVersion: '0.1.0', rules, docsUrl: BASE });
    const [rule] = log.runs[0]?.tool.driver.rules ?? [];
    expect(rule?.helpUri).toBe('https://minpriv.example.com/docs/rules/privileged-container');
    expect(rule?.help.markdown).toContain('[Rule documentation](https://minpriv.example.com/docs/rules/privileged-container)');
    const plain = toSarif({ findings: out.findings, suppressed: [], notices: [], resourcesScanned: 1 } as never, { toolVersion: '0.1.0', rules });
    expect(plain.runs[0]?.tool.driver.rules[0]?.helpUri).toBe(`${pkgRepo}/blob/main/docs/rules/privileged-container.md`);
  });
});

describe('the docs URL reaches the review from the app’s run and the CLI', () => {
  const content = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');
  const target = { owner: OWNER, repo: REPO, pull_number: 7 };
  const pull = { number: 7, headSha: 'h7', changedFiles: 1 };
  const run = async (docsUrl?: string) => {
    nock.disableNetConnect();
    new FakeGitHub({
      owner: OWNER,
      repo: REPO,
      number: 7,
      headSha: 'h7',
      files: [{ filename: 'apps/web.yaml', status: 'added', patch: addedPatch(content), content }],
    }).install();
    const r = await reviewPullRequest(createTokenClient('t', { plain: true }), target, {
      loadConfig: async () => null,
      mode: 'dry-run',
      pull,
      ...(docsUrl ? { docsUrl } : {}),
    });
    nock.cleanAll();
    return r;
  };

  it('every suggestion of a run given a docs URL links there; without, to the repository', async () => {
    const served = await run(BASE);
    expect(served.comments.length).toBeGreaterThan(0);
    for (const c of served.comments) {
      const links = [...c.body.matchAll(/\(\[docs\]\(([^)]+)\)\)/g)].map((m) => m[1]);
      expect(links.length).toBeGreaterThan(0);
      for (const l of links) expect(l).toMatch(/^https:\/\/minpriv\.example\.com\/docs\/rules\/[a-z0-9-]+$/);
    }
    const plain = await run();
    for (const c of plain.comments) expect(c.body).not.toContain('minpriv.example.com');
    expect(plain.comments.map((c) => c.body).join('\n')).toContain(`(${pkgRepo}/blob/main/docs/rules/`);
  });

  const cli = async (args: string[], env: Record<string, string>, stdin = '') => {
    let stdout = '';
    let stderr = '';
    const io: CommandIO = {
      stdout: { write: (c: string) => (stdout += c) },
      stderr: { write: (c: string) => (stderr += c) },
      stdin: Readable.from(stdin ? [stdin] : []) as CommandIO['stdin'],
      cwd: '/',
      env,
    };
    return { code: await runCli(args, io), stdout, stderr };
  };

  it('the CLI reads MINPRIV_PUBLIC_URL for its links, and refuses a bad one', async () => {
    const served = await cli(['rules', '--format', 'json'], { MINPRIV_PUBLIC_URL: `${BASE}/` });
    const rows = JSON.parse(served.stdout) as { id: string; docs: string }[];
    expect(rows.find((r) => r.id === 'privileged-container')?.docs).toBe('https://minpriv.example.com/docs/rules/privileged-container');
    const plain = await cli(['rules', '--format', 'json'], {});
    expect((JSON.parse(plain.stdout) as { id: string; docs: string }[]).find((r) => r.id === 'privileged-container')?.docs).toBe(
      `${pkgRepo}/blob/main/docs/rules/privileged-container.md`,
    );
    const bad = await cli(['rules'], { MINPRIV_PUBLIC_URL: 'minpriv.example.com' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('MINPRIV_PUBLIC_URL is not a URL');
  });

  it('minpriv scan --format sarif links helpUri to MINPRIV_PUBLIC_URL', async () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n';
    const r = await cli(['scan', '--format', 'sarif', '-'], { MINPRIV_PUBLIC_URL: BASE }, pod);
    const log = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } } }[] };
    const rule = log.runs[0]?.tool.driver.rules.find((x) => x.id === 'privileged-container');
    expect(rule?.helpUri).toBe('https://minpriv.example.com/docs/rules/privileged-container');
  });
});
