import { isObj } from '../core/workload.js';
import { ruleKey } from './rule.js';
import { type CompiledSelector, compileSelector, selectorMatches } from './selector.js';
import type { RoleInfo, SourcedRule } from './types.js';

/**
 * The `aggregationRule` of a ClusterRole: its compiled selectors, or undefined when the role has none. A selector that
 * does not compile, and a missing or empty selector list, are errors the API server rejects at admission
 * (pkg/apis/rbac/validation/validation.go `ValidateClusterRole`); such selectors select nothing here.
 */
export function aggregationSelectors(value: unknown): { selectors: CompiledSelector[]; errors: string[] } | undefined {
  const rule = isObj(value) ? value.aggregationRule : undefined;
  if (!isObj(rule)) return undefined;
  const list = Array.isArray(rule.clusterRoleSelectors) ? rule.clusterRoleSelectors : [];
  const selectors = list.map(compileSelector);
  const errors = selectors.flatMap((s, i) => (s.ok ? [] : [`clusterRoleSelectors[${i}]: ${s.error}`]));
  if (list.length === 0) errors.push('at least one clusterRoleSelector required if aggregationRule is non-nil');
  return { selectors, errors };
}

/**
 * Resolve aggregation as kubernetes/kubernetes@003e862
 * `pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go` `syncClusterRole` does, run to its
 * steady state: an aggregated role's rules become, for each selector in order, the rules of every other matching
 * ClusterRole sorted by name, deduplicated by exact rule (`ruleExists`). The controller reads the current rules of the
 * selected roles, themselves possibly aggregated, and re-syncs on every change, so this iterates to a fixpoint starting
 * from empty aggregated roles (their hand-written rules are overwritten and never seen). Mutates `rules` and
 * `aggregatedFrom` of the aggregated roles.
 */
export function aggregateClusterRoles<T>(clusterRoles: readonly RoleInfo<T>[], selectorsOf: ReadonlyMap<RoleInfo<T>, CompiledSelector[]>): void {
  const byName = [...clusterRoles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const plans: { role: RoleInfo<T>; sources: RoleInfo<T>[][] }[] = [];
  for (const [role, selectors] of selectorsOf) {
    const sources = selectors.map((sel) => byName.filter((other) => other.name !== role.name && selectorMatches(sel, other.labels)));
    plans.push({ role, sources });
    role.rules = [];
    role.aggregatedFrom = [...new Set(sources.flat().map((s) => s.name))];
  }
  const ordered = dependencyOrder(plans);
  const keys = new Map<SourcedRule<T>, string>();
  const keyOf = (s: SourcedRule<T>): string => {
    let key = keys.get(s);
    if (key === undefined) {
      key = ruleKey(s.rule);
      keys.set(s, key);
    }
    return key;
  };
  // In dependency order an acyclic graph settles in one pass (the second only confirms); the cap bounds cycles.
  const maxPasses = plans.length + 2;
  for (let pass = 0; pass < maxPasses; pass++) {
    let changed = false;
    for (const { role, sources } of ordered) {
      const seen = new Set<string>();
      const next: SourcedRule<T>[] = [];
      for (const selected of sources) {
        for (const source of selected) {
          for (const sourced of source.rules) {
            const key = keyOf(sourced);
            if (seen.has(key)) continue;
            seen.add(key);
            next.push(sourced);
          }
        }
      }
      if (!sameRules(next, role.rules)) {
        role.rules = next;
        changed = true;
      }
    }
    if (!changed) return;
  }
}

function sameRules<T>(a: readonly SourcedRule<T>[], b: readonly SourcedRule<T>[]): boolean {
  return a.length === b.length && a.every((x, i) => x.rule === b[i]?.rule);
}

/** Aggregated roles after the aggregated roles they select (depth-first; a cycle is cut where it is found). */
function dependencyOrder<P extends { role: unknown; sources: unknown[][] }>(plans: P[]): P[] {
  const planOf = new Map(plans.map((p) => [p.role, p]));
  const state = new Map<P, 'visiting' | 'done'>();
  const out: P[] = [];
  const visit = (plan: P): void => {
    if (state.has(plan)) return;
    state.set(plan, 'visiting');
    for (const source of plan.sources.flat()) {
      const dep = planOf.get(source);
      if (dep) visit(dep);
    }
    state.set(plan, 'done');
    out.push(plan);
  };
  for (const plan of plans) visit(plan);
  return out;
}
