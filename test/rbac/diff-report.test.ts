import { describe, expect, it } from 'vitest';
import type { PermissionDiff, PermissionRow } from '../../src/rbac/diff.js';
import { renderPermissionDiffMarkdown, renderPermissionDiffText, riskyGrantComments, verbsPhrase } from '../../src/report/permissions.js';

const row = (fields: Partial<PermissionRow>): PermissionRow => ({
  scope: 'cluster',
  apiGroups: [''],
  resources: [],
  verbs: [],
  resourceNames: [],
  nonResourceURLs: [],
  grantedBy: [],
  risky: [],
  ...fields,
});
const crb = { file: 'rbac/crb.yaml', line: 1, kind: 'ClusterRoleBinding', name: 'robot-reader' };
const reader = { file: 'rbac/reader.yaml', line: 9, kind: 'ClusterRole', name: 'reader' };

const devsRb = [
  { file: 'rbac/devs.yaml', line: 3, kind: 'RoleBinding', name: 'devs' },
  { file: 'rbac/devs.yaml', line: 12, kind: 'Role', name: 'deployer' },
];

const DIFF: PermissionDiff = {
  subjects: [
    {
      subject: { kind: 'Group', name: 'devs' },
      added: [
        row({
          scope: 'namespace',
          namespace: 'shop',
          apiGroups: ['apps'],
          resources: ['deployments'],
          verbs: ['get', 'list', 'watch', 'patch'],
          grantedBy: devsRb,
        }),
      ],
      removed: [
        row({
          resources: ['configmaps'],
          resourceNames: ['app-config'],
          verbs: ['get'],
          grantedBy: [
            { ...crb, name: 'devs' },
            { file: null, line: null, kind: 'ClusterRole', name: 'view' },
          ],
        }),
      ],
      workloads: [],
    },
    {
      subject: { kind: 'ServiceAccount', name: 'robot', namespace: 'ops' },
      added: [
        row({ resources: ['secrets'], verbs: ['get', 'list', 'watch'], grantedBy: [crb, reader], risky: ['secrets-read'] }),
        row({ apiGroups: [], nonResourceURLs: ['/metrics'], verbs: ['get'], grantedBy: [crb, reader] }),
      ],
      removed: [],
      workloads: [{ kind: 'CronJob', namespace: 'ops', name: 'nightly', file: 'apps/nightly.yaml' }],
    },
  ],
  notes: ['head: the repository has 6000 YAML files; the first 5000 by path were read'],
};

