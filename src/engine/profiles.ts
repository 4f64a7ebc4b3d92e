import type { Rule } from '../core/rule.js';
import { atLeast, type KubeVersion, LATEST_PSS_VERSION } from '../core/version.js';

export const PROFILES = ['pss-baseline', 'pss-restricted'] as const;
export type ProfileName = (typeof PROFILES)[number];
export const DEFAULT_PROFILE: ProfileName = 'pss-restricted';

export function isProfileName(s: string): s is ProfileName {
  return (PROFILES as readonly string[]).includes(s);
}

/**
 * The rules a profile runs. `pss-baseline`: exactly the baseline controls. `pss-restricted`: baseline
 * and restricted controls, where a restricted control that overrides a baseline one replaces it (as
 * the Pod Security Admission does), so one problem gives one finding.
 */
export function rulesForProfile(profile: ProfileName, all: readonly Rule[], version: KubeVersion = LATEST_PSS_VERSION): Rule[] {
  const pss = all.filter((r) => r.meta.standards.pss);
  if (profile === 'pss-baseline') return pss.filter((r) => r.meta.standards.pss?.level === 'baseline');
  // An override counts only from the version its rule exists in (procMount_restricted replaces procMount from 1.35 on).
  const active = pss.filter((r) => !r.meta.since || atLeast(version, r.meta.since.minor));
  const overridden = new Set(active.map((r) => r.meta.overrides).filter((id): id is string => id !== undefined));
  return pss.filter((r) => !overridden.has(r.id));
}
