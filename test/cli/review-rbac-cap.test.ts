import { afterEach, describe, expect, it } from 'vitest';
import { TempRepo } from '../sources/git-repo.js';
import { runCaptured } from './run-cli.js';

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

async function review(cwd: string) {
  const { code, out } = await runCaptured(['review', '--base', 'main', '--format', 'json'], cwd);
  return { code, json: JSON.parse(out) as { conclusion: string; title: string; summary: string; permissionDiff: Diff[] } };
}
type Diff = { subject: unknown; added: { resources: string[]; verbs: string[] }[]; removed: { resources: string[]; verbs: string[] }[] };

const cm = (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${n}, namespace: zz}\ndata: {k: v}\n`;
const binding = (role: string, read = 'configmaps') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: zz-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects:
- {kind: ServiceAccount, name: zz, namespace: zz}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: zz-reader}
rules:
- {apiGroups: [""], resources: [${read}], verbs: [get]}
`;

/** `rbac.maxFiles: 2`; three files sort before zz/, where the change is (QA D17, repro 12). */
function cappedRepo(base: string | undefined, head: string): TempRepo {
  const r = new TempRepo();
  r.write('.github/minpriv.yml', 'rbac:\n  maxFiles: 2\n');
  for (const n of [0, 1, 2]) r.write(`aa/c${n}.yaml`, cm(n));
  if (base !== undefined) r.write('zz/rb.yaml', base);
  r.commit('base');
  r.git('checkout', '-q', '-b', 'grant');
  r.write('zz/rb.yaml', head);
  r.commit('grant');
  return r;
}

describe('minpriv review --base: rbac.maxFiles never hides the change itself', () => {
  it('a new ClusterRoleBinding to cluster-admin in a file past the cap fails the check', async () => {
    repo = cappedRepo(undefined, binding('cluster-admin'));
    const { code, json } = await review(repo.dir);
    expect(code).toBe(1);
    expect(json.conclusion).toBe('failure');
    expect(json.title).toMatch(/ · grants risky permissions$/);
    expect(json.permissionDiff.map((d) => [d.subject, d.added.map((a) => [a.resources, a.verbs])])).toEqual([
      // cluster-admin: every resource, and every non-resource URL.
      [
        { kind: 'ServiceAccount', name: 'zz', namespace: 'zz' },
        [
          [['*'], ['*']],
          [[], ['*']],
        ],
      ],
    ]);
  });

  it('the base side of a changed file past the cap is read too: what the binding granted before is removed, not forgotten', async () => {
    repo = cappedRepo(binding('zz-reader'), binding('zz-reader', 'secrets'));
    const { json } = await review(repo.dir);
    const [d] = json.permissionDiff;
    expect(d?.removed.map((a) => [a.resources, a.verbs])).toEqual([[['configmaps'], ['get']]]);
    expect(d?.added.map((a) => [a.resources, a.verbs])).toEqual([[['secrets'], ['get']]]);
  });
});