describe('permission diff renderers', () => {
  it('render nothing in Markdown, and one line in text, when nothing changes', () => {
    expect(renderPermissionDiffMarkdown({ subjects: [], notes: ['base: a note'] })).toBe('');
    expect(renderPermissionDiffText({ subjects: [], notes: [] })).toBe('No permission changes.\n');
  });

  it('Markdown: a sentence per risky subject, then one table per subject, risky subjects and rows first, then what is removed', () => {
    expect(renderPermissionDiffMarkdown(DIFF)).toBe(`### Permissions this change grants

- :warning: CronJob \`ops/nightly\` (as ServiceAccount \`ops/robot\`) can now read Secrets in every namespace.

**ServiceAccount \`ops/robot\`**, run by CronJob \`ops/nightly\` (\`apps/nightly.yaml\`)

| Risk | Scope | Verbs | On | Granted by |
| --- | --- | --- | --- | --- |
| :warning: \`secrets-read\` | cluster-wide | read | \`secrets\` | ClusterRoleBinding \`robot-reader\` (\`rbac/crb.yaml:1\`) → ClusterRole \`reader\` (\`rbac/reader.yaml:9\`) |
|  | cluster-wide | get | \`/metrics\` | ClusterRoleBinding \`robot-reader\` (\`rbac/crb.yaml:1\`) → ClusterRole \`reader\` (\`rbac/reader.yaml:9\`) |

**Group \`devs\`**

| Risk | Scope | Verbs | On | Granted by |
| --- | --- | --- | --- | --- |
|  | namespace \`shop\` | read, patch | \`deployments.apps\` | RoleBinding \`devs\` (\`rbac/devs.yaml:3\`) → Role \`deployer\` (\`rbac/devs.yaml:12\`) |

_read_ = get, list, watch; _write_ = create, update, patch, delete, deletecollection.

### Permissions this change removes

**Group \`devs\`**

| Risk | Scope | Verbs | On | Granted by |
| --- | --- | --- | --- | --- |
|  | cluster-wide | get | \`configmaps\` named \`app-config\` | ClusterRoleBinding \`devs\` (\`rbac/crb.yaml:1\`) → ClusterRole \`view\` (built-in) |

_read_ = get, list, watch; _write_ = create, update, patch, delete, deletecollection.

> head: the repository has 6000 YAML files; the first 5000 by path were read
`);
  });

  it('Markdown: rows and subjects beyond the caps are counted', () => {
    const many: PermissionDiff = {
      subjects: ['a', 'b'].map((name) => ({
        subject: { kind: 'User' as const, name },
        added: ['x', 'y', 'z'].map((r) => row({ resources: [r], verbs: ['get'] })),
        removed: [],
        workloads: [],
      })),
      notes: [],
    };
    const md = renderPermissionDiffMarkdown(many, { maxRows: 2, maxSubjects: 1 });
    expect(md).toContain('| | | | … and 1 more rows | |');
    expect(md).toContain('… and 1 more subjects: run `minpriv rbac diff` for all of them.');
    expect(md).not.toContain('User `b`');
  });

  it('text: every row, risky ones marked', () => {
    expect(renderPermissionDiffText(DIFF)).toBe(`! CronJob ops/nightly (as ServiceAccount ops/robot) can now read Secrets in every namespace.

Permissions this change grants:

ServiceAccount ops/robot (run by CronJob ops/nightly in apps/nightly.yaml)
  ! cluster-wide: read on secrets  [secrets-read]
      granted by ClusterRoleBinding robot-reader (rbac/crb.yaml:1) → ClusterRole reader (rbac/reader.yaml:9)
    cluster-wide: get on /metrics
      granted by ClusterRoleBinding robot-reader (rbac/crb.yaml:1) → ClusterRole reader (rbac/reader.yaml:9)

Group devs
    namespace shop: read, patch on deployments.apps
      granted by RoleBinding devs (rbac/devs.yaml:3) → Role deployer (rbac/devs.yaml:12)

Permissions this change removes:

Group devs
    cluster-wide: get on configmaps named app-config
      granted by ClusterRoleBinding devs (rbac/crb.yaml:1) → ClusterRole view (built-in)

read = get, list, watch; write = create, update, patch, delete, deletecollection.
note: head: the repository has 6000 YAML files; the first 5000 by path were read
`);
  });

  it('verbs read as read and write where the whole set is there', () => {
    expect(verbsPhrase(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'])).toBe('read, write');
    expect(verbsPhrase(['create', 'update', 'patch', 'delete', 'deletecollection', 'impersonate'])).toBe('write, impersonate');
    expect(verbsPhrase(['get', 'list'])).toBe('get, list');
    expect(verbsPhrase(['*'])).toBe('* (every verb)');
  });

  it('review comments: one per file line that grants a risky addition, naming the subjects and workloads', () => {
    expect(riskyGrantComments(DIFF)).toEqual([
      {
        file: 'rbac/crb.yaml',
        line: 1,
        body: '**minpriv: this grants read Secrets** to `ServiceAccount ops/robot` (`CronJob ops/nightly`).',
      },
      {
        file: 'rbac/reader.yaml',
        line: 9,
        body: '**minpriv: this grants read Secrets** to `ServiceAccount ops/robot` (`CronJob ops/nightly`).',
      },
    ]);
  });
});
