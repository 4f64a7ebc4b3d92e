import { describe, expect, it } from 'vitest';
import type { Obj } from '../../src/core/workload.js';
import { createRbacIndex, isResolved, makeRule, type RbacObject, type SubjectRef } from '../../src/rbac/index.js';

type Ref = string;
const clusterRole = (name: string, rules: Obj[]): RbacObject<Ref> => ({ kind: 'ClusterRole', name, value: { rules }, ref: `cr:${name}` });
const role = (namespace: string, name: string, rules: Obj[]): RbacObject<Ref> => ({
  kind: 'Role',
  name,
  namespace,
  value: { rules },
  ref: `r:${namespace}/${name}`,
});
const crb = (name: string, roleRef: Obj, subjects: Obj[]): RbacObject<Ref> => ({
  kind: 'ClusterRoleBinding',
  name,
  value: { roleRef, subjects },
  ref: `crb:${name}`,
});
const rb = (namespace: string | undefined, name: string, roleRef: Obj, subjects: Obj[]): RbacObject<Ref> => ({
  kind: 'RoleBinding',
  name,
  ...(namespace ? { namespace } : {}),
  value: { roleRef, subjects },
  ref: `rb:${namespace}/${name}`,
});
const toCR = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name });
const toRole = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name });
const user = (name: string) => ({ kind: 'User', name });
const group = (name: string) => ({ kind: 'Group', name });
const sa = (name: string, namespace?: string) => ({ kind: 'ServiceAccount', name, ...(namespace ? { namespace } : {}) });
const anything = clusterRole('anything', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]);

// kubernetes/kubernetes pkg/registry/rbac/validation/rule_test.go `TestAppliesTo`, each row as a one-binding index.
describe('appliesTo (rule.go appliesToUser)', () => {
  const applies = (subjects: Obj[], who: SubjectRef, opts: { groups?: string[]; implicitGroups?: boolean }, namespace?: string) => {
    const binding = namespace ? rb(namespace, 'b', toCR('anything'), subjects) : crb('b', toCR('anything'), subjects);
    return createRbacIndex([anything, binding], { builtins: false }).permissionsOf(who, opts).length > 0;
  };
  const plain = { implicitGroups: false };
  it('single subject that matches username', () => expect(applies([user('foobar')], { kind: 'User', name: 'foobar' }, plain)).toBe(true));
  it('multiple subjects, one that matches username', () => {
    expect(applies([user('barfoo'), user('foobar')], { kind: 'User', name: 'foobar' }, plain)).toBe(true);
  });
  it('multiple subjects, none that match username', () => {
    expect(applies([user('barfoo'), user('foobar')], { kind: 'User', name: 'zimzam' }, plain)).toBe(false);
  });
  it('multiple subjects, one that match group', () => {
    expect(applies([user('barfoo'), group('foobar')], { kind: 'User', name: 'zimzam' }, { ...plain, groups: ['foobar'] })).toBe(true);
  });
  it('multiple subjects, one that match group, should ignore namespace', () => {
    expect(applies([user('barfoo'), group('foobar')], { kind: 'User', name: 'zimzam' }, { ...plain, groups: ['foobar'] }, 'namespace1')).toBe(true);
  });
  it('multiple subjects with a service account that matches', () => {
    const subjects = [user('barfoo'), group('foobar'), sa('default', 'kube-system')];
    expect(applies(subjects, { kind: 'User', name: 'system:serviceaccount:kube-system:default' }, plain, 'default')).toBe(true);
    expect(applies(subjects, { kind: 'ServiceAccount', name: 'default', namespace: 'kube-system' }, plain, 'default')).toBe(true);
  });
  it("* user subject name doesn't match all users", () => expect(applies([user('*')], { kind: 'User', name: 'foobar' }, plain, 'default')).toBe(false));
  it('binding to all authenticated and unauthenticated subjects matches authenticated user', () => {
    expect(applies([group('system:authenticated'), group('system:unauthenticated')], { kind: 'User', name: 'foobar' }, {}, 'default')).toBe(true);
  });
  it('binding to all authenticated and unauthenticated subjects matches anonymous user', () => {
    const who: SubjectRef = { kind: 'User', name: 'system:anonymous' };
    expect(applies([group('system:unauthenticated')], who, {}, 'default')).toBe(true);
    expect(applies([group('system:authenticated')], who, {}, 'default')).toBe(false);
  });
});

