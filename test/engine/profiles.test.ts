import { describe, expect, it } from 'vitest';
import { rulesForProfile } from '../../src/engine/profiles.js';
import { selectRules } from '../../src/engine/scan.js';
import { allRules } from '../../src/rules/index.js';

const ids = (rules: { id: string }[]) => rules.map((r) => r.id);

describe('profiles', () => {
  it('pss-baseline runs exactly the baseline controls', () => {
    expect(ids(rulesForProfile('pss-baseline', allRules))).toEqual([
      'apparmor-unconfined',
      'capabilities-baseline',
      'host-namespaces',
      'host-path-volumes',
      'host-ports',
      'host-process',
      'privileged-container',
      'probe-host',
      'proc-mount',
      'seccomp-unconfined',
      'selinux-options',
      'unsafe-sysctls',
    ]);
  });

  it('pss-restricted runs baseline + restricted, a restricted control replacing the baseline one it tightens', () => {
    expect(ids(rulesForProfile('pss-restricted', allRules))).toEqual([
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

  it('an override counts only from the version its rule exists in (procMount_restricted from v1.35)', () => {
    const v134 = ids(rulesForProfile('pss-restricted', allRules, { major: 1, minor: 34 }));
    expect(v134).toContain('proc-mount');
    expect(ids(rulesForProfile('pss-restricted', allRules, { major: 1, minor: 35 }))).not.toContain('proc-mount');
  });

  it('yaml-syntax is reported by the engine, not selected by a profile', () => {
    expect(ids(rulesForProfile('pss-restricted', allRules))).not.toContain('yaml-syntax');
  });

  it('per-rule settings turn a rule off or change its severity', () => {
    const rules = selectRules({ profile: 'pss-baseline', rules: { 'privileged-container': 'off', 'host-ports': 'low' } });
    expect(ids(rules)).not.toContain('privileged-container');
    expect(rules.find((r) => r.id === 'host-ports')?.meta.severity).toBe('low');
  });
});
