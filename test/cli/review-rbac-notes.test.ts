import { afterEach, describe, expect, it } from 'vitest';
import { TempRepo } from '../sources/git-repo.js';
import { runCaptured } from './run-cli.js';

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
    const { out } = await runCaptured(['review', '--base', 'main', '--format', 'json'], repo.dir);
    const { summary, text } = JSON.parse(out) as { summary: string; text: string };
    const all = `${summary}\n${text}`;
    for (const side of ['base', 'head']) {
      const note = `${side}: 1 YAML file(s) not read for RBAC (templates or YAML errors): chart/templates/role.yaml:4`;
      expect(all.split(note).length - 1, side).toBe(1);
    }
    expect(summary).toContain('### Permissions this change grants');
  });
});
