import { clusterRoleBinding } from './builtin-format.js';
import type { RbacObject } from './types.js';

/**
 * The default ClusterRoleBindings, from kubernetes/kubernetes `plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go`
 * `clusterRoleBindings()` (read at 53f1b9d, whose OpenShift-only `system:openshift:public-info-viewer` line is left out).
 * `system:discovery` and `system:basic-user` go to authenticated users only (since 1.14); `system:public-info-viewer`
 * also to anonymous ones. `system:node` keeps no subjects (the Node authorizer replaced it). The `system:monitoring`
 * binding (group `system:monitoring`, `user.MonitoringGroup`) postdates 53f1b9d and is listed with the role it serves.
 */
export const BUILTIN_CLUSTER_ROLE_BINDINGS: readonly RbacObject<never>[] = [
  clusterRoleBinding('cluster-admin', ['Group', 'system:masters']),
  clusterRoleBinding('system:monitoring', ['Group', 'system:monitoring']),
  clusterRoleBinding('system:discovery', ['Group', 'system:authenticated']),
  clusterRoleBinding('system:basic-user', ['Group', 'system:authenticated']),
  clusterRoleBinding('system:public-info-viewer', ['Group', 'system:authenticated'], ['Group', 'system:unauthenticated']),
  clusterRoleBinding('system:node-proxier', ['User', 'system:kube-proxy']),
  clusterRoleBinding('system:kube-controller-manager', ['User', 'system:kube-controller-manager']),
  clusterRoleBinding('system:kube-dns', ['ServiceAccount', 'kube-dns', 'kube-system']),
  clusterRoleBinding('system:kube-scheduler', ['User', 'system:kube-scheduler']),
  clusterRoleBinding('system:volume-scheduler', ['User', 'system:kube-scheduler']),
  clusterRoleBinding('system:node'),
  clusterRoleBinding('system:service-account-issuer-discovery', ['Group', 'system:serviceaccounts']),
];
