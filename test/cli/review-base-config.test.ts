import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TempRepo } from '../sources/git-repo.js';
import { runCaptured } from './run-cli.js';

// QA D14: `review --base` took .github/minpriv.yml from the checkout (the head), so a branch could exclude itself.
const web = readFileSync(new URL('../fixtures/github/new-deployment.yaml', import.meta.url), 'utf8');
let repo: TempRepo | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

async function review(cwd: string, ...extra: string[]) {
  const { code, out } = await runCaptured(['review', '--base', 'main', '--format', 'json', ...extra], cwd);
  return { code, json: JSON.parse(out) as { conclusion: string; title: string; summary: string } };
}

/** main: `baseConfig` (if any); feature: a new privileged Deployment, and `headConfig` as its .github/minpriv.yml. */
function weakenRepo(headConfig: string | undefined, baseConfig?: string): TempRepo {
  const r = new TempRepo();
  r.write('README.md', 'docs\n');
  if (baseConfig !== undefined) r.write('.github/minpriv.yml', baseConfig);
  r.commit('base');
  r.git('checkout', '-q', '-b', 'feature');
  r.write('k8s/web.yaml', web);
  if (headConfig !== undefined) r.write('.github/minpriv.yml', headConfig);
  r.commit('feature');
  return r;
}

const FAILING = '5 findings: 1 critical, 4 medium · 1 verified fix';
const APPLIES =
  "The configuration at the base revision (`main`) applies to this check, not this pull request's version: a pull request must not weaken its own gate.";

describe('minpriv review --base reads the configuration at the base revision', () => {
  it('a branch that excludes everything in its own config still fails, and is told its version applies once merged', async () => {
    repo = weakenRepo('exclude: ["**"]\nrbac:\n  failOnNewRisky: false\n');
    const { code, json } = await review(repo.dir);
    expect([code, json.conclusion, json.title]).toEqual([1, 'failure', FAILING]);
    expect(json.summary).toContain(`- This pull request changes \`.github/minpriv.yml\`; its version is valid and applies once merged. ${APPLIES}`);
  });

  it('an invalid head config fails the check, as the app does, with its problems listed', async () => {
    repo = weakenRepo('scope: everything\n');
    const { code, json } = await review(repo.dir);
    expect([code, json.conclusion, json.title]).toEqual([1, 'failure', `Invalid .github/minpriv.yml in this pull request · ${FAILING}`]);
    expect(json.summary).toContain(
      "This pull request's `.github/minpriv.yml` is invalid (1 problem); fix it before merging, or every later pull request fails.",
    );
    expect(json.summary).toContain('`.github/minpriv.yml` in this pull request: `scope`:');
  });

  it("the base's config applies, not the checkout's; --config FILE still wins, and then the head's version is not remarked on", async () => {
    repo = weakenRepo(undefined, 'failOn: critical\nscope: changed-lines\n');
    repo.write('.github/minpriv.yml', 'exclude: ["**"]\n');
    expect((await review(repo.dir)).json.title).toBe('5 findings: 1 critical, 4 medium · 1 verified fix');
    expect((await review(repo.dir)).json.summary).toContain('failing at `critical` and above');
    const given = await review(repo.dir, '--config', '.github/minpriv.yml');
    expect([given.code, given.json.conclusion, given.json.title]).toEqual([0, 'success', 'Nothing checked: no changed Kubernetes manifest']);
    expect(given.json.summary).not.toContain('applies once merged');
  });
});
