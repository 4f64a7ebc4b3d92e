import { describe, expect, it } from 'vitest';
import { breakdownRule, covers, makeRule, nonResourceURLCovers, type PolicyRule } from '../../src/rbac/index.js';

type Fields = Partial<PolicyRule>;
const rules = (list: Fields[]): PolicyRule[] => list.map(makeRule);

// kubernetes/kubernetes staging/src/k8s.io/component-helpers/auth/rbac/validation/policy_comparator_test.go, one row per TestCovers* function.
const cases: { name: string; owner: Fields[]; servant: Fields[]; covered: boolean; uncovered: Fields[] }[] = [
  {
    name: 'ExactMatch',
    owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['builds'] }],
    servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['builds'] }],
    covered: true,
    uncovered: [],
  },
  {
    name: 'SubresourceWildcard',
    owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['*/scale'] }],
    servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['foo/scale'] }],
    covered: true,
    uncovered: [],
  },
  {
    name: 'MultipleRulesCoveringSingleRule',
    owner: [
      { apiGroups: ['v1'], verbs: ['delete'], resources: ['deployments'] },
      { apiGroups: ['v1'], verbs: ['delete'], resources: ['builds'] },
      { apiGroups: ['v1'], verbs: ['update'], resources: ['builds', 'deployments'] },
    ],
    servant: [{ apiGroups: ['v1'], verbs: ['delete', 'update'], resources: ['builds', 'deployments'] }],
    covered: true,
    uncovered: [],
  },
  {
    name: 'MultipleAPIGroupsCoveringSingleRule',
    owner: [
      { apiGroups: ['group1'], verbs: ['delete'], resources: ['deployments'] },
      { apiGroups: ['group1'], verbs: ['delete'], resources: ['builds'] },
      { apiGroups: ['group1'], verbs: ['update'], resources: ['builds', 'deployments'] },
      { apiGroups: ['group2'], verbs: ['delete'], resources: ['deployments'] },
      { apiGroups: ['group2'], verbs: ['delete'], resources: ['builds'] },
      { apiGroups: ['group2'], verbs: ['update'], resources: ['builds', 'deployments'] },
    ],
    servant: [{ apiGroups: ['group1', 'group2'], verbs: ['delete', 'update'], resources: ['builds', 'deployments'] }],
    covered: true,
    uncovered: [],
  },
  {
    name: 'MultipleRulesMissingSingleVerbResourceCombination',
    owner: [
      { apiGroups: ['v1'], verbs: ['delete', 'update'], resources: ['builds', 'deployments'] },
      { apiGroups: ['v1'], verbs: ['delete'], resources: ['pods'] },
    ],
    servant: [{ apiGroups: ['v1'], verbs: ['delete', 'update'], resources: ['builds', 'deployments', 'pods'] }],
    covered: false,
    uncovered: [{ apiGroups: ['v1'], verbs: ['update'], resources: ['pods'] }],
  },
  {
    name: 'APIGroupStarCoveringMultiple',
    owner: [{ apiGroups: ['*'], verbs: ['get'], resources: ['roles'] }],
    servant: [{ apiGroups: ['group1', 'group2'], verbs: ['get'], resources: ['roles'] }],
    covered: true,
    uncovered: [],
  },
  {
    name: 'EnumerationNotCoveringAPIGroupStar',
    owner: [{ apiGroups: ['dummy-group'], verbs: ['get'], resources: ['roles'] }],
    servant: [{ apiGroups: ['*'], verbs: ['get'], resources: ['roles'] }],
    covered: false,
    uncovered: [{ apiGroups: ['*'], verbs: ['get'], resources: ['roles'] }],
  },
  {
    name: 'EnumerationNotCoveringVerbStar',
    owner: [{ apiGroups: ['v1'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete', 'exec'], resources: ['roles'] }],
    servant: [{ apiGroups: ['v1'], verbs: ['*'], resources: ['roles'] }],
    covered: false,
    uncovered: [{ apiGroups: ['v1'], verbs: ['*'], resources: ['roles'] }],
  },
  {
    name: 'ResourceStarCoveringMultiple',
    owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['*'] }],
    servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['resourcegroup:deployments'] }],
    covered: true,
    uncovered: [],
  },
  {
    name: 'EnumerationNotCoveringResourceStar',
    owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['roles', 'resourcegroup:deployments'] }],
    servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['*'] }],
    covered: false,
    uncovered: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['*'] }],
  },
  {
    name: 'ResourceNameEmptyCoveringMultiple',
    owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['pods'], resourceNames: [] }],
    servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['pods'], resourceNames: ['foo', 'bar'] }],
    covered: true,
    uncovered: [],
  },
  {
    name: 'EnumerationNotCoveringResourceNameEmpty',
    owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['pods'], resourceNames: ['foo', 'bar'] }],
    servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['pods'], resourceNames: [] }],
    covered: false,
    uncovered: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['pods'] }],
  },
  {
    name: 'NonResourceURLsStar',
    owner: [{ nonResourceURLs: ['*'], verbs: ['*'] }],
    servant: [{ nonResourceURLs: ['/apis', '/apis/v1', '/'], verbs: ['*'] }],
    covered: true,
    uncovered: [],
  },
  {
    name: 'NonResourceURLsStarAfterPrefixDoesntCover',
    owner: [{ nonResourceURLs: ['/apis/*'], verbs: ['*'] }],
    servant: [{ nonResourceURLs: ['/apis', '/apis/v1'], verbs: ['get'] }],
    covered: false,
    uncovered: [{ nonResourceURLs: ['/apis'], verbs: ['get'] }],
  },
  {
    name: 'NonResourceURLsStarAfterPrefix',
    owner: [{ nonResourceURLs: ['/apis/*'], verbs: ['*'] }],
    servant: [{ nonResourceURLs: ['/apis/v1/foo', '/apis/v1'], verbs: ['get'] }],
    covered: true,
    uncovered: [],
  },
  {
    name: 'NonResourceURLsWithOtherFields',
    owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['builds'], nonResourceURLs: ['/apis'] }],
    servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['builds'], nonResourceURLs: ['/apis'] }],
    covered: true,
    uncovered: [],
  },
  {
    name: 'NonResourceURLsWithOtherFieldsFailure',
    owner: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['builds'] }],
    servant: [{ apiGroups: ['v1'], verbs: ['get'], resources: ['builds'], nonResourceURLs: ['/apis'] }],
    covered: false,
    uncovered: [{ nonResourceURLs: ['/apis'], verbs: ['get'] }],
  },
];