// rule_test.go `TestDefaultRuleResolver`, staticRoles1.
describe('effective rules (rule.go DefaultRuleResolver)', () => {
  const readPods = { verbs: ['GET', 'WATCH'], apiGroups: ['v1'], resources: ['pods'] };
  const readServices = { verbs: ['GET', 'WATCH'], apiGroups: ['v1'], resources: ['services'] };
  const admin = { verbs: ['*'], apiGroups: ['*'], resources: ['*'] };
  const index = createRbacIndex(
    [
      role('namespace1', 'readthings', [readPods, readServices]),
      clusterRole('cluster-admin', [admin]),
      clusterRole('write-nodes', [{ verbs: ['PUT', 'CREATE', 'UPDATE'], apiGroups: ['v1'], resources: ['nodes'] }]),
      rb('namespace1', 'rb', toRole('readthings'), [user('foobar'), group('group1')]),
      crb('crb', toCR('cluster-admin'), [user('admin'), group('admin')]),
    ],
    { builtins: false },
  );
  const rulesOf = (who: SubjectRef, groups: string[] = []) =>
    index.permissionsOf(who, { implicitGroups: false, groups }).map((p) => ({ rule: p.rule, scope: p.scope, via: p.subject.name }));

  it('foobar gets readthings in namespace1 only', () => {
    expect(rulesOf({ kind: 'User', name: 'foobar' })).toEqual([
      { rule: makeRule(readPods), scope: { namespace: 'namespace1' }, via: 'foobar' },
      { rule: makeRule(readServices), scope: { namespace: 'namespace1' }, via: 'foobar' },
    ]);
  });
  it('a member of group admin gets cluster-admin everywhere', () => {
    expect(rulesOf({ kind: 'User', name: 'nobody' }, ['admin'])).toEqual([{ rule: makeRule(admin), scope: { cluster: true }, via: 'admin' }]);
  });
  it('an unknown user gets nothing', () => expect(rulesOf({ kind: 'User', name: '' })).toEqual([]));
  it('whoCan: RoleBindings count only in their namespace', () => {
    const who = (namespace: string) =>
      index.whoCan({ verb: 'GET', apiGroup: 'v1', resource: 'pods', namespace }).map((p) => `${p.binding.name}:${p.subject.name}`);
    expect(who('namespace1')).toEqual(['crb:admin', 'crb:admin', 'rb:foobar', 'rb:group1']);
    expect(who('namespace2')).toEqual(['crb:admin', 'crb:admin']);
  });
});

describe('binding resolution', () => {
  const index = createRbacIndex(
    [
      clusterRole('reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
      role('a', 'local', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]),
      rb('a', 'to-cluster-role', toCR('reader'), [user('u')]),
      rb('a', 'to-local-role', toRole('local'), [user('u')]),
      rb('b', 'to-other-ns-role', toRole('local'), [user('u')]),
      crb('crb-to-role', toRole('local'), [user('u')]),
      crb('crb-missing', toCR('ghost'), [user('u')]),
      crb('crb-bad-kind', { kind: 'Foo', name: 'reader' }, [user('u')]),
      crb('crb-no-name', { kind: 'ClusterRole' }, [user('u')]),
      { kind: 'ClusterRoleBinding', name: 'garbage', value: { roleRef: 'x', subjects: 'y' } },
    ],
    { builtins: false },
  );
  const binding = (name: string) => index.bindings.find((b) => b.name === name)!;
  const status = (name: string) => {
    const r = binding(name).role;
    return isResolved(r) ? `${r.kind}/${r.namespace ?? ''}/${r.name}` : r.unresolved;
  };

  it('a RoleBinding to a ClusterRole grants it in the binding namespace', () => {
    expect(status('to-cluster-role')).toBe('ClusterRole//reader');
    expect(index.grantsOf(binding('to-cluster-role')).map((g) => [g.scope, g.role.ref, g.source.origin.ref, g.binding.ref])).toEqual([
      [{ namespace: 'a' }, 'cr:reader', 'cr:reader', 'rb:a/to-cluster-role'],
    ]);
  });
  it('a RoleBinding finds Roles in its own namespace only', () => {
    expect(status('to-local-role')).toBe('Role/a/local');
    expect(status('to-other-ns-role')).toBe('not-found');
  });
  it('a ClusterRoleBinding cannot reference a Role', () => expect(status('crb-to-role')).toBe('unsupported-kind'));
  it('missing roles, unknown kinds and missing names are explicit, and grant nothing', () => {
    expect([status('crb-missing'), status('crb-bad-kind'), status('crb-no-name'), status('garbage')]).toEqual([
      'not-found',
      'unsupported-kind',
      'missing-name',
      'missing-name',
    ]);
    expect(index.grantsOf(binding('crb-missing'))).toEqual([]);
    expect(index.subjectsOf(binding('garbage'))).toEqual([]);
  });
  it('roleRef.apiGroup defaults to rbac.authorization.k8s.io (defaults.go)', () => {
    expect(binding('crb-bad-kind').roleRef).toEqual({ kind: 'Foo', name: 'reader', apiGroup: 'rbac.authorization.k8s.io' });
  });
  it('bindingsTo lists the bindings of a role', () => {
    expect(index.bindingsTo(index.role('ClusterRole', 'reader')!).map((b) => b.name)).toEqual(['to-cluster-role']);
  });
});

