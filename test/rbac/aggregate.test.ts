import { describe, expect, it } from 'vitest';
import type { Obj } from '../../src/core/workload.js';
import { createRbacIndex, makeRule, type RbacObject } from '../../src/rbac/index.js';

const hammer = [
  { verbs: ['hammer'], resources: ['nails'] },
  { verbs: ['hammer'], resources: ['wedges'] },
];
const chisel = [{ verbs: ['chisel'], resources: ['mortises'] }];
const saw = [{ verbs: ['saw'], resources: ['boards'] }];

const role = (name: string, labels: Record<string, string>, rules: Obj[]): RbacObject<string> => ({
  kind: 'ClusterRole',
  name,
  value: { metadata: { name, labels }, rules },
  ref: name,
});
const combined = (selectors: Obj[], rules: Obj[] = []): RbacObject<string> => ({
  kind: 'ClusterRole',
  name: 'combined',
  value: { metadata: { name: 'combined' }, aggregationRule: { clusterRoleSelectors: selectors }, rules },
  ref: 'combined',
});
const rulesOf = (objects: RbacObject<string>[], name = 'combined') =>
  createRbacIndex(objects, { builtins: false })
    .role('ClusterRole', name)
    ?.rules.map((r) => r.rule);
const expected = (...lists: Obj[][]) => lists.flat().map((r) => makeRule(r));

// kubernetes/kubernetes pkg/controller/clusterroleaggregation/clusterroleaggregation_controller_test.go `TestSyncClusterRole`.
describe('aggregation (clusterroleaggregation_controller.go syncClusterRole)', () => {
  it('remove dead rules', () => {
    expect(rulesOf([role('hammer', { foo: 'bar' }, hammer), combined([{ matchLabels: { foo: 'bar' } }], saw)])).toEqual(expected(hammer));
  });
  it('strip rules', () => {
    expect(rulesOf([role('hammer', { foo: 'not-bar' }, hammer), combined([{ matchLabels: { foo: 'bar' } }], hammer)])).toEqual([]);
  });
  it('select properly and put in order', () => {
    const objects = [
      role('hammer', { foo: 'bar' }, hammer),
      role('chisel', { foo: 'bar' }, chisel),
      role('saw', { foo: 'not-bar' }, saw),
      combined([{ matchLabels: { foo: 'bar' } }]),
    ];
    expect(rulesOf(objects)).toEqual(expected(chisel, hammer));
  });
  it('select properly with multiple selectors', () => {
    const objects = [
      role('hammer', { foo: 'bar' }, hammer),
      role('chisel', { foo: 'bar' }, chisel),
      role('saw', { foo: 'not-bar' }, saw),
      combined([{ matchLabels: { foo: 'bar' } }, { matchLabels: { foo: 'not-bar' } }]),
    ];
    expect(rulesOf(objects)).toEqual(expected(chisel, hammer, saw));
  });
  it('select properly remove duplicates', () => {
    const objects = [
      role('hammer', { foo: 'bar' }, hammer),
      role('chisel', { foo: 'bar' }, chisel),
      role('saw', { foo: 'bar' }, saw),
      role('other-saw', { foo: 'not-bar' }, saw),
      combined([{ matchLabels: { foo: 'bar' } }, { matchLabels: { foo: 'not-bar' } }]),
    ];
    const index = createRbacIndex(objects, { builtins: false });
    const agg = index.role('ClusterRole', 'combined');
    expect(agg?.rules.map((r) => r.rule)).toEqual(expected(chisel, hammer, saw));
    // The surviving copy of the saw rule is the one from the first selector's match.
    expect(agg?.rules.map((r) => r.origin.name)).toEqual(['chisel', 'hammer', 'hammer', 'saw']);
    expect(agg?.aggregatedFrom).toEqual(['chisel', 'hammer', 'saw', 'other-saw']);
  });
});

