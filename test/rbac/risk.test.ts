import { describe, expect, it } from 'vitest';
import { classifyRule, createRbacIndex, makeRule, type PolicyRule, type RiskId } from '../../src/rbac/index.js';

const risks = (rule: Partial<PolicyRule>, scope?: Parameters<typeof classifyRule>[1]): RiskId[] => classifyRule(makeRule(rule), scope).map((m) => m.risk);

describe('classifyRule', () => {
  it('*/*/* is cluster-admin-equivalent, with wildcard verbs and resources, and every specific risk', () => {
    expect(risks({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] })).toEqual([
      'cluster-admin-equivalent',
      'wildcard-verbs',
      'wildcard-resources',
      'secrets-read',
      'pod-exec',
      'nodes-proxy',
      'create-pods',
      'escalate-bind',
      'impersonate',
      'sa-token-create',
      'csr-approve',
      'webhook-config-write',
      'pv-create',
    ]);
  });

  it('nonResourceURLs * with verb * is cluster-admin-equivalent too; with verb get it is not', () => {
    expect(risks({ nonResourceURLs: ['*'], verbs: ['*'] })).toEqual(['cluster-admin-equivalent', 'wildcard-verbs']);
    expect(risks({ nonResourceURLs: ['*'], verbs: ['get'] })).toEqual([]);
  });

  it('core-group * with verb * is not cluster-admin-equivalent (other groups are out of reach)', () => {
    expect(risks({ apiGroups: [''], resources: ['*'], verbs: ['*'] })).not.toContain('cluster-admin-equivalent');
  });

  it('secrets-read: get, list or watch on core secrets, also through wildcards; not another group, not a named secret', () => {
    expect(risks({ apiGroups: [''], resources: ['secrets'], verbs: ['watch'] })).toEqual(['secrets-read']);
    expect(risks({ apiGroups: ['*'], resources: ['secrets'], verbs: ['list'] })).toEqual(['secrets-read']);
    // `*` also covers subresources, so a read-only-looking rule reaches exec over WebSocket and the kubelet API.
    expect(risks({ apiGroups: [''], resources: ['*'], verbs: ['get'] })).toEqual(['wildcard-resources', 'secrets-read', 'pod-exec', 'nodes-proxy']);
    expect(risks({ apiGroups: ['apps'], resources: ['secrets'], verbs: ['get'] })).toEqual([]);
    expect(risks({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['tls'] })).toEqual([]);
    expect(risks({ apiGroups: [''], resources: ['secrets'], verbs: ['create'] })).toEqual([]);
  });

  it('pod-exec: create or get on pods/exec|attach|portforward, or */exec; pods/* does not count (it is literal)', () => {
    expect(risks({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] })).toEqual(['pod-exec']);
    expect(risks({ apiGroups: [''], resources: ['pods/portforward'], verbs: ['get'] })).toEqual(['pod-exec']);
    expect(risks({ apiGroups: [''], resources: ['*/attach'], verbs: ['create'] })).toEqual(['pod-exec']);
    expect(risks({ apiGroups: [''], resources: ['pods/*'], verbs: ['create'] })).toEqual([]);
    expect(risks({ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] })).toEqual([]);
  });

  it('create-pods: pods and pod controllers in their own API groups', () => {
    expect(risks({ apiGroups: [''], resources: ['pods'], verbs: ['create'] })).toEqual(['create-pods']);
    expect(risks({ apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] })).toEqual(['create-pods']);
    expect(risks({ apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['create'] })).toEqual(['create-pods']);
    expect(risks({ apiGroups: [''], resources: ['deployments'], verbs: ['create'] })).toEqual([]);
    expect(risks({ apiGroups: [''], resources: ['pods'], verbs: ['patch'] })).toEqual([]);
  });

  it('escalate-bind, impersonate, sa-token-create, nodes-proxy, pv-create, webhook-config-write', () => {
    expect(risks({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] })).toEqual(['escalate-bind']);
    expect(risks({ apiGroups: [''], resources: ['groups'], verbs: ['impersonate'] })).toEqual(['impersonate']);
    expect(risks({ apiGroups: ['authentication.k8s.io'], resources: ['uids'], verbs: ['impersonate'] })).toEqual(['impersonate']);
    expect(risks({ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] })).toEqual(['sa-token-create']);
    expect(risks({ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] })).toEqual(['nodes-proxy']);
    expect(risks({ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['create'] })).toEqual(['pv-create']);
    expect(risks({ apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['delete'] })).toEqual([
      'webhook-config-write',
    ]);
  });

  it('csr-approve: the approval subresource, or approve on a signer (by name)', () => {
    expect(risks({ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] })).toEqual(['csr-approve']);
    const signer = { apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] };
    expect(risks({ ...signer, resourceNames: ['kubernetes.io/kube-apiserver-client'] })).toEqual(['csr-approve']);
    expect(risks({ ...signer, resourceNames: ['kubernetes.io/*'] })).toEqual(['csr-approve']);
    expect(risks({ ...signer, resourceNames: ['example.com/my-signer'] })).toEqual([]);
  });

  it('under a namespace scope, cluster-scoped resources and URLs are out of reach', () => {
    const all = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };
    expect(risks(all, { namespace: 'team' })).toEqual([
      'cluster-admin-equivalent',
      'wildcard-verbs',
      'wildcard-resources',
      'secrets-read',
      'pod-exec',
      'create-pods',
      'escalate-bind',
      'impersonate',
      'sa-token-create',
    ]);
    expect(risks({ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }, { namespace: 'team' })).toEqual([]);
    expect(risks({ nonResourceURLs: ['*'], verbs: ['*'] }, { namespace: 'team' })).toEqual([]);
  });

  it('points at the entry that grants the risk', () => {
    const rule = makeRule({ apiGroups: [''], resources: ['configmaps', 'pods/exec', 'secrets'], verbs: ['list', 'create'] });
    expect(classifyRule(rule).map(({ risk, field, index, value }) => ({ risk, field, index, value }))).toEqual([
      { risk: 'secrets-read', field: 'resources', index: 2, value: 'secrets' },
      { risk: 'pod-exec', field: 'resources', index: 1, value: 'pods/exec' },
    ]);
    expect(classifyRule(makeRule({ apiGroups: ['*'], resources: ['pods', '*'], verbs: ['get', '*'] })).slice(0, 3)).toMatchObject([
      { risk: 'cluster-admin-equivalent', field: 'resources', index: 1, value: '*' },
      { risk: 'wildcard-verbs', field: 'verbs', index: 1, value: '*' },
      { risk: 'wildcard-resources', field: 'resources', index: 1, value: '*' },
    ]);
  });

  it('a rule that grants nothing carries no risk', () => {
    expect(risks({ resources: ['*'], verbs: ['*'] })).toEqual([]);
    expect(risks({ apiGroups: ['*'], resources: ['*'], verbs: [] })).toEqual([]);
  });
});

describe('the built-in edit role, as Kubernetes ships it', () => {
  it('grants exec, secret read, SA impersonation, token creation and workload creation', () => {
    const edit = createRbacIndex([]).role('ClusterRole', 'edit');
    const found = new Set(edit?.rules.flatMap((r) => classifyRule(r.rule, { namespace: 'team' }).map((m) => m.risk)));
    expect([...found].sort()).toEqual(['create-pods', 'impersonate', 'pod-exec', 'sa-token-create', 'secrets-read']);
  });
});