describe('covers (policy_comparator.go Covers)', () => {
  for (const tc of cases) {
    it(`TestCovers${tc.name}`, () => {
      expect(covers(rules(tc.owner), rules(tc.servant))).toEqual({ covers: tc.covered, uncovered: rules(tc.uncovered) });
    });
  }

  it('the built-in "edit" pieces: a Role listing pods/exec does not cover pods/*', () => {
    const owner = rules([{ apiGroups: [''], verbs: ['create'], resources: ['pods/exec', 'pods/attach'] }]);
    expect(covers(owner, rules([{ apiGroups: [''], verbs: ['create'], resources: ['pods/*'] }])).covers).toBe(false);
  });
});

describe('breakdownRule', () => {
  it('one atom per (group, resource, verb, name), then per (URL, verb)', () => {
    const atoms = breakdownRule(
      makeRule({ apiGroups: ['', 'apps'], resources: ['pods'], verbs: ['get', 'list'], resourceNames: ['a'], nonResourceURLs: ['/x'] }),
    );
    expect(atoms).toEqual(
      rules([
        { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['list'], resourceNames: ['a'] },
        { apiGroups: ['apps'], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] },
        { apiGroups: ['apps'], resources: ['pods'], verbs: ['list'], resourceNames: ['a'] },
        { nonResourceURLs: ['/x'], verbs: ['get'] },
        { nonResourceURLs: ['/x'], verbs: ['list'] },
      ]),
    );
  });

  it('a rule without apiGroups yields no resource atoms', () => {
    expect(breakdownRule(makeRule({ resources: ['pods'], verbs: ['get'] }))).toEqual([]);
  });
});

// policy_comparator_test.go `TestNonResourceURLCovers`.
describe('nonResourceURLCovers', () => {
  const table: [string, string, boolean][] = [
    ['*', '', true],
    ['*', '/', true],
    ['*', '/api', true],
    ['/*', '', false],
    ['/*', '/', true],
    ['/*', '/foo', true],
    ['/api', '/api', true],
    ['/apis', '/api', false],
    ['/api/v1', '/api', false],
    ['/api/v1', '/api/v1', true],
    ['/api/*', '/api/v1', true],
    ['/api/*', '/api', false],
    ['/api/*/*', '/api/v1', false],
    ['/*/v1/*', '/api/v1', false],
  ];
  for (const [owner, requested, want] of table) {
    it(`${owner} vs ${JSON.stringify(requested)}`, () => expect(nonResourceURLCovers(owner, requested)).toBe(want));
  }
});
