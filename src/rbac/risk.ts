import { isResourceRequest, type RequestAttrs, ruleAllows } from './evaluation.js';
import type { PolicyRule } from './rule.js';
import type { Scope } from './types.js';

/** Risky permissions of research-next.md §1.1, by the ids the rules will use. */
export type RiskId =
  | 'cluster-admin-equivalent'
  | 'wildcard-verbs'
  | 'wildcard-resources'
  | 'secrets-read'
  | 'pod-exec'
  | 'nodes-proxy'
  | 'create-pods'
  | 'escalate-bind'
  | 'impersonate'
  | 'sa-token-create'
  | 'csr-approve'
  | 'webhook-config-write'
  | 'pv-create';

/** One risk a rule carries, with the list entry to point at and the request that proves it. */
export interface RiskMatch {
  risk: RiskId;
  field: 'verbs' | 'resources' | 'nonResourceURLs';
  index: number;
  value: string;
  /** A concrete request the rule allows (absent for the purely syntactic wildcard risks). */
  request?: RequestAttrs;
}

type Probe = { verbs: string[]; apiGroup: string; resources: string[]; subresources?: string[]; names?: string[]; clusterScoped?: boolean };

// No real verb, group or resource is spelled like this, so only wildcards allow these requests.
const ANY = 'minpriv.invalid-any';

/**
 * Each risk is a set of concrete requests tried with `ruleAllows`, so `*`, `*\/sub`, apiGroups and resourceNames are
 * judged by Kubernetes' semantics, never by string comparison. Requests carry no object name, so a rule restricted by
 * resourceNames counts only where a name is listed in `names` (CSR signers are authorised by signer name).
 */
const PROBES: Record<Exclude<RiskId, 'cluster-admin-equivalent' | 'wildcard-verbs' | 'wildcard-resources'>, Probe[]> = {
  'secrets-read': [{ verbs: ['get', 'list', 'watch'], apiGroup: '', resources: ['secrets'] }],
  // pods/exec, attach and portforward are authorised as `create`, and as `get` for WebSocket clients (kubernetes#78741).
  'pod-exec': [{ verbs: ['create', 'get'], apiGroup: '', resources: ['pods'], subresources: ['exec', 'attach', 'portforward'] }],
  'nodes-proxy': [{ verbs: ['get', 'create'], apiGroup: '', resources: ['nodes'], subresources: ['proxy'], clusterScoped: true }],
  'create-pods': [
    { verbs: ['create'], apiGroup: '', resources: ['pods'] },
    { verbs: ['create', 'update', 'patch'], apiGroup: '', resources: ['replicationcontrollers'] },
    { verbs: ['create', 'update', 'patch'], apiGroup: 'apps', resources: ['deployments', 'daemonsets', 'statefulsets', 'replicasets'] },
    { verbs: ['create', 'update', 'patch'], apiGroup: 'batch', resources: ['jobs', 'cronjobs'] },
  ],
  'escalate-bind': [
    { verbs: ['escalate', 'bind'], apiGroup: 'rbac.authorization.k8s.io', resources: ['roles'] },
    { verbs: ['escalate', 'bind'], apiGroup: 'rbac.authorization.k8s.io', resources: ['clusterroles'], clusterScoped: true },
  ],
  impersonate: [
    { verbs: ['impersonate'], apiGroup: '', resources: ['serviceaccounts'] },
    { verbs: ['impersonate'], apiGroup: '', resources: ['users', 'groups'], clusterScoped: true },
    { verbs: ['impersonate'], apiGroup: 'authentication.k8s.io', resources: ['uids'], clusterScoped: true },
    { verbs: ['impersonate'], apiGroup: 'authentication.k8s.io', resources: ['userextras'], subresources: [ANY], clusterScoped: true },
  ],
  'sa-token-create': [{ verbs: ['create'], apiGroup: '', resources: ['serviceaccounts'], subresources: ['token'] }],
  'csr-approve': [
    { verbs: ['update', 'patch'], apiGroup: 'certificates.k8s.io', resources: ['certificatesigningrequests'], subresources: ['approval'], clusterScoped: true },
    {
      verbs: ['approve'],
      apiGroup: 'certificates.k8s.io',
      resources: ['signers'],
      names: ['kubernetes.io/kube-apiserver-client', 'kubernetes.io/*'],
      clusterScoped: true,
    },
  ],
  'webhook-config-write': [
    {
      verbs: ['create', 'update', 'patch', 'delete'],
      apiGroup: 'admissionregistration.k8s.io',
      resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
      clusterScoped: true,
    },
  ],
  'pv-create': [{ verbs: ['create'], apiGroup: '', resources: ['persistentvolumes'], clusterScoped: true }],
};

