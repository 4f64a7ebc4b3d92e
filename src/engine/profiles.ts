import type { RuleRegistry } from '../core/registry.js';
import type { Report, Rule, RuleCategory } from '../core/rule.js';
import { type PssLevel, type Severity, type Suppression, severityRank } from '../core/types.js';
import { atLeast, type KubeVersion, LATEST_PSS_VERSION } from '../core/version.js';
import type { RuleSetting } from './scan.js';

/**
 * A profile is data: the PSS level it runs (with PSA's overrides), plus rule categories and rule ids.
 * `pss-baseline` and `pss-restricted` are exactly the Pod Security Standards; `minpriv` is the
 * recommended set: restricted plus every least-privilege category beyond the pod spec.
 */
export interface ProfileDef {
  name: string;
  description: string;
  pss?: PssLevel;
  categories?: readonly RuleCategory[];
  rules?: readonly string[];
}

export const PROFILE_DEFS = [
  { name: 'pss-baseline', description: 'Pod Security Standards, baseline level: exactly its controls.', pss: 'baseline' },
  { name: 'pss-restricted', description: 'Pod Security Standards, restricted level (baseline included, as PSA enforces it).', pss: 'restricted' },
  {
    name: 'minpriv',
    description: 'Recommended: PSS restricted plus RBAC, supply chain, service accounts, exposure, secrets and hygiene rules.',
    pss: 'restricted',
    categories: ['rbac', 'supply-chain', 'service-account', 'exposure', 'secrets', 'hygiene'],
  },
] as const satisfies readonly ProfileDef[];

export type ProfileName = (typeof PROFILE_DEFS)[number]['name'];
export const PROFILES = PROFILE_DEFS.map((p) => p.name) as [ProfileName, ...ProfileName[]];
export const DEFAULT_PROFILE: ProfileName = 'pss-restricted';

export function isProfileName(s: string): s is ProfileName {
  return (PROFILES as readonly string[]).includes(s);
}

/**
 * The rules a profile runs. Its PSS level: `baseline` runs exactly the baseline controls; `restricted` runs
 * baseline and restricted controls, where a restricted control that overrides a baseline one replaces it
 * (as the Pod Security Admission does), so one problem gives one finding. Then the rules of its categories
 * and its listed rules, in registry order.
 */
export function rulesForProfile(profile: ProfileName, all: readonly Rule[], version: KubeVersion = LATEST_PSS_VERSION): Rule[] {
  const def: ProfileDef = PROFILE_DEFS.find((p) => p.name === profile) ?? PROFILE_DEFS[1];
  const out = pssRules(def.pss, all, version);
  const categories = new Set(def.categories ?? []);
  const ids = new Set(def.rules ?? []);
  for (const r of all) if (!out.includes(r) && r.check && (categories.has(r.meta.category) || ids.has(r.id))) out.push(r);
  return out;
}

function pssRules(level: PssLevel | undefined, all: readonly Rule[], version: KubeVersion): Rule[] {
  if (!level) return [];
  const pss = all.filter((r) => r.meta.standards.pss);
  if (level === 'baseline') return pss.filter((r) => r.meta.standards.pss?.level === 'baseline');
  // An override counts only from the version its rule exists in (procMount_restricted replaces procMount from 1.35 on).
  const active = pss.filter((r) => !r.meta.since || atLeast(version, r.meta.since.minor));
  const overridden = new Set(active.map((r) => r.meta.overrides).filter((id): id is string => id !== undefined));
  return pss.filter((r) => !overridden.has(r.id));
}

/** The setting of a rule in `settings`, by its id or an alias. */
export function settingFor(r: Rule, settings: Record<string, RuleSetting>): RuleSetting | undefined {
  return settings[r.id] ?? r.meta.aliases?.map((a) => settings[a]).find((s) => s !== undefined);
}

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
export function standIn(rule: Rule, r: Report, settings: Record<string, RuleSetting>, configured: boolean, registry: RuleRegistry): StandIn {
  const others = (r.alsoFor ?? []).map((id) => registry.get(id)).filter((o): o is Rule => o !== undefined);
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
