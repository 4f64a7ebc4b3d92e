import type { Rule } from '../core/rule.js';

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
export function rulesForProfile(profile: ProfileName, all: readonly Rule[]): Rule[] {
  const pss = all.filter((r) => r.meta.standards.pss);
  if (profile === 'pss-baseline') return pss.filter((r) => r.meta.standards.pss?.level === 'baseline');
  const overridden = new Set(pss.map((r) => r.meta.overrides).filter((id): id is string => id !== undefined));
  return pss.filter((r) => !overridden.has(r.id));
}