/**
 * Every concrete request of a probe, without a namespace: `ruleAllows` does not look at it (rbac.go), so the lists are
 * made once, and the namespace of the scope is added to the one request a finding keeps. Under a namespace scope,
 * cluster-scoped resources are skipped (a RoleBinding cannot reach them).
 */
function requests(probe: Probe, cluster: boolean): RequestAttrs[] {
  if (probe.clusterScoped && !cluster) return [];
  const out: RequestAttrs[] = [];
  for (const resource of probe.resources) {
    for (const subresource of probe.subresources ?? ['']) {
      for (const name of probe.names ?? ['']) {
        for (const verb of probe.verbs) {
          out.push({ verb, apiGroup: probe.apiGroup, resource, ...(subresource ? { subresource } : {}), ...(name ? { name } : {}) });
        }
      }
    }
  }
  return out;
}

/** The requests of each probed risk, in PROBES order, under a cluster-wide and under a namespace scope. */
const PROBE_REQUESTS = (Object.entries(PROBES) as [RiskId, Probe[]][]).map(([risk, probes]) => ({
  risk,
  cluster: probes.flatMap((p) => requests(p, true)),
  namespaced: probes.flatMap((p) => requests(p, false)),
}));

/** The first entry of `field` that, alone in its field, still lets the rule allow the request. */
function blame(rule: PolicyRule, field: RiskMatch['field'], request: RequestAttrs): { index: number; value: string } {
  const index = rule[field].findIndex((value) => ruleAllows({ ...rule, [field]: [value] }, request));
  return { index, value: rule[field][index] ?? '' };
}

/**
 * The risks one rule carries under a scope (default: cluster-wide, as when judging a role on its own). A rule granted
 * by a RoleBinding cannot reach cluster-scoped resources or non-resource URLs, so those risks do not apply there.
 */
export function classifyRule(rule: PolicyRule, scope: Scope = { cluster: true }): RiskMatch[] {
  const out: RiskMatch[] = [];
  const cluster = 'cluster' in scope;
  const anyResource: RequestAttrs = { verb: ANY, apiGroup: ANY, resource: ANY, ...('namespace' in scope ? { namespace: scope.namespace } : {}) };
  const anyURL: RequestAttrs = { verb: ANY, path: `/${ANY}` };
  if (ruleAllows(rule, anyResource))
    out.push({ risk: 'cluster-admin-equivalent', field: 'resources', ...blame(rule, 'resources', anyResource), request: anyResource });
  else if (cluster && ruleAllows(rule, anyURL))
    out.push({ risk: 'cluster-admin-equivalent', field: 'nonResourceURLs', ...blame(rule, 'nonResourceURLs', anyURL), request: anyURL });
  const grantsResources = rule.apiGroups.length > 0 && rule.resources.length > 0;
  const starVerb = rule.verbs.indexOf('*');
  if (starVerb >= 0 && (grantsResources || (cluster && rule.nonResourceURLs.length > 0)))
    out.push({ risk: 'wildcard-verbs', field: 'verbs', index: starVerb, value: '*' });
  // A request for a resource nobody has, with a verb, group and name the rule lists: only `*` in resources allows it.
  const anyOfThisRule: RequestAttrs = {
    verb: rule.verbs.find((v) => v !== '*') ?? ANY,
    apiGroup: rule.apiGroups.find((g) => g !== '*') ?? ANY,
    resource: ANY,
    ...(rule.resourceNames[0] === undefined ? {} : { name: rule.resourceNames[0] }),
    ...('namespace' in scope ? { namespace: scope.namespace } : {}),
  };
  if (ruleAllows(rule, anyOfThisRule))
    out.push({ risk: 'wildcard-resources', field: 'resources', ...blame(rule, 'resources', anyOfThisRule), request: anyOfThisRule });
  for (const probe of PROBE_REQUESTS) {
    const bare = (cluster ? probe.cluster : probe.namespaced).find((req) => ruleAllows(rule, req));
    if (!bare || !isResourceRequest(bare)) continue;
    const request: RequestAttrs = 'namespace' in scope ? { ...bare, namespace: scope.namespace } : { ...bare };
    out.push({ risk: probe.risk, field: 'resources', ...blame(rule, 'resources', request), request });
  }
  return out;
}
