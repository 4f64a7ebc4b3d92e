import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/core/rule.js';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';
import { buildObjectIndex } from '../../src/k8s/object-index.js';
import { allRules } from '../../src/rules/index.js';
import { rbacOf } from '../../src/rules/rbac-helpers.js';
import { yaml } from '../rules/tester.js';

const rule = (id: string): Rule => {
  const r = allRules.find((x) => x.id === id);
  if (!r) throw new Error(id);
  return r;
};
const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules:\n${rules}`;

/** The fixes the findings of `ids` declare, as [line, confidence, title]. */
function declared(content: string, ...ids: string[]) {
  const out = scan([{ path: 'r.yaml', content }], { ruleset: ids.map(rule) });
  return out.findings.map((f) => [f.line, f.fix?.confidence, f.fix?.title]);
}

/** The text after every verified fix, and the declined ones. */
function fixed(content: string, ...ids: string[]) {
  const options = { ruleset: ids.map(rule) };
  const out = scan([{ path: 'r.yaml', content }], options);
  const file = out.files.get('r.yaml');
  if (!file) throw new Error('not scanned');
  const { fixes, declined } = buildFixes(file, out.findings, { scan: options });
  return {
    text: applyLineEdits(
      content,
      fixes.map((f) => f.edit),
    ),
    declined: declined.map((d) => d.reason),
  };
}

describe('verb `*` spelled out (safe) only where the resources take no special verb', () => {
  const STANDARD = '`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`';
  it.each([
    ['configmaps', true],
    ['deployments/scale', true],
    ['serviceaccounts', false], // impersonate
    ['clusterroles', false], // bind, escalate
    ['signers', false], // approve
    ['nodes/proxy', false],
    ['podsecuritypolicies', false], // use
    ['*/scale', false],
  ])('%s: fix %s', (resource, fix) => {
    const found = declared(role(`  - apiGroups: [""]\n    resources: ["${resource}"]\n    verbs: ["*"]\n`), 'rbac-wildcard');
    const title = `replace verb \`*\` with ${STANDARD}: these resources take no other verb, so no API request changes (only special and future verbs go)`;
    expect(found.filter((f) => f[0] === 8)).toEqual([[8, fix ? 'safe' : undefined, fix ? title : undefined]]);
  });

  it('a list of plain items stays plain, a list of single-quoted items gets single quotes', () => {
    const plain = role('  - apiGroups: [""]\n    resources: [configmaps]\n    verbs: [get, "*"]\n');
    expect(fixed(plain, 'rbac-wildcard').text).toContain('    verbs: [get, list, watch, create, update, patch, delete, deletecollection]\n');
    const single = role("  - apiGroups: ['']\n    resources: ['configmaps']\n    verbs: ['*']\n");
    expect(fixed(single, 'rbac-wildcard').text).toContain("    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']\n");
  });

  it('not on non-resource URLs, whose verbs are HTTP methods', () => {
    expect(declared(role('  - nonResourceURLs: ["/metrics"]\n    verbs: ["*"]\n'), 'rbac-wildcard')).toEqual([[7, undefined, undefined]]);
  });

  it('keeps the other verbs the entry lists', () => {
    const { text } = fixed(role('  - apiGroups: [""]\n    resources: ["configmaps"]\n    verbs: ["*", "custom"]\n'), 'rbac-wildcard');
    // Quoted like the list it replaces (QA D12: `["*"]` became `[get, …]` in a file that quotes its verbs).
    expect(text).toContain('    verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "custom"]\n');
  });
});

describe('a duplicate entry is removed (safe), the last of equal ones', () => {
  it('two equal entries: only the second goes; a covered narrower entry goes too', () => {
    const content = role(
      yaml`
      - apiGroups: [""]
        resources: ["pods"]
        verbs: ["create", "get"]
      - apiGroups: [""]
        resources: ["pods"]
        verbs: ["create", "get"]
      - apiGroups: ["", "apps"]
        resources: ["pods", "deployments"]
        verbs: ["create"]
      - apiGroups: [""]
        resources: ["pods"]
        verbs: ["create"]
    `.replace(/^/gm, '  '),
    );
    expect(declared(content, 'rbac-create-pods')).toEqual([
      [7, undefined, undefined],
      [10, 'safe', 'remove `rules[1]`, a duplicate: `rules[0]` already grants all of it'],
      [13, undefined, undefined],
      [16, 'safe', 'remove `rules[3]`, a duplicate: `rules[0]` already grants all of it'],
    ]);
    const { text, declined } = fixed(content, 'rbac-create-pods');
    // Removing rules[1] moves rules[2] (with a finding of its own) to rules[1]: findings are keyed by path, so the
    // verifier sees the removed finding still there and declines that fix; it is never misapplied.
    expect(declined).toEqual(['verification failed: `rbac-create-pods` is still reported after the fix']);
    expect(text.split('\n').length).toBe(content.split('\n').length - 3);
  });
});

describe('review fixes drop only literal items, and only when the risk goes with them', () => {
  it('`secrets` through `*` is not dropped; a literal `secrets` next to `*` is not either', () => {
    expect(declared(role('  - apiGroups: [""]\n    resources: ["*"]\n    verbs: ["get"]\n'), 'rbac-secrets-read')).toEqual([[7, undefined, undefined]]);
    expect(declared(role('  - apiGroups: [""]\n    resources: ["secrets", "*"]\n    verbs: ["get"]\n'), 'rbac-secrets-read')).toEqual([
      [7, undefined, undefined],
    ]);
  });

  it('escalate, bind and impersonate are dropped from the verbs; verb `*` is left to the author', () => {
    const content = role(
      '  - apiGroups: ["rbac.authorization.k8s.io"]\n    resources: ["roles"]\n    verbs: ["get", "bind"]\n  - apiGroups: [""]\n    resources: ["users"]\n    verbs: ["*"]\n',
    );
    expect(declared(content, 'rbac-escalate-bind-impersonate')).toEqual([
      [8, 'review', 'drop `bind` from `rules[0].verbs`'],
      [11, undefined, undefined],
    ]);
    expect(fixed(content, 'rbac-escalate-bind-impersonate').text).toContain('    verbs: ["get"]\n');
  });
});

describe('fixes and the fingerprints of list items', () => {
  it('removing an anonymous subject is declined when a later subject has a finding of its own (its path shifts)', () => {
    const binding = yaml`
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata:
        name: public
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: ClusterRole
        name: view
      subjects:
        - kind: User
          name: system:anonymous
          apiGroup: rbac.authorization.k8s.io
        - kind: Group
          name: system:authenticated
          apiGroup: rbac.authorization.k8s.io
    `;
    expect(fixed(binding, 'rbac-powerful-binding').declined).toEqual(['verification failed: `rbac-powerful-binding` is still reported after the fix']);
    const last = binding.replace(/( {2}- kind: User\n.*\n.*\n)(( {2}- kind: Group\n.*\n.*\n))/, '$2$1');
    expect(fixed(last, 'rbac-powerful-binding')).toEqual({
      text: binding.split('\n').slice(0, 9).concat(last.split('\n').slice(9, 12), ['']).join('\n'),
      declined: [],
    });
  });
});

describe('the RBAC index of a scan', () => {
  it('is built once per object index and shared by every rule', () => {
    const a = buildObjectIndex([]);
    expect(rbacOf(a)).toBe(rbacOf(a));
    expect(rbacOf(buildObjectIndex([]))).not.toBe(rbacOf(a));
  });
});
