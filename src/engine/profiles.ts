import type { Report, Rule } from '../core/rule.js';
import { type Severity, type Suppression, severityRank } from '../core/types.js';
import { atLeast, type KubeVersion, LATEST_PSS_VERSION } from '../core/version.js';
import { allRules } from '../rules/index.js';
import type { RuleSetting } from './scan.js';

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

/** The setting of a rule in `settings`, by its id or an alias. */
export function settingFor(r: Rule, settings: Record<string, RuleSetting>): RuleSetting | undefined {
  return settings[r.id] ?? r.meta.aliases?.map((a) => settings[a]).find((s) => s !== undefined);
}

const RULES_BY_ID = new Map(allRules.map((r) => [r.id, r]));

export const isSeverity = (s: RuleSetting | undefined): s is Severity => s !== undefined && s !== 'off';

interface StandIn {
  severity: Severity;
  /** Ids and aliases of the rules the finding also answers for. */
  ids: string[];
  /** The rule's crosswalk ids merged with theirs (other tools' suppression annotations). */
  standards: Record<string, string[] | undefined>;
  /** A rule it answers for is off in the configuration: the finding counts as suppressed. */
  off?: Suppression;
}

/**
 * Severity and suppression of a finding that stands in for other rules' (a restricted rule replacing a
 * baseline one). The rule's own configured severity wins; else the higher of the rule's and the finding's
 * severity, where a configured severity of a rule it answers for replaces the finding's.
 */
export function standIn(rule: Rule, r: Report, settings: Record<string, RuleSetting>, configured: boolean): StandIn {
  const others = (r.alsoFor ?? []).map((id) => RULES_BY_ID.get(id)).filter((o): o is Rule => o !== undefined);
  const ids = others.flatMap((o) => [o.id, ...(o.meta.aliases ?? [])]);
  const standards: Record<string, string[] | undefined> = { ...(rule.meta.standards as Record<string, string[] | undefined>) };
  for (const o of others) {
    for (const [tool, list] of Object.entries(o.meta.standards)) {
      if (Array.isArray(list)) standards[tool] = [...new Set([...(standards[tool] ?? []), ...list])];
    }
  }
  let severity = r.severity ?? rule.meta.severity;
  const theirs = others.map((o) => settingFor(o, settings)).filter(isSeverity);
  if (theirs.length > 0) severity = theirs.reduce((a, b) => (severityRank(b) > severityRank(a) ? b : a));
  if (configured || severityRank(rule.meta.severity) > severityRank(severity)) severity = rule.meta.severity;
  const out: StandIn = { severity, ids, standards };
  const off = others.find((o) => settingFor(o, settings) === 'off');
  if (off) out.off = { by: 'config', reason: `\`${off.id}\` is off in the configuration` };
  return out;
}
