import { describe, expect, it } from 'vitest';
import { makeRule, normalizeRule, type RequestAttrs, ruleAllows, rulesAllow } from '../../src/rbac/index.js';

const res = (verb: string, apiGroup: string, resource: string, subresource?: string, name?: string): RequestAttrs => ({
  verb,
  apiGroup,
  resource,
  ...(subresource ? { subresource } : {}),
  ...(name ? { name } : {}),
});
const url = (verb: string, path: string): RequestAttrs => ({ verb, path });

// kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/rbac_test.go `TestRuleMatches`, case by case.
const ruleMatchesCases: { name: string; rule: Parameters<typeof makeRule>[0]; requests: [RequestAttrs, boolean][] }[] = [
  {
    name: 'star verb, exact match other',
    rule: { verbs: ['*'], apiGroups: ['group1'], resources: ['resource1'] },
    requests: [
      [res('verb1', 'group1', 'resource1'), true],
      [res('verb1', 'group2', 'resource1'), false],
      [res('verb1', 'group1', 'resource2'), false],
      [res('verb2', 'group1', 'resource1'), true],
      [res('verb2', 'group2', 'resource2'), false],
    ],
  },
  {
    name: 'star group, exact match other',
    rule: { verbs: ['verb1'], apiGroups: ['*'], resources: ['resource1'] },
    requests: [
      [res('verb1', 'group1', 'resource1'), true],
      [res('verb1', 'group2', 'resource1'), true],
      [res('verb1', 'group1', 'resource2'), false],
      [res('verb2', 'group1', 'resource1'), false],
    ],
  },
  {
    name: 'star resource, exact match other',
    rule: { verbs: ['verb1'], apiGroups: ['group1'], resources: ['*'] },
    requests: [
      [res('verb1', 'group1', 'resource1'), true],
      [res('verb1', 'group2', 'resource1'), false],
      [res('verb1', 'group1', 'resource2'), true],
      [res('verb2', 'group1', 'resource1'), false],
    ],
  },
  {
    name: 'tuple expansion',
    rule: { verbs: ['verb1', 'verb2'], apiGroups: ['group1', 'group2'], resources: ['resource1', 'resource2'] },
    requests: [
      [res('verb1', 'group1', 'resource1'), true],
      [res('verb1', 'group2', 'resource2'), true],
      [res('verb2', 'group2', 'resource1'), true],
    ],
  },
  {
    name: 'subresource expansion',
    rule: { verbs: ['*'], apiGroups: ['*'], resources: ['resource1/subresource1'] },
    requests: [
      [res('verb1', 'group1', 'resource1', 'subresource1'), true],
      [res('verb1', 'group2', 'resource1', 'subresource2'), false],
      [res('verb1', 'group1', 'resource2', 'subresource1'), false],
      [res('verb2', 'group1', 'resource1', 'subresource1'), true],
    ],
  },
  {
    name: 'star nonresource, exact match other',
    rule: { verbs: ['verb1'], nonResourceURLs: ['*'] },
    requests: [
      [url('verb1', '/foo'), true],
      [url('verb1', '/foo/bar/one'), true],
      [url('verb2', '/foo'), false],
    ],
  },
  {
    name: 'star nonresource subpath',
    rule: { verbs: ['verb1'], nonResourceURLs: ['/foo/*'] },
    requests: [
      [url('verb1', '/foo'), false],
      [url('verb1', '/foo/bar'), true],
      [url('verb1', '/foo/baz/one'), true],
      [url('verb1', '/notfoo'), false],
      [url('verb1', '/notfoo/bar'), false],
    ],
  },
  {
    name: 'star verb, exact nonresource',
    rule: { verbs: ['*'], nonResourceURLs: ['/foo', '/foo/bar/one'] },
    requests: [
      [url('verb1', '/foo'), true],
      [url('verb1', '/foo/bar'), false],
      [url('verb1', '/foo/bar/one'), true],
      [url('verb2', '/foo'), true],
      [url('verb2', '/foo/baz/one'), false],
    ],
  },
];

