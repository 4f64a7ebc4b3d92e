import { AGGREGATE_TO, clusterRole, READ, READ_WRITE, r, urls, WRITE } from './builtin-format.js';
import { BUILTIN_SYSTEM_ROLES } from './builtin-system-roles.js';
import type { RbacObject } from './types.js';

/**
 * The default ClusterRoles an API server creates, transcribed from kubernetes/kubernetes@025f2834a128798cef30018a5e6a6ae82b5ad885
 * `plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/cluster-roles.yaml` (the golden file that
 * `bootstrappolicy/policy_test.go` checks `policy.go` `ClusterRoles()` against; default feature gates). Rules keep the
 * file's order. The per-controller roles (`system:controller:*`, `controller-roles.yaml`) are not included.
 */
const USER_FACING_ROLES: RbacObject<never>[] = [
  clusterRole('admin', [], { aggregateFrom: `${AGGREGATE_TO}admin` }),
  clusterRole('cluster-admin', [r(['*'], '*', '*'), urls('*', '*')]),
  clusterRole('edit', [], { aggregateFrom: `${AGGREGATE_TO}edit`, labels: { [`${AGGREGATE_TO}admin`]: 'true' } }),
  clusterRole(
    'system:aggregate-to-admin',
    [r(['authorization.k8s.io'], 'localsubjectaccessreviews', 'create'), r(['rbac.authorization.k8s.io'], 'rolebindings roles', READ_WRITE)],
    { labels: { [`${AGGREGATE_TO}admin`]: 'true' } },
  ),
  clusterRole(
    'system:aggregate-to-edit',
    [
      r([''], 'pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy', READ),
      r([''], 'serviceaccounts', 'impersonate'),
      r([''], 'pods pods/attach pods/exec pods/portforward pods/proxy', WRITE),
      r([''], 'pods/eviction', 'create'),
      r(
        [''],
        'configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets serviceaccounts services services/proxy',
        WRITE,
      ),
      r([''], 'serviceaccounts/token', 'create'),
      r(['apps'], 'daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale statefulsets statefulsets/scale', WRITE),
      r(['autoscaling'], 'horizontalpodautoscalers', WRITE),
      r(['batch'], 'cronjobs jobs', WRITE),
      r(
        ['extensions'],
        'daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies replicasets replicasets/scale replicationcontrollers/scale',
        WRITE,
      ),
      r(['policy'], 'poddisruptionbudgets', WRITE),
      r(['networking.k8s.io'], 'ingresses networkpolicies', WRITE),
      r(['coordination.k8s.io'], 'leases', READ_WRITE),
    ],
    { labels: { [`${AGGREGATE_TO}edit`]: 'true' } },
  ),
  clusterRole(
    'system:aggregate-to-view',
    [
      r(
        [''],
        'configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods replicationcontrollers replicationcontrollers/scale serviceaccounts services services/status',
        READ,
      ),
      r([''], 'bindings events limitranges namespaces/status pods/log pods/status replicationcontrollers/status resourcequotas resourcequotas/status', READ),
      r([''], 'namespaces', READ),
      r(['discovery.k8s.io'], 'endpointslices', READ),
      r(
        ['apps'],
        'controllerrevisions daemonsets daemonsets/status deployments deployments/scale deployments/status replicasets replicasets/scale replicasets/status statefulsets statefulsets/scale statefulsets/status',
        READ,
      ),
      r(['autoscaling'], 'horizontalpodautoscalers horizontalpodautoscalers/status', READ),
      r(['batch'], 'cronjobs cronjobs/status jobs jobs/status', READ),
      r(
        ['extensions'],
        'daemonsets daemonsets/status deployments deployments/scale deployments/status ingresses ingresses/status networkpolicies replicasets replicasets/scale replicasets/status replicationcontrollers/scale',
        READ,
      ),
      r(['policy'], 'poddisruptionbudgets poddisruptionbudgets/status', READ),
      r(['networking.k8s.io'], 'ingresses ingresses/status networkpolicies', READ),
    ],
    { labels: { [`${AGGREGATE_TO}view`]: 'true' } },
  ),
  clusterRole('system:auth-delegator', [r(['authentication.k8s.io'], 'tokenreviews', 'create'), r(['authorization.k8s.io'], 'subjectaccessreviews', 'create')]),
  clusterRole('system:basic-user', [
    r(['authorization.k8s.io'], 'selfsubjectaccessreviews selfsubjectrulesreviews', 'create'),
    r(['authentication.k8s.io'], 'selfsubjectreviews', 'create'),
  ]),
  clusterRole('system:discovery', [urls('/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/* /readyz /version /version/', 'get')]),
  clusterRole('system:monitoring', [urls('/healthz /healthz/* /livez /livez/* /metrics /metrics/slis /readyz /readyz/*', 'get')]),
  clusterRole('system:public-info-viewer', [urls('/healthz /livez /readyz /version /version/', 'get')]),
  clusterRole('system:service-account-issuer-discovery', [urls('/.well-known/openid-configuration /openid/v1/jwks', 'get')]),
  clusterRole('view', [], { aggregateFrom: `${AGGREGATE_TO}view`, labels: { [`${AGGREGATE_TO}edit`]: 'true' } }),
];

/** Every bootstrap ClusterRole, user-facing ones first. */
export const BUILTIN_CLUSTER_ROLES: readonly RbacObject<never>[] = [...USER_FACING_ROLES, ...BUILTIN_SYSTEM_ROLES];
