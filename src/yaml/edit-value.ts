import type { FixOp, Path } from '../core/types.js';
import { EditDeclined } from './edit-format.js';

/** Marks a removed sequence item until compaction, so later ops keep addressing original indexes. */
const REMOVED: unique symbol = Symbol('removed');

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

function child(c: Container, seg: string | number): unknown {
  if (Array.isArray(c)) return typeof seg === 'number' ? c[seg] : undefined;
  return typeof seg === 'string' && Object.hasOwn(c, seg) ? c[seg] : undefined;
}

function assign(c: Container, seg: string | number, value: unknown): void {
  if (seg === '__proto__') throw new EditDeclined('a `__proto__` key is not written');
  if (Array.isArray(c)) {
    if (typeof seg !== 'number' || seg < 0 || seg >= c.length) throw new EditDeclined(`list item ${String(seg)} does not exist`);
    c[seg] = value;
  } else {
    if (typeof seg !== 'string') throw new EditDeclined(`index ${seg} used on a mapping`);
    c[seg] = value;
  }
}

/**
 * Copy-on-write for `expectedValue`: the containers the ops may change (their own, or copies made on the
 * way down), and the lists a `remove` marked (compacted at the end). Without it, ops change the tree in place.
 */
interface Owned {
  own: Set<object>;
  marked: unknown[][];
}

/** `c[seg]`, a container on an op's path, as one the ops may change: copied into `c` unless owned already. */
function owned(c: Container, seg: string | number, next: Container, cow: Owned | undefined): Container {
  if (!cow || cow.own.has(next)) return next;
  const copy: Container = Array.isArray(next) ? next.slice() : { ...next };
  cow.own.add(copy);
  if (Array.isArray(c)) c[seg as number] = copy;
  // An own `__proto__` key stays an own data property (plain assignment would set the prototype).
  else Object.defineProperty(c, seg as string, { value: copy, writable: true, enumerable: true, configurable: true });
  return copy;
}

/**
 * An op's path as seen from a holder: `pre`, then the op's path from segment `from` on (`applyOpToValue`
 * with the path `[pre, ...path.slice(from)]`, without building it: this runs for every op planned and checked).
 */
interface Seen {
  pre: string;
  path: Path;
  from: number;
}

const segOf = (at: Seen, i: number): string | number => (i === 0 ? at.pre : (at.path[at.from + i - 1] as string | number));
const lengthOf = (at: Seen): number => 1 + at.path.length - at.from;

/** The container that holds the last segment of `at`, creating missing mappings for `set`/`add-item`. */
function parentOf(root: Container, at: Seen, create: boolean, cow?: Owned): Container | undefined {
  let cur: Container = root;
  const n = lengthOf(at);
  for (let i = 0; i < n - 1; i++) {
    const seg = segOf(at, i);
    let next = child(cur, seg);
    if (next === REMOVED) throw new EditDeclined('conflicting fixes: an edit inside a removed item');
    if (next === undefined || next === null) {
      if (!create) return undefined;
      if (typeof segOf(at, i + 1) === 'number') throw new EditDeclined('cannot create a list item by index');
      const created = {};
      assign(cur, seg, created);
      cow?.own.add(created);
      next = created;
    }
    if (!isContainer(next)) throw new EditDeclined('the path goes through a scalar value');
    cur = owned(cur, seg, next, cow);
  }
  return cur;
}

/** A copy of an op's value: a scalar is its own copy (structuredClone returns it as it is), so only a collection is cloned. */
export function copyOf<T>(v: T): T {
  return typeof v === 'object' && v !== null ? structuredClone(v) : v;
}

/**
 * Apply one op to a value tree in place (the tree is a container holding the document at its root key
 * `pre`): the op as if its path were `[pre, ...op.path.slice(from)]`.
 */
