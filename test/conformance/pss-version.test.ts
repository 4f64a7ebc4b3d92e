import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKubeVersion } from '../../src/core/version.js';
import { type ProfileName, rulesForProfile } from '../../src/engine/profiles.js';
import { scan } from '../../src/engine/scan.js';
import { allRules } from '../../src/rules/index.js';
import { FIXTURE_CORPUS } from '../corpus-path.js';
import { yaml } from '../rules/tester.js';

/** PSA check ids (as in findings) of a scan at one PSS version. */
function controlsAt(version: string, profile: ProfileName, text: string): string[] {
  const pssVersion = parseKubeVersion(version);
  if (!pssVersion) throw new Error(version);
  return scan([{ path: 'pod.yaml', content: text }], { profile, pssVersion }).findings.map((f) => f.pss?.control ?? f.ruleId);
}

const HARDENED_POD_SPEC = `
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault`;

function pod(spec: string, container = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: versioned
spec:${spec}
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: ["ALL"]${container}
`;
}

describe('--pss-version: the standard differs between 1.30 and 1.37', () => {
  it('container_engine_t is an allowed SELinux type from 1.31', () => {
    const text = pod(HARDENED_POD_SPEC, '\n      seLinuxOptions:\n        type: container_engine_t');
    expect(controlsAt('1.30', 'pss-baseline', text)).toEqual(['seLinuxOptions']);
    expect(controlsAt('1.31', 'pss-baseline', text)).toEqual([]);
    expect(controlsAt('1.37', 'pss-restricted', text)).toEqual([]);
  });

  it('tcp_rmem is a safe sysctl from 1.32, tcp_notsent_lowat from 1.37', () => {
    const rmem = pod(`${HARDENED_POD_SPEC}\n    sysctls:\n    - name: net.ipv4.tcp_rmem\n      value: "4096 87380 6291456"`);
    expect(controlsAt('1.30', 'pss-restricted', rmem)).toEqual(['sysctls']);
    expect(controlsAt('1.32', 'pss-restricted', rmem)).toEqual([]);
    const lowat = pod(`${HARDENED_POD_SPEC}\n    sysctls:\n    - name: net.ipv4.tcp_notsent_lowat\n      value: "16384"`);
    expect(controlsAt('1.36', 'pss-baseline', lowat)).toEqual(['sysctls']);
    expect(controlsAt('1.37', 'pss-baseline', lowat)).toEqual([]);
  });

  it('a probe host is forbidden only from 1.34', () => {
    const text = pod(HARDENED_POD_SPEC, '\n    livenessProbe:\n      httpGet:\n        host: 10.0.0.1\n        port: 80');
    expect(controlsAt('1.30', 'pss-restricted', text)).toEqual([]);
    expect(controlsAt('1.33', 'pss-restricted', text)).toEqual([]);
    expect(controlsAt('1.34', 'pss-restricted', text)).toEqual(['hostProbesAndHostLifecycle']);
    expect(controlsAt('1.37', 'pss-baseline', text)).toEqual(['hostProbesAndHostLifecycle']);
  });

  it('hostUsers: false relaxes runAsNonRoot and runAsUser only from 1.35', () => {
    const text = pod('\n  hostUsers: false\n  securityContext:\n    runAsUser: 0\n    seccompProfile:\n      type: RuntimeDefault');
    expect(controlsAt('1.30', 'pss-restricted', text)).toEqual(['runAsNonRoot', 'runAsUser']);
    expect(controlsAt('1.34', 'pss-restricted', text)).toEqual(['runAsNonRoot', 'runAsUser']);
    expect(controlsAt('1.35', 'pss-restricted', text)).toEqual([]);
    expect(controlsAt('1.37', 'pss-restricted', text)).toEqual([]);
  });

  it('procMount: baseline relaxed by hostUsers: false from 1.35; restricted uses procMount before 1.35 and procMount_restricted after', () => {
    const text = pod(`\n  hostUsers: false${HARDENED_POD_SPEC}`, '\n      procMount: Unmasked');
    expect(controlsAt('1.30', 'pss-baseline', text)).toEqual(['procMount']);
    expect(controlsAt('1.37', 'pss-baseline', text)).toEqual([]);
    expect(controlsAt('1.30', 'pss-restricted', text)).toEqual(['procMount']);
    expect(controlsAt('1.34', 'pss-restricted', text)).toEqual(['procMount']);
    expect(controlsAt('1.35', 'pss-restricted', text)).toEqual(['procMount_restricted']);
    expect(controlsAt('1.37', 'pss-restricted', text)).toEqual(['procMount_restricted']);
  });

  it('the official baseline procmount1 fixture passes at 1.37 and fails at 1.34', () => {
    const text = readFileSync(join(FIXTURE_CORPUS, 'pss/baseline/v1.37/pass/procmount1.yaml'), 'utf8');
    expect(controlsAt('1.37', 'pss-baseline', text)).toEqual([]);
    expect(controlsAt('1.34', 'pss-baseline', text)).toEqual(['procMount', 'procMount']);
  });

  it('Windows pods are exempt from the restricted Linux controls only from 1.25', () => {
    const text = yaml`
      apiVersion: v1
      kind: Pod
      metadata:
        name: iis
      spec:
        os:
          name: windows
        securityContext:
          runAsNonRoot: true
        containers:
        - name: iis
          image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
    `;
    expect(controlsAt('1.37', 'pss-restricted', text)).toEqual([]);
    expect(controlsAt('1.24', 'pss-restricted', text).sort()).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
  });
});

describe('profiles: overrides apply from the overriding control’s first version', () => {
  const ids = (profile: ProfileName, version: string) => {
    const v = parseKubeVersion(version);
    if (!v) throw new Error(version);
    return rulesForProfile(profile, allRules, v).map((r) => r.id);
  };

  it('restricted at 1.37 runs the restricted versions instead of the overridden baseline rules', () => {
    expect(ids('pss-restricted', '1.37')).toEqual([
      'allow-privilege-escalation',
      'apparmor-unconfined',
      'capabilities-restricted',
      'host-namespaces',
      'host-ports',
      'host-process',
      'privileged-container',
      'probe-host',
      'proc-mount-restricted',
      'restricted-volume-types',
      'run-as-non-root',
      'run-as-user-root',
      'seccomp-profile-required',
      'selinux-options',
      'unsafe-sysctls',
    ]);
  });

  it('restricted before 1.35 keeps proc-mount, before 1.22 capabilities-baseline, before 1.19 seccomp-unconfined', () => {
    const at34 = ids('pss-restricted', '1.34');
    expect(at34).toContain('proc-mount');
    expect(at34).not.toContain('capabilities-baseline');
    const at21 = ids('pss-restricted', '1.21');
    expect(at21).toContain('capabilities-baseline');
    expect(at21).not.toContain('seccomp-unconfined');
    expect(ids('pss-restricted', '1.18')).toContain('seccomp-unconfined');
  });

  it('baseline runs the twelve baseline controls at every version', () => {
    expect(ids('pss-baseline', '1.0')).toHaveLength(12);
    expect(ids('pss-baseline', '1.37')).toEqual(ids('pss-baseline', '1.0'));
  });
});
