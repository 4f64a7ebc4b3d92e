import type { Rule } from './rule.js';

/** The rules a build knows, by id and alias. Built once (src/rules/index.ts) and passed to whoever needs it. */
export interface RuleRegistry {
  readonly rules: readonly Rule[];
  /** The rule with that id or alias. */
  get(idOrAlias: string): Rule | undefined;
  /** Every id and alias. */
  readonly names: ReadonlySet<string>;
}

export function createRegistry(rules: readonly Rule[]): RuleRegistry {
  const byName = new Map<string, Rule>();
  for (const r of rules) {
    if (byName.has(r.id)) throw new Error(`duplicate rule id ${r.id}`);
    byName.set(r.id, r);
  }
  for (const r of rules) for (const a of r.meta.aliases ?? []) if (!byName.has(a)) byName.set(a, r);
  return { rules, get: (name) => byName.get(name), names: new Set(byName.keys()) };
}
