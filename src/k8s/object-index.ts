import { type K8sObject, type LabelSelector, type ObjectIndex, stringMap } from '../core/object.js';
import { MinprivError } from '../core/types.js';
import { selectorMatches } from './labels.js';

const NONE: readonly K8sObject[] = Object.freeze([]);

/** The index of a scan's complete objects (patches are left out: they define nothing). */
export function buildObjectIndex(objects: Iterable<K8sObject>): ObjectIndex {
  const byKind = new Map<string, K8sObject[]>();
  const byKey = new Map<string, K8sObject>();
  const namespaces = new Set<string>();
  let size = 0;
  for (const o of objects) {
    if (o.partial) continue;
    size++;
    const list = byKind.get(o.id.kind);
    if (list) list.push(o);
    else byKind.set(o.id.kind, [o]);
    // The first definition wins, as `kubectl apply` of the files in order would leave the last: either is a
    // guess, and the first is stable when files are added.
    const key = keyOf(o.id.kind, o.id.name, o.id.namespace);
    if (!byKey.has(key)) byKey.set(key, o);
    if (o.id.namespace) namespaces.add(o.id.namespace);
    if (o.id.kind === 'Namespace' && o.id.name) namespaces.add(o.id.name);
  }
  return {
    ofKind: (kind) => byKind.get(kind) ?? NONE,
    get(kind, name, namespace) {
      const exact = byKey.get(keyOf(kind, name, namespace));
      if (exact || namespace === undefined) return exact;
      return byKey.get(keyOf(kind, name, undefined));
    },
    selectByLabels: (kind: string, selector: LabelSelector) =>
      (byKind.get(kind) ?? NONE).filter((o) => selectorMatches(selector, stringMap(o.value.metadata, 'labels'))),
    namespaces,
    size,
  };
}

function keyOf(kind: string, name: string, namespace: string | undefined): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

const unavailable = (): never => {
  throw new MinprivError('index-not-requested', 'this rule reads other objects but does not set `needsIndex`');
};

/** Given to rules of a streaming scan (no rule set `needsIndex`): reading it is a rule error, not a silent empty answer. */
export const UNAVAILABLE_INDEX: ObjectIndex = {
  ofKind: unavailable,
  get: unavailable,
  selectByLabels: unavailable,
  get namespaces(): ReadonlySet<string> {
    return unavailable();
  },
  get size(): number {
    return unavailable();
  },
};
