import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../src/cli/io.js';
import { runCli, usage } from '../../src/cli/main.js';
import { TempRepo } from '../sources/git-repo.js';

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

async function cli(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CommandIO = {
    stdout: { write: (c: string) => (out += c) },
    stderr: { write: (c: string) => (err += c) },
    stdin: Readable.from([]) as CommandIO['stdin'],
    cwd,
    env: {},
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

const CRB = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: robot-reader
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: reader
subjects:
  - kind: ServiceAccount
    name: robot
    namespace: ops
`;
const READER = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules:
  - apiGroups: [""]
    resources: [pods]
    verbs: [get, list]
`;
const ROBOT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: robot
  namespace: ops
spec:
  template:
    spec:
      serviceAccountName: robot
      containers:
        - name: app
          image: example/robot:1
`;
const DEVS = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs-deploy, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
subjects: [{kind: Group, name: devs}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: shop}
rules:
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [get, patch]
`;

/** main: reader, its binding, the robot and unrelated files; feature: reader also reads secrets, and devs can deploy in shop. */
function branchRepo(): TempRepo {
  const r = new TempRepo();
  r.write('rbac/crb.yaml', CRB);
  r.write('rbac/reader.yaml', READER);
  r.write('apps/robot.yaml', ROBOT);
  r.write('apps/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n');
  r.write('README.md', 'kind: Role\n');
  r.commit('base');
  r.git('checkout', '-q', '-b', 'feature');
  r.write('rbac/reader.yaml', `${READER}  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get, list, watch]\n`);
  r.write('rbac/devs.yaml', DEVS);
  r.commit('widen');
  return r;
}

const crbRef = { file: 'rbac/crb.yaml', line: 1, kind: 'ClusterRoleBinding', name: 'robot-reader' };

describe('minpriv rbac', () => {
  it('is listed in the help', () => {
    expect(usage()).toContain('  rbac     RBAC of the repository: permission diff, who-can, permissions of a subject\n');
  });

  it('diff --format json: the permission diff of the whole repository between two revisions; exit 1 on a risky addition', async () => {
    repo = branchRepo();
    const { code, out, err } = await cli(['rbac', 'diff', '--base', 'main', '--format', 'json'], repo.dir);
    expect(err).toBe('');
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({
      permissionDiff: [
        {
          subject: { kind: 'ServiceAccount', name: 'robot', namespace: 'ops' },
          added: [
            {
              scope: 'cluster',
              apiGroups: [''],
              resources: ['secrets'],
              verbs: ['get', 'list', 'watch'],
              resourceNames: [],
              nonResourceURLs: [],
              grantedBy: [crbRef, { file: 'rbac/reader.yaml', line: 9, kind: 'ClusterRole', name: 'reader' }],
              risky: ['secrets-read'],
            },
          ],
          removed: [],
          workloads: [{ kind: 'Deployment', namespace: 'ops', name: 'robot', file: 'apps/robot.yaml' }],
        },
        {
          subject: { kind: 'Group', name: 'devs' },
          added: [
            {
              scope: 'namespace',
              namespace: 'shop',
              apiGroups: ['apps'],
              resources: ['deployments'],
              verbs: ['get', 'patch'],
              resourceNames: [],
              nonResourceURLs: [],
              grantedBy: [
                { file: 'rbac/devs.yaml', line: 1, kind: 'RoleBinding', name: 'devs-deploy' },
                { file: 'rbac/devs.yaml', line: 11, kind: 'Role', name: 'deployer' },
              ],
              risky: ['create-pods'],
            },
          ],
          removed: [],
          workloads: [],
        },
      ],
      notes: [],
    });
  });

  it('diff: text, and the reverse direction lists what is removed and exits 0', async () => {
    repo = branchRepo();
    const text = await cli(['rbac', 'diff', '--base', 'main', '--head', 'feature'], repo.dir);
    expect(text.code).toBe(1);
    expect(text.out).toBe(`! Deployment ops/robot (as ServiceAccount ops/robot) can now read Secrets in every namespace.
! Group devs can now create pods and workloads in namespace shop.

Permissions this change grants:

ServiceAccount ops/robot (run by Deployment ops/robot in apps/robot.yaml)
  ! cluster-wide: read on secrets  [secrets-read]
      granted by ClusterRoleBinding robot-reader (rbac/crb.yaml:1) → ClusterRole reader (rbac/reader.yaml:9)

Group devs
  ! namespace shop: get, patch on deployments.apps  [create-pods]
      granted by RoleBinding devs-deploy (rbac/devs.yaml:1) → Role deployer (rbac/devs.yaml:11)

read = get, list, watch; write = create, update, patch, delete, deletecollection.
`);
    const back = await cli(['rbac', 'diff', '--base', 'feature', '--head', 'main', '--format', 'json'], repo.dir);
    expect(back.code).toBe(0);
    const json = JSON.parse(back.out) as { permissionDiff: { subject: unknown; added: unknown[]; removed: { resources: string[] }[] }[] };
    expect(json.permissionDiff.map((s) => [s.subject, s.added.length, s.removed.map((r) => r.resources)])).toEqual([
      [{ kind: 'ServiceAccount', name: 'robot', namespace: 'ops' }, 0, [['secrets']]],
      [{ kind: 'Group', name: 'devs' }, 0, [['deployments']]],
    ]);
  });

  it('diff --max-files: reads the changed files always, then the others by path, and says what it left out', async () => {
    repo = branchRepo();
    // The cap (1) is below the changed files (2 at head): both are read, no other file is. rbac/devs.yaml sorts after
    // apps/*, so a cap by path alone missed its new grant; the robot's binding (rbac/crb.yaml, unchanged) is not read.
    const { code, out } = await cli(['rbac', 'diff', '--base', 'main', '--max-files', '1', '--format', 'json'], repo.dir);
    expect(code).toBe(1);
    const got = JSON.parse(out) as { permissionDiff: { subject: unknown; added: { resources: string[]; risky: string[] }[] }[]; notes: string[] };
    expect(got.permissionDiff.map((s) => [s.subject, s.added.map((a) => [a.resources, a.risky])])).toEqual([
      [{ kind: 'Group', name: 'devs' }, [[['deployments'], ['create-pods']]]],
    ]);
    expect(got.notes).toEqual([
      'base: the repository has 4 YAML files; the file the change touched was read for RBAC (rbac.maxFiles), so grants in the rest are not seen',
      'head: the repository has 5 YAML files; the 2 files the change touched were read for RBAC (rbac.maxFiles), so grants in the rest are not seen',
    ]);
    // With room for one more, the first other file by path is read too.
    const three = await cli(['rbac', 'diff', '--base', 'main', '--max-files', '3', '--format', 'json'], repo.dir);
    expect((JSON.parse(three.out) as { notes: string[] }).notes).toEqual([
      'base: the repository has 4 YAML files; the file the change touched and the first 2 others by path were read for RBAC (rbac.maxFiles), so grants in the rest are not seen',
      'head: the repository has 5 YAML files; the 2 files the change touched and the first 1 others by path were read for RBAC (rbac.maxFiles), so grants in the rest are not seen',
    ]);
  });

  it('who-can --format json: every binding subject allowed, built-in ones included, with the workloads of ServiceAccounts', async () => {
    repo = branchRepo();
    const { code, out } = await cli(['rbac', 'who-can', 'list', 'secrets', '--format', 'json'], repo.dir);
    expect(code).toBe(0);
    const builtin = (kind: string, name: string) => ({ file: null, line: null, kind, name });
    expect(JSON.parse(out)).toEqual({
      request: { verb: 'list', apiGroup: '', resource: 'secrets' },
      subjects: [
        {
          subject: { kind: 'Group', name: 'system:masters' },
          scope: 'cluster',
          grantedBy: [builtin('ClusterRoleBinding', 'cluster-admin'), builtin('ClusterRole', 'cluster-admin')],
          workloads: [],
        },
        {
          subject: { kind: 'ServiceAccount', name: 'robot', namespace: 'ops' },
          scope: 'cluster',
          grantedBy: [crbRef, { file: 'rbac/reader.yaml', line: 9, kind: 'ClusterRole', name: 'reader' }],
          workloads: [{ kind: 'Deployment', namespace: 'ops', name: 'robot', file: 'apps/robot.yaml' }],
        },
        {
          subject: { kind: 'User', name: 'system:kube-controller-manager' },
          scope: 'cluster',
          grantedBy: [builtin('ClusterRoleBinding', 'system:kube-controller-manager'), builtin('ClusterRole', 'system:kube-controller-manager')],
          workloads: [],
        },
      ],
      notes: [],
    });
  });

  it('who-can reads the working tree (uncommitted files count) unless --rev names a revision; -n narrows to a namespace', async () => {
    repo = branchRepo();
    repo.write('rbac/local.yaml', DEVS.replaceAll('shop', 'staging').replace('name: devs}', 'name: testers}'));
    const local = await cli(['rbac', 'who-can', 'patch', 'deployments.apps'], repo.dir);
    expect(local.out).toBe(`Group devs in namespace shop, through RoleBinding devs-deploy (rbac/devs.yaml:1) → Role deployer (rbac/devs.yaml:11)
Group system:masters cluster-wide, through ClusterRoleBinding cluster-admin (built-in) → ClusterRole cluster-admin (built-in)
Group testers in namespace staging, through RoleBinding devs-deploy (rbac/local.yaml:1) → Role deployer (rbac/local.yaml:11)
`);
    const committed = await cli(['rbac', 'who-can', 'patch', 'deployments.apps', '-n', 'staging', '--rev', 'HEAD'], repo.dir);
    expect(committed.out).toBe(
      'Group system:masters cluster-wide, through ClusterRoleBinding cluster-admin (built-in) → ClusterRole cluster-admin (built-in)\n',
    );
  });

  it('permissions --format json: what a subject holds, risky rules first', async () => {
    repo = branchRepo();
    const { code, out } = await cli(['rbac', 'permissions', 'Group/devs', '--rev', 'feature', '--format', 'json'], repo.dir);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      subject: { kind: 'Group', name: 'devs' },
      permissions: [
        {
          scope: 'namespace',
          namespace: 'shop',
          apiGroups: ['apps'],
          resources: ['deployments'],
          verbs: ['get', 'patch'],
          resourceNames: [],
          nonResourceURLs: [],
          grantedBy: [
            { file: 'rbac/devs.yaml', line: 1, kind: 'RoleBinding', name: 'devs-deploy' },
            { file: 'rbac/devs.yaml', line: 11, kind: 'Role', name: 'deployer' },
          ],
          risky: ['create-pods'],
        },
      ],
      workloads: [],
      notes: [],
    });
  });

  it('permissions: a ServiceAccount, through its groups too', async () => {
    repo = branchRepo();
    const { code, out } = await cli(['rbac', 'permissions', 'ServiceAccount/ops/robot', '--rev', 'main'], repo.dir);
    expect(code).toBe(0);
    expect(out).toBe(`ServiceAccount ops/robot (run by Deployment ops/robot)
    cluster-wide: get, list on pods
      granted by ClusterRoleBinding robot-reader (rbac/crb.yaml:1) → ClusterRole reader (rbac/reader.yaml:6)
    cluster-wide: create on selfsubjectreviews.authentication.k8s.io
      as a member of Group system:authenticated, granted by ClusterRoleBinding system:basic-user (built-in) → ClusterRole system:basic-user (built-in)
    cluster-wide: create on selfsubjectaccessreviews.authorization.k8s.io, selfsubjectrulesreviews.authorization.k8s.io
      as a member of Group system:authenticated, granted by ClusterRoleBinding system:basic-user (built-in) → ClusterRole system:basic-user (built-in)
    cluster-wide: get on /.well-known/openid-configuration, /openid/v1/jwks
      as a member of Group system:serviceaccounts, granted by ClusterRoleBinding system:service-account-issuer-discovery (built-in) → ClusterRole system:service-account-issuer-discovery (built-in)
    cluster-wide: get on /api, /api/*, /apis, /apis/*, /healthz, /livez, /openapi, /openapi/*, /readyz, /version, /version/
      as a member of Group system:authenticated, granted by ClusterRoleBinding system:discovery (built-in) → ClusterRole system:discovery (built-in)
    cluster-wide: get on /healthz, /livez, /readyz, /version, /version/
      as a member of Group system:authenticated, granted by ClusterRoleBinding system:public-info-viewer (built-in) → ClusterRole system:public-info-viewer (built-in)
`);
  });

  it('permissions: a ClusterRole bound by a RoleBinding grants its resource rules in that namespace, not its non-resource URLs', async () => {
    repo = new TempRepo();
    // QA on fluxcd/flux2-multi-tenancy: a tenant's RoleBinding to cluster-admin. rule.go `VisitRulesFor` visits a
    // RoleBinding only for requests in its namespace; a non-resource request has none.
    repo.write(
      'tenant.yaml',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: tenant-admin\n  namespace: apps\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n- kind: ServiceAccount\n  name: dev-team\n  namespace: apps\n',
    );
    repo.commit('tenant');
    const { code, out } = await cli(['rbac', 'permissions', 'ServiceAccount/apps/dev-team', '--format', 'json'], repo.dir);
    expect(code).toBe(0);
    const rows = (
      JSON.parse(out) as { permissions: { scope: string; namespace?: string; resources: string[]; nonResourceURLs: string[]; grantedBy: { name: string }[] }[] }
    ).permissions;
    const tenant = rows.filter((r) => r.grantedBy[0]?.name === 'tenant-admin');
    expect(tenant.map((r) => [r.scope, r.namespace, r.resources, r.nonResourceURLs])).toEqual([['namespace', 'apps', ['*'], []]]);
    // The non-resource URLs it holds are the built-in discovery ones, cluster-wide through its groups.
    expect(rows.filter((r) => r.nonResourceURLs.length > 0).every((r) => r.scope === 'cluster')).toBe(true);
  });

  it('usage errors exit 2: no subcommand, a bad subject, a bad format, an unknown revision', async () => {
    repo = branchRepo();
    const none = await cli(['rbac'], repo.dir);
    expect([none.code, none.err.split('\n')[0]]).toEqual([2, 'minpriv rbac: missing subcommand']);
    const subject = await cli(['rbac', 'permissions', 'Robot/x'], repo.dir);
    expect([subject.code, subject.err.split('\n')[0]]).toEqual([
      2,
      'minpriv rbac: not a subject: "Robot/x" (expected ServiceAccount/NAMESPACE/NAME, User/NAME or Group/NAME)',
    ]);
    const format = await cli(['rbac', 'who-can', 'get', 'pods', '--format', 'sarif'], repo.dir);
    expect([format.code, format.err.split('\n')[0]]).toEqual([2, 'minpriv rbac: invalid value for --format: "sarif" (expected text, json)']);
    const rev = await cli(['rbac', 'diff', '--base', 'nope'], repo.dir);
    expect([rev.code, rev.err]).toEqual([2, `minpriv rbac: unknown git revision "nope" in ${repo.dir}\n`]);
  });
});
