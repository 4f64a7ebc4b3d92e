import type { LabelSelector } from '../core/object.js';
import { isObj } from '../core/object.js';

/**
 * Whether `labels` match a label selector, as `metav1.LabelSelectorAsSelector` builds it and
 * `labels.Selector.Matches` answers (k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go,
 * k8s.io/apimachinery/pkg/labels/selector.go `Requirement.Matches`):
 * - a missing (nil) selector matches nothing; an empty one (`{}`) matches everything;
 * - `matchLabels` are `key = value` requirements; `matchExpressions` operators `In` (the key is present with
 *   one of the values), `NotIn` (the key is absent, or its value is none of them), `Exists`, `DoesNotExist`;
 * - an invalid selector (unknown operator, `In`/`NotIn` without values, `Exists`/`DoesNotExist` with values)
 *   is an error there: here it matches nothing, which is what a controller that fails to build it selects.
 */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const sel = parseSelector(selector);
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key] as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A selector read from untrusted YAML, or undefined when it is missing or invalid. */
export function parseSelector(value: unknown): LabelSelector | undefined {
  if (!isObj(value)) return undefined;
  const out: LabelSelector = {};
  if (value.matchLabels !== undefined && value.matchLabels !== null) {
    if (!isObj(value.matchLabels)) return undefined;
    const ml: Record<string, string> = {};
    for (const [k, v] of Object.entries(value.matchLabels)) {
      if (typeof v !== 'string') return undefined;
      ml[k] = v;
    }
    out.matchLabels = ml;
  }
  if (value.matchExpressions !== undefined && value.matchExpressions !== null) {
    if (!Array.isArray(value.matchExpressions)) return undefined;
    out.matchExpressions = [];
    for (const e of value.matchExpressions) {
      if (!isObj(e) || typeof e.key !== 'string' || typeof e.operator !== 'string') return undefined;
      const values = Array.isArray(e.values) ? e.values : e.values === undefined || e.values === null ? [] : undefined;
      if (!values?.every((v): v is string => typeof v === 'string')) return undefined;
      const needsValues = e.operator === 'In' || e.operator === 'NotIn';
      const noValues = e.operator === 'Exists' || e.operator === 'DoesNotExist';
      if ((needsValues && values.length === 0) || (noValues && values.length > 0) || (!needsValues && !noValues)) return undefined;
      out.matchExpressions.push({ key: e.key, operator: e.operator, values });
    }
  }
  return out;
}
