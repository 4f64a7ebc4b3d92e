import { isObj } from '../core/workload.js';

/**
 * `metav1.LabelSelector` matching, ported from kubernetes/kubernetes@04791b4
 * `staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go` (`LabelSelectorAsSelector`) and @008b365
 * `staging/src/k8s.io/apimachinery/pkg/labels/selector.go` (`NewRequirement`, `Requirement.Matches`).
 * An empty selector (`{}`) matches everything; requirements are ANDed.
 */

export type Labels = Readonly<Record<string, string>>;

type Requirement = { key: string; op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values: string[] };

/** A compiled selector, or the reason `LabelSelectorAsSelector` would fail (the controller then leaves the role alone). */
export type CompiledSelector = { ok: true; requirements: Requirement[] } | { ok: false; error: string };

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** helpers.go `LabelSelectorAsSelector`, minus label-key syntax validation. A non-object (YAML `null`) is Go's zero value: `{}`. */
export function compileSelector(value: unknown): CompiledSelector {
  const selector = isObj(value) ? value : {};
  const requirements: Requirement[] = [];
  const matchLabels = selector.matchLabels;
  if (isObj(matchLabels)) {
    for (const [key, v] of Object.entries(matchLabels)) {
      if (typeof v !== 'string') return { ok: false, error: `matchLabels.${key} is not a string` };
      requirements.push({ key, op: 'In', values: [v] });
    }
  }
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const expr of expressions) {
    const key = isObj(expr) && typeof expr.key === 'string' ? expr.key : '';
    const op = isObj(expr) ? expr.operator : undefined;
    if (typeof op !== 'string' || !OPERATORS.has(op)) return { ok: false, error: `${JSON.stringify(op)} is not a valid label selector operator` };
    const raw = isObj(expr) && Array.isArray(expr.values) ? expr.values : [];
    const values = raw.filter((v): v is string => typeof v === 'string');
    if ((op === 'In' || op === 'NotIn') && values.length === 0) return { ok: false, error: `for '${op}' the values set can't be empty` };
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length !== 0) return { ok: false, error: `values set must be empty for '${op}'` };
    if (key === '') return { ok: false, error: 'label selector key must not be empty' };
    requirements.push({ key, op: op as Requirement['op'], values });
  }
  return { ok: true, requirements };
}

/** selector.go `Requirement.Matches`: NotIn also matches when the label is absent. */
function requirementMatches(r: Requirement, labels: Labels): boolean {
  const present = Object.hasOwn(labels, r.key);
  switch (r.op) {
    case 'In':
      return present && r.values.includes(labels[r.key] as string);
    case 'NotIn':
      return !present || !r.values.includes(labels[r.key] as string);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
  }
}

export function selectorMatches(selector: CompiledSelector, labels: Labels): boolean {
  return selector.ok && selector.requirements.every((r) => requirementMatches(r, labels));
}

/** The string-valued labels of an object's metadata (other values cannot be labels). */
export function labelsOf(value: unknown): Record<string, string> {
  const labels = isObj(value) && isObj(value.metadata) ? value.metadata.labels : undefined;
  const out: Record<string, string> = {};
  if (isObj(labels)) for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}
