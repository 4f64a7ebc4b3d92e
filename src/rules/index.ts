import { createRegistry, type RuleRegistry } from '../core/registry.js';
import type { Rule } from '../core/rule.js';
import allowPrivilegeEscalation from './allow-privilege-escalation.js';
import apparmorUnconfined from './apparmor-unconfined.js';
import automountServiceAccountToken from './automount-service-account-token.js';
import capabilitiesBaseline from './capabilities-baseline.js';
import capabilitiesRestricted from './capabilities-restricted.js';
import defaultServiceAccount from './default-service-account.js';
import envSecretLiteral from './env-secret-literal.js';
import hostNamespaces from './host-namespaces.js';
import hostPathVolumes from './host-path-volumes.js';
import hostPorts from './host-ports.js';
import hostProcess from './host-process.js';
import imageDeprecatedRegistry from './image-deprecated-registry.js';
import imageDigest from './image-digest.js';
import imageMutableTag from './image-mutable-tag.js';
import imagePullPolicy from './image-pull-policy.js';
import imageRegistry from './image-registry.js';
import ingressWithoutTls from './ingress-without-tls.js';
import privilegedContainer from './privileged-container.js';
import probeHost from './probe-host.js';
import procMount from './proc-mount.js';
import procMountRestricted from './proc-mount-restricted.js';
import rbacAggregateLabel from './rbac-aggregate-label.js';
import rbacCreatePods from './rbac-create-pods.js';
import rbacEscalateBindImpersonate from './rbac-escalate-bind-impersonate.js';
import rbacPodExec from './rbac-pod-exec.js';
import rbacPowerfulBinding from './rbac-powerful-binding.js';
import rbacSecretsRead from './rbac-secrets-read.js';
import rbacSensitiveWrites from './rbac-sensitive-writes.js';
import rbacWildcard from './rbac-wildcard.js';
import rbacWorkloadServiceAccount from './rbac-workload-service-account.js';
import readOnlyRootFilesystem from './read-only-root-filesystem.js';
import resourceLimits from './resource-limits.js';
import restrictedVolumeTypes from './restricted-volume-types.js';
import runAsNonRoot from './run-as-non-root.js';
import runAsUserRoot from './run-as-user-root.js';
import seccompProfileRequired from './seccomp-profile-required.js';
import seccompUnconfined from './seccomp-unconfined.js';
import secretInManifest from './secret-in-manifest.js';
import selinuxOptions from './selinux-options.js';
import serviceAccountNotFound from './service-account-not-found.js';
import serviceExposed from './service-exposed.js';
import serviceExternalIps from './service-external-ips.js';
import unsafeSysctls from './unsafe-sysctls.js';
import yamlSyntax from './yaml-syntax.js';

/** Every rule, explicitly listed and sorted by id. No side-effect registration. */
export const allRules: readonly Rule[] = [
  allowPrivilegeEscalation,
  apparmorUnconfined,
  automountServiceAccountToken,
  capabilitiesBaseline,
  capabilitiesRestricted,
  defaultServiceAccount,
  envSecretLiteral,
  hostNamespaces,
  hostPathVolumes,
  hostPorts,
  hostProcess,
  imageDeprecatedRegistry,
  imageDigest,
  imageMutableTag,
  imagePullPolicy,
  imageRegistry,
  ingressWithoutTls,
  privilegedContainer,
  probeHost,
  procMount,
  procMountRestricted,
  rbacAggregateLabel,
  rbacCreatePods,
  rbacEscalateBindImpersonate,
  rbacPodExec,
  rbacPowerfulBinding,
  rbacSecretsRead,
  rbacSensitiveWrites,
  rbacWildcard,
  rbacWorkloadServiceAccount,
  readOnlyRootFilesystem,
  resourceLimits,
  restrictedVolumeTypes,
  runAsNonRoot,
  runAsUserRoot,
  seccompProfileRequired,
  seccompUnconfined,
  secretInManifest,
  selinuxOptions,
  serviceAccountNotFound,
  serviceExposed,
  serviceExternalIps,
  unsafeSysctls,
  yamlSyntax,
];

/** The built-in registry: the one place the rule list becomes a registry. */
export const builtinRegistry: RuleRegistry = createRegistry(allRules);
