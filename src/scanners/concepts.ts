/**
 * Concepts several scanners check under different ids, from shared/rules-crosswalk.md and Datree's
 * `defaultRules.yaml` (datreeio/datree@0c3b63e). Rules carry their own crosswalk in `meta.standards`; this
 * table groups what no rule covers (read-only root fs, probes, RBAC, ...) and links Datree, which rules do not list.
 * Broad ids that span several concepts (Kubescape C-0055, C-0211) are left out on purpose.
 */
import type { ScannerTool } from './types.js';

export type Concept = { name: string } & Partial<Record<ScannerTool, readonly string[]>>;

export const CONCEPTS: readonly Concept[] = [
  {
    name: 'privileged-container',
    trivy: ['KSV-0017'],
    kubescape: ['C-0057'],
    'kube-linter': ['privileged-container'],
    datree: ['CONTAINERS_INCORRECT_PRIVILEGED_VALUE_TRUE'],
  },
  {
    name: 'allow-privilege-escalation',
    trivy: ['KSV-0001'],
    kubescape: ['C-0016'],
    'kube-linter': ['privilege-escalation-container'],
    datree: ['CONTAINERS_MISSING_KEY_ALLOWPRIVILEGEESCALATION'],
  },
  {
    name: 'run-as-non-root',
    trivy: ['KSV-0012'],
    kubescape: ['C-0013'],
    'kube-linter': ['run-as-non-root'],
    datree: ['CONTAINERS_INCORRECT_RUNASNONROOT_VALUE'],
  },
  { name: 'high-uid', trivy: ['KSV-0020'], datree: ['CONTAINERS_INCORRECT_RUNASUSER_VALUE_LOWUID'] },
  { name: 'high-gid', trivy: ['KSV-0021'], datree: ['CONTAINERS_INCORRECT_RUNASGROUP_VALUE_LOWGID'] },
  {
    name: 'host-network',
    trivy: ['KSV-0009'],
    kubescape: ['C-0041'],
    'kube-linter': ['host-network'],
    datree: ['CONTAINERS_INCORRECT_HOSTNETWORK_VALUE_TRUE'],
  },
  { name: 'host-pid', trivy: ['KSV-0010'], 'kube-linter': ['host-pid'], datree: ['CONTAINERS_INCORRECT_HOSTPID_VALUE_TRUE'] },
  { name: 'host-ipc', trivy: ['KSV-0008'], 'kube-linter': ['host-ipc'], datree: ['CONTAINERS_INCORRECT_HOSTIPC_VALUE_TRUE'] },
  { name: 'host-path', trivy: ['KSV-0023'], kubescape: ['C-0048'], datree: ['CONTAINERS_INCORRECT_KEY_HOSTPATH'] },
  {
    name: 'docker-socket',
    trivy: ['KSV-0006'],
    kubescape: ['C-0074'],
    'kube-linter': ['docker-sock'],
    datree: ['CONTAINERS_INCORRECT_PATH_VALUE_DOCKERSOCKET'],
  },
  { name: 'host-port', trivy: ['KSV-0024'], kubescape: ['C-0044'], datree: ['CONTAINERS_INCORRECT_KEY_HOSTPORT'] },
  { name: 'dangerous-capabilities', trivy: ['KSV-0022'], kubescape: ['C-0046'], datree: ['CONTAINERS_INVALID_CAPABILITIES_VALUE'] },
  { name: 'seccomp-profile', trivy: ['KSV-0030', 'KSV-0104'], kubescape: ['C-0210'], datree: ['CONTAINERS_INCORRECT_SECCOMP_PROFILE'] },
  {
    name: 'read-only-root-filesystem',
    trivy: ['KSV-0014'],
    kubescape: ['C-0017'],
    'kube-linter': ['no-read-only-root-fs'],
    datree: ['CONTAINERS_INCORRECT_READONLYROOTFILESYSTEM_VALUE'],
  },
  { name: 'automount-service-account-token', trivy: ['KSV-0036'], kubescape: ['C-0034'], datree: ['SRVACC_INCORRECT_AUTOMOUNTSERVICEACCOUNTTOKEN_VALUE'] },
  { name: 'image-tag', trivy: ['KSV-0013'], 'kube-linter': ['latest-tag'], datree: ['CONTAINERS_MISSING_IMAGE_VALUE_VERSION'] },
  { name: 'image-digest', kubescape: ['C-0306'], datree: ['CONTAINERS_MISSING_IMAGE_VALUE_DIGEST'] },
  { name: 'cpu-limit', trivy: ['KSV-0011'], kubescape: ['C-0270'], datree: ['CONTAINERS_MISSING_CPU_LIMIT_KEY'] },
  { name: 'memory-limit', trivy: ['KSV-0018'], kubescape: ['C-0271'], datree: ['CONTAINERS_MISSING_MEMORY_LIMIT_KEY'] },
  { name: 'cpu-request', trivy: ['KSV-0015'], datree: ['CONTAINERS_MISSING_CPU_REQUEST_KEY'] },
  { name: 'memory-request', trivy: ['KSV-0016'], datree: ['CONTAINERS_MISSING_MEMORY_REQUEST_KEY'] },
  { name: 'liveness-probe', kubescape: ['C-0056'], 'kube-linter': ['no-liveness-probe'], datree: ['CONTAINERS_MISSING_LIVENESSPROBE_KEY'] },
  { name: 'readiness-probe', kubescape: ['C-0018'], 'kube-linter': ['no-readiness-probe'], datree: ['CONTAINERS_MISSING_READINESSPROBE_KEY'] },
  {
    name: 'default-namespace',
    trivy: ['KSV-0110'],
    kubescape: ['C-0061'],
    'kube-linter': ['use-namespace'],
    datree: ['WORKLOAD_INCORRECT_NAMESPACE_VALUE_DEFAULT'],
  },
  { name: 'rbac-wildcard', trivy: ['KSV-0044', 'KSV-0045', 'KSV-0046', 'KSV-0112'], kubescape: ['C-0187'], 'kube-linter': ['wildcard-in-rules'] },
  { name: 'cluster-admin-binding', trivy: ['KSV-0111'], kubescape: ['C-0035'], 'kube-linter': ['cluster-admin-role-binding'] },
  { name: 'secrets-access', trivy: ['KSV-0041', 'KSV-0113'], kubescape: ['C-0015'], 'kube-linter': ['access-to-secrets'] },
  { name: 'create-pods', trivy: ['KSV-0048'], kubescape: ['C-0188'], 'kube-linter': ['access-to-create-pods'] },
  { name: 'pods-exec', trivy: ['KSV-0053'], kubescape: ['C-0002'], datree: ['CONTAINERS_INCORRECT_RESOURCES_VERBS_VALUE'] },
];

const BY_ID = new Map<string, Concept>();
for (const c of CONCEPTS) {
  for (const [tool, ids] of Object.entries(c)) if (Array.isArray(ids)) for (const id of ids) BY_ID.set(`${tool}\u0000${id}`, c);
}

export function conceptOf(tool: ScannerTool, id: string): Concept | undefined {
  return BY_ID.get(`${tool}\u0000${id}`);
}