describe('ruleAllows (rbac.go RuleAllows)', () => {
  for (const tc of ruleMatchesCases) {
    it(tc.name, () => {
      const rule = makeRule(tc.rule);
      for (const [request, expected] of tc.requests) expect([request, ruleAllows(rule, request)]).toEqual([request, expected]);
    });
  }

  // rbac_test.go `TestAuthorizer`, "test subresource resolution" cases.
  it('a rule for pods does not allow pods/status, and a rule for pods/status does not allow pods', () => {
    expect(ruleAllows(makeRule({ verbs: ['*'], apiGroups: ['*'], resources: ['pods'] }), res('get', '', 'pods', 'status'))).toBe(false);
    expect(ruleAllows(makeRule({ verbs: ['*'], apiGroups: ['*'], resources: ['pods/status'] }), res('get', '', 'pods'))).toBe(false);
    expect(ruleAllows(makeRule({ verbs: ['*'], apiGroups: ['*'], resources: ['pods/status'] }), res('get', '', 'pods', 'status'))).toBe(true);
  });

  it('verbs are case-sensitive ("GET" is not "get", TestAuthorizer shouldFail)', () => {
    expect(ruleAllows(makeRule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }), res('GET', '', 'Pods'))).toBe(true);
    expect(ruleAllows(makeRule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }), res('GET', '', 'pods'))).toBe(false);
  });

  it('*/subresource matches that subresource of any resource, and nothing else', () => {
    const rule = makeRule({ verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] });
    expect(ruleAllows(rule, res('get', 'apps', 'deployments', 'scale'))).toBe(true);
    expect(ruleAllows(rule, res('get', 'apps', 'deployments'))).toBe(false);
    expect(ruleAllows(rule, res('get', 'apps', 'deployments', 'status'))).toBe(false);
  });

  it('pods/* is not a wildcard: it matches only the literal resource "pods/*"', () => {
    const rule = makeRule({ verbs: ['create'], apiGroups: [''], resources: ['pods/*'] });
    expect(ruleAllows(rule, res('create', '', 'pods', 'exec'))).toBe(false);
    expect(ruleAllows(rule, res('create', '', 'pods'))).toBe(false);
    expect(ruleAllows(rule, res('create', '', 'pods', '*'))).toBe(true);
  });

  it('apiGroup "" is the core group only; "*" is every group', () => {
    expect(ruleAllows(makeRule({ verbs: ['get'], apiGroups: [''], resources: ['deployments'] }), res('get', 'apps', 'deployments'))).toBe(false);
    expect(ruleAllows(makeRule({ verbs: ['get'], apiGroups: ['*'], resources: ['secrets'] }), res('get', '', 'secrets'))).toBe(true);
  });

  it('resourceNames: empty allows every name; otherwise the request must name one (so list, with no name, is not allowed)', () => {
    const named = makeRule({ verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'], resourceNames: ['app'] });
    expect(ruleAllows(named, res('get', '', 'secrets', undefined, 'app'))).toBe(true);
    expect(ruleAllows(named, res('get', '', 'secrets', undefined, 'other'))).toBe(false);
    expect(ruleAllows(named, res('list', '', 'secrets'))).toBe(false);
    expect(ruleAllows(makeRule({ verbs: ['list'], apiGroups: [''], resources: ['secrets'] }), res('list', '', 'secrets'))).toBe(true);
  });

  it('a resource rule never allows a non-resource request and vice versa', () => {
    const both = makeRule({ verbs: ['get'], apiGroups: ['*'], resources: ['*'] });
    expect(ruleAllows(both, url('get', '/healthz'))).toBe(false);
    expect(ruleAllows(makeRule({ verbs: ['get'], nonResourceURLs: ['*'] }), res('get', '', 'pods'))).toBe(false);
  });

  it('rulesAllow is any-of', () => {
    const rules = [makeRule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }), makeRule({ verbs: ['get'], nonResourceURLs: ['/metrics'] })];
    expect(rulesAllow(rules, url('get', '/metrics'))).toBe(true);
    expect(rulesAllow(rules, res('list', '', 'pods'))).toBe(false);
  });
});

describe('normalizeRule', () => {
  it('keeps string items of list fields and drops the rest', () => {
    expect(normalizeRule({ verbs: ['get', 1, null], apiGroups: 'apps', resources: ['pods'], extra: true })).toEqual({
      verbs: ['get'],
      apiGroups: [],
      resources: ['pods'],
      resourceNames: [],
      nonResourceURLs: [],
    });
  });
  it('gives undefined for a non-object', () => {
    expect(normalizeRule('rule')).toBeUndefined();
    expect(normalizeRule(null)).toBeUndefined();
    expect(normalizeRule([])).toBeUndefined();
  });
});