describe('aggregation with label selector expressions (LabelSelectorAsSelector)', () => {
  const tools = [role('hammer', { tool: 'hammer', team: 'a' }, hammer), role('chisel', { tool: 'chisel' }, chisel), role('saw', { team: 'b' }, saw)];
  const by = (selector: Obj) => rulesOf([...tools, combined([selector])]);

  it('In', () => expect(by({ matchExpressions: [{ key: 'tool', operator: 'In', values: ['chisel', 'x'] }] })).toEqual(expected(chisel)));
  it('NotIn also selects roles without the label', () => {
    expect(by({ matchExpressions: [{ key: 'tool', operator: 'NotIn', values: ['hammer'] }] })).toEqual(expected(chisel, saw));
  });
  it('Exists', () => expect(by({ matchExpressions: [{ key: 'team', operator: 'Exists' }] })).toEqual(expected(hammer, saw)));
  it('DoesNotExist', () => expect(by({ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] })).toEqual(expected(chisel)));
  it('matchLabels and matchExpressions are ANDed', () => {
    expect(by({ matchLabels: { team: 'a' }, matchExpressions: [{ key: 'tool', operator: 'Exists' }] })).toEqual(expected(hammer));
  });
  it('an empty selector selects every other ClusterRole', () => expect(by({})).toEqual(expected(chisel, hammer, saw)));
  it('a null selector is the zero LabelSelector, so it selects everything too', () =>
    expect(by(null as unknown as Obj)).toEqual(expected(chisel, hammer, saw)));

  it('an invalid selector selects nothing and is reported', () => {
    const index = createRbacIndex([...tools, combined([{ matchExpressions: [{ key: 'tool', operator: 'In', values: [] }] }])], { builtins: false });
    const agg = index.role('ClusterRole', 'combined');
    expect(agg?.rules).toEqual([]);
    expect(agg?.aggregationErrors).toEqual(["clusterRoleSelectors[0]: for 'In' the values set can't be empty"]);
  });

  it('an aggregationRule with no selectors is reported and aggregates nothing', () => {
    const agg = createRbacIndex([...tools, combined([], hammer)], { builtins: false }).role('ClusterRole', 'combined');
    expect(agg?.rules).toEqual([]);
    expect(agg?.aggregationErrors).toEqual(['at least one clusterRoleSelector required if aggregationRule is non-nil']);
  });
});

describe('aggregation chains and built-ins', () => {
  it('is transitive: an aggregated role contributes its aggregated rules (view ⊂ edit ⊂ admin)', () => {
    const index = createRbacIndex([]);
    const names = (n: string) => new Set(index.role('ClusterRole', n)?.rules.map((r) => r.origin.name));
    expect(names('view')).toEqual(new Set(['system:aggregate-to-view']));
    expect(names('edit')).toEqual(new Set(['system:aggregate-to-edit', 'system:aggregate-to-view']));
    expect(names('admin')).toEqual(new Set(['system:aggregate-to-admin', 'system:aggregate-to-edit', 'system:aggregate-to-view']));
    expect(index.role('ClusterRole', 'edit')?.aggregatedFrom).toEqual(['system:aggregate-to-edit', 'view']);
  });

  it('a repo ClusterRole labelled aggregate-to-view widens view, edit and admin', () => {
    const crd = role('crd-viewer', { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }, [
      { apiGroups: ['x.io'], resources: ['widgets'], verbs: ['get'] },
    ]);
    const index = createRbacIndex([crd]);
    for (const n of ['view', 'edit', 'admin']) {
      const origin = index.role('ClusterRole', n)?.rules.find((r) => r.rule.resources.includes('widgets'))?.origin;
      expect([n, origin?.name, origin?.ref]).toEqual([n, 'crd-viewer', 'crd-viewer']);
    }
  });

  it('a cycle settles on the union of both sides', () => {
    const a: RbacObject<string> = {
      kind: 'ClusterRole',
      name: 'a',
      value: { metadata: { labels: { side: 'a' } }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { side: 'b' } }] } },
    };
    const b: RbacObject<string> = {
      kind: 'ClusterRole',
      name: 'b',
      value: {
        metadata: { labels: { side: 'b' } },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { side: 'a' } }, { matchLabels: { leaf: 'y' } }] },
      },
    };
    const leaf = role('leaf', { leaf: 'y', side: 'a' }, saw);
    const index = createRbacIndex([a, b, leaf], { builtins: false });
    expect(index.role('ClusterRole', 'a')?.rules.map((r) => r.rule)).toEqual(expected(saw));
    expect(index.role('ClusterRole', 'b')?.rules.map((r) => r.rule)).toEqual(expected(saw));
  });
});
