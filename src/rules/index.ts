import { createRegistry, type RuleRegistry } from '../core/registry.js';
import type { Rule } from '../core/rule.js';
import allowPrivilegeEscalation from './allow-privilege-escalation.js';
import apparmorUnconfined from './apparmor-unconfined.js';
import capabilitiesBaseline from './capabilities-baseline.js';
import capabilitiesRestricted from './capabilities-restricted.js';
import hostNamespaces from './host-namespaces.js';
import hostPathVolumes from './host-path-volumes.js';
import hostPorts from './host-ports.js';
import hostProcess from './host-process.js';
import privilegedContainer from './privileged-container.js';
import probeHost from './probe-host.js';
import procMount from './proc-mount.js';
import procMountRestricted from './proc-mount-restricted.js';
import restrictedVolumeTypes from './restricted-volume-types.js';
import runAsNonRoot from './run-as-non-root.js';
import runAsUserRoot from './run-as-user-root.js';
import seccompProfileRequired from './seccomp-profile-required.js';
import seccompUnconfined from './seccomp-unconfined.js';
import selinuxOptions from './selinux-options.js';
import unsafeSysctls from './unsafe-sysctls.js';
import yamlSyntax from './yaml-syntax.js';

/** Every rule, explicitly listed and sorted by id. No side-effect registration. */
export const allRules: readonly Rule[] = [
  allowPrivilegeEscalation,
  apparmorUnconfined,
  capabilitiesBaseline,
  capabilitiesRestricted,
  hostNamespaces,
  hostPathVolumes,
  hostPorts,
  hostProcess,
  privilegedContainer,
  probeHost,
  procMount,
  procMountRestricted,
  restrictedVolumeTypes,
  runAsNonRoot,
  runAsUserRoot,
  seccompProfileRequired,
  seccompUnconfined,
  selinuxOptions,
  unsafeSysctls,
  yamlSyntax,
];

/** The built-in registry: the one place the rule list becomes a registry. */
export const builtinRegistry: RuleRegistry = createRegistry(allRules);
