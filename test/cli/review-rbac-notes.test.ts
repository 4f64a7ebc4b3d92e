import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { TempRepo } from '../sources/git-repo.js';

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

const BINDING = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: ServiceAccount, name: ops, namespace: ops}
`;
// A Helm template the change does not touch: it cannot be read for RBAC, at base or at head.
const TEMPLATE =
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.rbac }}\nrules: []\n{{- end }}\n';

describe('minpriv review --base: the notes of the permission diff (QA D8)', () => {
  it('are printed once, under the permission table, not again under the notices', async () => {
    repo = new TempRepo();
    repo.write('chart/templates/role.yaml', TEMPLATE);
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'grant');
    repo.write('rbac/crb.yaml', BINDING);
    repo.commit('grant');
    let out = '';
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => undefined }, stdin: new PassThrough(), cwd: repo.dir, env: {} };
    await runCli(['review', '--base', 'main', '--format', 'json'], io);
    const { summary, text } = JSON.parse(out) as { summary: string; text: string };
    const all = `${summary}\n${text}`;
    for (const side of ['base', 'head']) {
      const note = `${side}: 1 YAML file(s) not read for RBAC (templates or YAML errors): chart/templates/role.yaml:4`;
      expect(all.split(note).length - 1, side).toBe(1);
    }
    expect(summary).toContain('### Permissions this change grants');
  });
});