export function applyOpToValue(root: Container, pre: string, op: FixOp, from = 0, cow?: Owned): void {
  const at: Seen = { pre, path: op.path, from };
  const last = segOf(at, lengthOf(at) - 1);
  if (last === undefined) throw new EditDeclined('an op on the whole document');
  if (op.op === 'remove') {
    const parent = parentOf(root, at, false, cow);
    if (!parent || child(parent, last) === undefined) return;
    if (Array.isArray(parent)) {
      parent[last as number] = REMOVED;
      cow?.marked.push(parent);
    } else delete parent[last as string];
    return;
  }
  const parent = parentOf(root, at, true, cow) as Container;
  const current = child(parent, last);
  if (current === REMOVED) throw new EditDeclined('conflicting fixes: an edit of a removed item');
  // Copy-on-write changes no container it does not own (an op's value put in the tree is copied before a
  // later op writes into it, as any other), so the value goes in as it is; in place, a later op would change it.
  const value = cow ? op.value : copyOf(op.value);
  if (op.op === 'set') {
    assign(parent, last, value);
    return;
  }
  if (current === undefined || current === null) assign(parent, last, [value]);
  else if (Array.isArray(current)) (owned(parent, last, current, cow) as unknown[]).push(value);
  else throw new EditDeclined('add-item on a value that is not a list');
}

/** Drop removed items (after all ops ran). Aliases can make the tree cyclic: each node is visited once. */
export function compact<T>(v: T, seen = new WeakSet<object>()): T {
  if (!isContainer(v) || seen.has(v)) return v;
  seen.add(v);
  if (Array.isArray(v)) {
    const kept = v.filter((x) => x !== REMOVED);
    v.length = 0;
    for (const x of kept) v.push(compact(x, seen));
    return v;
  }
  for (const k of Object.keys(v)) (v as Record<string, unknown>)[k] = compact((v as Record<string, unknown>)[k], seen);
  return v;
}

/**
 * The document value the ops should produce: what a correct edit must parse back to. `doc` is not changed:
 * only the containers on the ops' paths are copied (copy-on-write), the rest is shared with `doc`. A
 * document with aliases (`shared`) can reach one container by two paths, and an edit through one shows
 * through the other: it is copied whole (structuredClone keeps the sharing).
 */
export function expectedValue(doc: unknown, ops: readonly FixOp[], shared = true): unknown {
  if (shared) {
    const holder: Record<string, unknown> = { doc: structuredClone(doc) };
    for (const op of ops) applyOpToValue(holder, 'doc', op);
    return compact(holder.doc);
  }
  const holder: Record<string, unknown> = { doc };
  const cow: Owned = { own: new Set([holder]), marked: [] };
  for (const op of ops) applyOpToValue(holder, 'doc', op, 0, cow);
  // Removed items sit only in lists the ops own (copies); nothing else holds one.
  for (const list of new Set(cow.marked)) {
    const kept = list.filter((x) => x !== REMOVED);
    list.length = 0;
    list.push(...kept);
  }
  return holder.doc;
}

/**
 * Structural equality of parsed YAML values (plain objects, arrays, scalars); cycles from aliases compare as
 * equal once entered. `inProgress` tracks the pairs being compared; `null` skips that tracking, for trees
 * (see deepEqualTree).
 */
export function deepEqual(a: unknown, b: unknown, inProgress: Map<object, Set<object>> | null = new Map()): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const list = Array.isArray(a);
  if (list !== Array.isArray(b)) return false;
  if (inProgress) {
    const pairs = inProgress.get(a) ?? new Set<object>();
    if (pairs.has(b)) return true;
    pairs.add(b);
    inProgress.set(a, pairs);
  }
  if (list) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!deepEqual(x[i], y[i], inProgress)) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra);
  if (ka.length !== Object.keys(rb).length) return false;
  for (const k of ka) if (!Object.hasOwn(rb, k) || !deepEqual(ra[k], rb[k], inProgress)) return false;
  return true;
}

/**
 * deepEqual of two trees: values no container of which is reached twice (parsed from YAML without anchors,
 * or copied from one on write: `expectedValue` without `shared`). The same answer as deepEqual there, whose
 * pair tracking only matters where a container comes back (a cycle, or one shared by two paths), without
 * allocating it for every container compared.
 */
export function deepEqualTree(a: unknown, b: unknown): boolean {
  return deepEqual(a, b, null);
}
