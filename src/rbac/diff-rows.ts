import { classifyRule, type RiskId } from './risk.js';
import { type PolicyRule, RULE_FIELDS, type RuleField, ruleKey } from './rule.js';
import type { Scope } from './types.js';

/** A binding or role that grants a row: file and line, or `null` for the built-in roles and bindings. */
export interface GrantedBy {
  file: string | null;
  line: number | null;
  kind: string;
  name: string;
}

/** One row of a permission diff: the cross product of its lists, all granted (or all lost) the same way. */
export interface PermissionRow {
  scope: 'cluster' | 'namespace';
  /** Set for a namespace scope. */
  namespace?: string;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
  grantedBy: GrantedBy[];
  /** Risk ids of `classifyRule` (research-next.md §1.1) the row carries under its scope; empty when none. */
  risky: RiskId[];
}

/** One atom of `breakdownRule`, where it applies and what grants it. */
export interface Atom {
  rule: PolicyRule;
  scope: Scope;
  grantedBy: GrantedBy[];
}

export const scopeKey = (scope: Scope): string => ('cluster' in scope ? '' : scope.namespace);

const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const verbRank = (v: string): number => {
  const i = VERB_ORDER.indexOf(v);
  return i < 0 ? VERB_ORDER.length : i;
};
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sorters: Record<RuleField, (a: string, b: string) => number> = {
  verbs: (a, b) => verbRank(a) - verbRank(b) || byText(a, b),
  apiGroups: byText,
  resources: byText,
  resourceNames: byText,
  nonResourceURLs: byText,
};

interface Draft {
  scope: Scope;
  grantedBy: GrantedBy[];
  /** Scope and grantedBy, as one key. */
  origin: string;
  rule: PolicyRule;
  risky: RiskId[];
}

/** Merge drafts that differ only in `field`, uniting that field: each pass folds one dimension of the cross product back up. */
function mergeOn(drafts: readonly Draft[], field: RuleField): Draft[] {
  const byKey = new Map<string, Draft>();
  for (const d of drafts) {
    const rest = RULE_FIELDS.filter((f) => f !== field).map((f) => d.rule[f].join('\0'));
    const key = [d.origin, d.risky.join(','), ...rest].join('\u0001');
    const prev = byKey.get(key);
    if (!prev) byKey.set(key, { ...d, rule: { ...d.rule } });
    else prev.rule[field] = [...new Set([...prev.rule[field], ...d.rule[field]])].sort(sorters[field]);
  }
  return [...byKey.values()];
}

/** Risks under a scope, cached by rule: the namespace's name does not change what a rule allows. */
export function riskClassifier(): (rule: PolicyRule, scope: Scope) => RiskId[] {
  const cache = new Map<string, RiskId[]>();
  return (rule, scope) => {
    const key = `${'cluster' in scope ? 'c' : 'n'}${ruleKey(rule)}`;
    let risks = cache.get(key);
    if (!risks) {
      risks = [...new Set(classifyRule(rule, scope).map((m) => m.risk))];
      cache.set(key, risks);
    }
    return risks;
  };
}

/**
 * Fold atoms back into few readable rows: first the verbs of each (group, resource, name), which is what is judged for risk
 * (so `pods/exec` with get and create is one risky unit), then resources, names and groups that share everything else.
 * Risky rows come first, then cluster-wide before namespaced ones.
 */
export function compressAtoms(atoms: Iterable<Atom>, classify: (rule: PolicyRule, scope: Scope) => RiskId[]): PermissionRow[] {
  // Atoms of one grant share their grantedBy list: serialise it once.
  const refKeys = new WeakMap<GrantedBy[], string>();
  const refKey = (g: GrantedBy[]): string => {
    let k = refKeys.get(g);
    if (k === undefined) {
      k = JSON.stringify(g);
      refKeys.set(g, k);
    }
    return k;
  };
  let drafts: Draft[] = [];
  for (const a of atoms)
    drafts.push({ scope: a.scope, grantedBy: a.grantedBy, origin: `${scopeKey(a.scope)}\u0002${refKey(a.grantedBy)}`, rule: a.rule, risky: [] });
  drafts = mergeOn(drafts, 'verbs');
  for (const d of drafts) d.risky = classify(d.rule, d.scope);
  for (const field of ['resources', 'resourceNames', 'apiGroups', 'nonResourceURLs'] as const) drafts = mergeOn(drafts, field);
  const rows = drafts.map((d): PermissionRow => {
    const { rule } = d;
    return {
      scope: 'cluster' in d.scope ? 'cluster' : 'namespace',
      ...('namespace' in d.scope ? { namespace: d.scope.namespace } : {}),
      apiGroups: rule.apiGroups,
      resources: rule.resources,
      verbs: rule.verbs,
      resourceNames: rule.resourceNames,
      nonResourceURLs: rule.nonResourceURLs,
      grantedBy: d.grantedBy,
      risky: d.risky,
    };
  });
  return rows.sort(compareRows);
}

const rowText = (r: PermissionRow): string =>
  [r.nonResourceURLs.length > 0 ? '1' : '0', r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs, r.verbs, JSON.stringify(r.grantedBy)].join('\u0001');

export function compareRows(a: PermissionRow, b: PermissionRow): number {
  const risky = Number(b.risky.length > 0) - Number(a.risky.length > 0);
  if (risky !== 0) return risky;
  if (a.scope !== b.scope) return a.scope === 'cluster' ? -1 : 1;
  return byText(a.namespace ?? '', b.namespace ?? '') || byText(rowText(a), rowText(b));
}
