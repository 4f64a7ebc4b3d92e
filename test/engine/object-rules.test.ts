import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/core/registry.js';
import { defineObjectRule, defineRule } from '../../src/core/rule.js';
import { getIn, isObj } from '../../src/core/workload.js';
import { buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';
import { allRules } from '../../src/rules/index.js';

// Throwaway rules over non-workload kinds, added through the public registry: adding a rule is one
// definition plus its entry in the registry list.
const wildcardVerbs = defineObjectRule({
  id: 'test-wildcard-verbs',
  appliesTo: { kinds: ['ClusterRole', 'Role'] },
  meta: {
    title: 'Wildcard verbs',
    description: 'Test rule.',
    rationale: 'Test rule.',
    remediation: 'List the verbs.',
    severity: 'high',
    category: 'rbac',
    standards: { kubescape: ['C-0187'] },
    fixable: true,
    fixUnit: 'rule-entry',
  },
  check(ctx) {
    const rules = ctx.object.value.rules;
    if (!Array.isArray(rules)) return;
    rules.forEach((r, i) => {
      const verbs = isObj(r) ? r.verbs : undefined;
      if (!Array.isArray(verbs)) return;
      const at = verbs.indexOf('*');
      if (at < 0) return;
      const path = ['rules', i, 'verbs', at];
      ctx.report({
        path,
        message: `rule ${i} grants every verb`,
        fix: { confidence: 'review', title: 'list the verbs', check: 'the role really needs them', ops: [{ op: 'set', path, value: 'get' }] },
      });
    });
  },
});

const loadBalancer = defineObjectRule({
  id: 'test-load-balancer',
  appliesTo: { kinds: ['Service'] },
  meta: {
    title: 'Load balancer',
    description: 'Test rule.',
    rationale: 'Test rule.',
    remediation: 'Use ClusterIP.',
    severity: 'medium',
    category: 'exposure',
    standards: {},
    fixable: false,
  },
  check(ctx) {
    if (getIn(ctx.object.value, ['spec', 'type']) === 'LoadBalancer') ctx.report({ path: ['spec', 'type'], message: 'exposed through a LoadBalancer' });
  },
});

// A cross-object rule: the workload's ServiceAccount must be defined in the scan.
const undefinedSa = defineRule({
  id: 'test-undefined-sa',
  needsIndex: true,
  meta: {
    title: 'Undefined ServiceAccount',
    description: 'Test rule.',
    rationale: 'Test rule.',
    remediation: 'Define it.',
    severity: 'low',
    category: 'service-account',
    standards: {},
    fixable: false,
  },
  check(ctx) {
    const name = ctx.workload.podSpec.serviceAccountName;
    if (typeof name !== 'string') return;
    if (!ctx.index.get('ServiceAccount', name, ctx.object.id.namespace)) {
      ctx.report({ path: [...ctx.workload.podSpecPath, 'serviceAccountName'], message: `ServiceAccount ${name} is not in the scan` });
    }
  },
});

// A rule that reads the index without asking for it: a rule error, not a silent empty answer.
const sneaky = defineObjectRule({
  id: 'test-sneaky',
  appliesTo: { kinds: ['Service'] },
  meta: { ...loadBalancer.meta, title: 'Sneaky', category: 'exposure' },
  check(ctx) {
    ctx.index.ofKind('Pod');
  },
});

// The PSS rules only: the test's own rules must be all that runs beyond them.
const pssRules = allRules.filter((r) => r.meta.category === 'pod-security' || r.meta.category === 'syntax');
const registry = createRegistry([...pssRules, loadBalancer, undefinedSa, wildcardVerbs]);

const RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: everything
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: ["*"]
- apiGroups: [apps]
  resources: [deployments]
  verbs:
  - list
  - "*"
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  ports: [{ port: 80 }]
`;

const hardened = `      securityContext:
        runAsNonRoot: true
        seccompProfile: { type: RuntimeDefault }`;
const APP = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: known
  namespace: shop
---
apiVersion: v1
kind: Pod
metadata:
  name: a
  namespace: shop
spec:
  serviceAccountName: known
  containers:
  - name: a
    image: a:1
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }
${hardened.replace(/^ {4}/gm, '')}
---
apiVersion: v1
kind: Pod
metadata:
  name: b
  namespace: shop
spec:
  serviceAccountName: ghost
  containers:
  - name: b
    image: b:1
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }
${hardened.replace(/^ {4}/gm, '')}
`;

const rows = (fs: { ruleId: string; line: number; column: number }[]) => fs.map((f) => ({ ruleId: f.ruleId, line: f.line, column: f.column }));

describe('rules over any kind', () => {
  it('are off until a profile or a setting selects them', () => {
    const out = scan([{ path: 'rbac.yaml', content: RBAC }], { registry });
    expect(out.findings).toEqual([]);
    expect(out.resourcesScanned).toBe(0);
  });

  it('report with line and column, switched on by a severity in the config', () => {
    const out = scan([{ path: 'rbac.yaml', content: RBAC }], { registry, rules: { 'test-wildcard-verbs': 'critical', 'test-load-balancer': 'medium' } });
    expect(rows(out.findings)).toEqual([
      { ruleId: 'test-wildcard-verbs', line: 8, column: 11 },
      { ruleId: 'test-wildcard-verbs', line: 13, column: 5 },
      { ruleId: 'test-load-balancer', line: 21, column: 3 },
    ]);
    expect(out.findings.map((f) => f.severity)).toEqual(['critical', 'critical', 'medium']);
    expect(out.findings[2]?.resource).toMatchObject({ kind: 'Service', name: 'web', namespace: 'shop', docIndex: 1 });
    expect(out.resourcesScanned).toBe(2);
  });

  it('run in a profile that selects their category (minpriv: exposure, rbac)', () => {
    const out = scan([{ path: 'rbac.yaml', content: RBAC }], { registry, profile: 'minpriv' });
    expect(out.findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['test-wildcard-verbs', 'high'],
      ['test-wildcard-verbs', 'high'],
      ['test-load-balancer', 'medium'],
    ]);
    expect(scan([{ path: 'rbac.yaml', content: RBAC }], { registry, profile: 'minpriv', rules: { 'test-load-balancer': 'off' } }).findings).toHaveLength(2);
  });

  it('are suppressed by annotation and by comment, like workload rules', () => {
    const annotated = RBAC.replace(
      '  name: everything\n',
      '  name: everything\n  annotations:\n    minpriv.dev/ignore: test-wildcard-verbs\n    minpriv.dev/ignore-reason: bootstrap role\n',
    );
    const out = scan([{ path: 'rbac.yaml', content: annotated }], { registry, profile: 'minpriv' });
    expect(out.findings.map((f) => f.ruleId)).toEqual(['test-load-balancer']);
    expect(out.suppressed.map((f) => [f.ruleId, f.suppressed])).toEqual([
      ['test-wildcard-verbs', { by: 'annotation', reason: 'bootstrap role' }],
      ['test-wildcard-verbs', { by: 'annotation', reason: 'bootstrap role' }],
    ]);
    const commented = RBAC.replace('  type: LoadBalancer', '  type: LoadBalancer # minpriv:ignore test-load-balancer -- public web');
    const out2 = scan([{ path: 'rbac.yaml', content: commented }], { registry, profile: 'minpriv' });
    expect(out2.suppressed.map((f) => [f.ruleId, f.suppressed])).toEqual([['test-load-balancer', { by: 'comment', reason: 'public web' }]]);
  });

  it('group fixes by the unit the rule declares: one edit per RBAC rule entry', () => {
    const out = scan([{ path: 'rbac.yaml', content: RBAC }], { registry, profile: 'minpriv' });
    const file = out.files.get('rbac.yaml');
    if (!file) throw new Error('no file');
    const { fixes, declined } = buildFixes(file, out.findings, { scan: { registry, profile: 'minpriv' } });
    expect(declined).toEqual([]);
    expect(fixes.map((f) => [f.edit.startLine, f.edit.lines, f.confidence])).toEqual([
      [8, ['  verbs: ["get"]'], 'review'],
      [13, ['  - "get"'], 'review'],
    ]);
  });
});

describe('cross-object rules', () => {
  it('see every object of the scan through the index, across files', () => {
    const [sa, ...pods] = APP.split('---\n');
    const files = [
      { path: 'pods.yaml', content: pods.join('---\n') },
      { path: 'sa.yaml', content: sa as string },
    ];
    const out = scan(files, { registry, rules: { 'test-undefined-sa': 'low' } });
    expect(out.findings.map((f) => [f.ruleId, f.file, f.line, f.message])).toEqual([
      ['test-undefined-sa', 'pods.yaml', 22, 'ServiceAccount ghost is not in the scan'],
    ]);
    // Each pod counted once, though two passes of rules ran on it.
    expect(out.resourcesScanned).toBe(2);
  });

  it('a rule that reads the index without asking for it is a rule error', () => {
    const out = scan([{ path: 'rbac.yaml', content: RBAC }], { registry: createRegistry([...pssRules, sneaky]), rules: { 'test-sneaky': 'low' } });
    expect(out.notices).toEqual([
      {
        kind: 'rule-error',
        file: 'rbac.yaml',
        line: 15,
        message: 'rule test-sneaky failed on Service/web: this rule reads other objects but does not set `needsIndex`',
      },
    ]);
  });
});