describe('subjects: defaulting and ServiceAccount identity', () => {
  const index = createRbacIndex([
    anything,
    rb('team', 'local-sa', toCR('anything'), [sa('app')]),
    rb(undefined, 'no-namespace', toCR('anything'), [sa('app')]),
    crb('crb-sa-no-ns', toCR('anything'), [sa('app')]),
    crb('ns-group', toCR('anything'), [group('system:serviceaccounts:team')]),
    crb('typed', toCR('anything'), [user('alice'), { kind: 'User', name: 'bob', apiGroup: 'example.com' }, { kind: 'Robot', name: 'r2' }]),
  ]);
  const bindingsOf = (who: SubjectRef, opts = {}) => [...new Set(index.permissionsOf(who, opts).map((p) => p.binding.name))].sort();
  const subjects = (name: string) => index.subjectsOf(index.bindings.find((b) => b.name === name)!);

  it('a ServiceAccount subject without namespace takes the RoleBinding namespace', () => {
    expect(subjects('local-sa')).toEqual([{ kind: 'ServiceAccount', name: 'app', namespace: 'team', apiGroup: '', index: 0 }]);
  });
  it('a namespaced object without namespace is placed in defaultNamespace', () => {
    expect(index.bindings.find((b) => b.name === 'no-namespace')?.namespace).toBe('default');
    expect(createRbacIndex([rb(undefined, 'x', toCR('view'), [])], { defaultNamespace: 'apps' }).bindings[0]?.namespace).toBe('apps');
  });
  it('in a ClusterRoleBinding it is invalid and matches nobody', () => {
    expect(subjects('crb-sa-no-ns')[0]?.problem).toBe('a ServiceAccount subject of a ClusterRoleBinding needs a namespace');
    expect(index.whoCan({ verb: 'get', apiGroup: '', resource: 'pods' }).some((p) => p.binding.name === 'crb-sa-no-ns')).toBe(false);
  });
  it('User and Group subjects default to the rbac apiGroup; other apiGroups and kinds are reported', () => {
    expect(subjects('typed')).toEqual([
      { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io', index: 0 },
      { kind: 'User', name: 'bob', apiGroup: 'example.com', index: 1, problem: 'apiGroup of a User subject must be rbac.authorization.k8s.io' },
      { kind: 'Robot', name: 'r2', apiGroup: '', index: 2, problem: 'unsupported subject kind "Robot"' },
    ]);
  });
  it('a ServiceAccount also gets what its groups and system:authenticated are bound to, built-ins included', () => {
    expect(bindingsOf({ kind: 'ServiceAccount', name: 'app', namespace: 'team' })).toEqual([
      'local-sa',
      'ns-group',
      'system:basic-user',
      'system:discovery',
      'system:public-info-viewer',
      'system:service-account-issuer-discovery',
    ]);
    expect(bindingsOf({ kind: 'ServiceAccount', name: 'app', namespace: 'team' }, { implicitGroups: false })).toEqual([
      'local-sa',
      'ns-group',
      'system:service-account-issuer-discovery',
    ]);
    expect(bindingsOf({ kind: 'ServiceAccount', name: 'app', namespace: 'default' }, { implicitGroups: false })).toEqual([
      'no-namespace',
      'system:service-account-issuer-discovery',
    ]);
  });
  it('whoCan sees built-in bindings: system:masters can do anything, anonymous users can read /healthz', () => {
    const names = (attrs: Parameters<typeof index.whoCan>[0]) => index.whoCan(attrs).map((p) => `${p.subject.kind}:${p.subject.name}`);
    expect(names({ verb: 'delete', apiGroup: '', resource: 'nodes' })).toContain('Group:system:masters');
    expect(names({ verb: 'get', path: '/healthz' })).toEqual(
      expect.arrayContaining(['Group:system:masters', 'Group:system:authenticated', 'Group:system:unauthenticated', 'Group:system:monitoring']),
    );
  });
  it('an input ClusterRole shadows the built-in of the same name', () => {
    const own = createRbacIndex([clusterRole('view', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])]).role('ClusterRole', 'view');
    expect([own?.builtin, own?.aggregated, own?.rules.length, own?.ref]).toEqual([false, false, 1, 'cr:view']);
  });
});

describe('scale', () => {
  it('indexes 2,000 roles and 5,000 bindings and answers queries quickly', () => {
    const objects: RbacObject<Ref>[] = [];
    for (let i = 0; i < 2000; i++) objects.push(role(`ns${i % 100}`, `r${i}`, [{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'list'] }]));
    for (let i = 0; i < 5000; i++)
      objects.push(rb(`ns${i % 100}`, `b${i}`, i % 2 ? toRole(`r${i % 2000}`) : toCR('edit'), [sa(`sa${i % 300}`), group(`g${i % 50}`)]));
    const start = performance.now();
    const index = createRbacIndex(objects);
    const perms = index.permissionsOf({ kind: 'ServiceAccount', name: 'sa7', namespace: 'ns7' });
    const who = index.whoCan({ verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'ns7' });
    expect(index.bindings.length).toBe(5000 + 12);
    expect(perms.length).toBeGreaterThan(0);
    expect(who.length).toBeGreaterThan(0);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
