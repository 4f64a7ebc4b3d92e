import { EVENT_ID, type Event } from 'js-yaml';
import type { FixOp, Path } from '../core/types.js';
import { getIn } from '../core/workload.js';
import { EditDeclined } from './edit-format.js';
import { applyOpToValue, compact, copyOf, deepEqual } from './edit-value.js';
import { mappingEntries, sequenceItems } from './locate.js';
import type { ParsedFile } from './parse.js';

/** One existing node on the way to an op's target. */
export interface Step {
  node: number;
  /** Key event when the node is a mapping value. */
  key?: number;
  /** The collection that holds the node. */
  parent?: number;
  /** Key event of that collection when it is a mapping value. */
  parentKey?: number;
  /** The step of the holding collection. */
  up?: Step;
  /** Document path of the node. */
  path: Path;
}

/**
 * What a set of ops does to the existing nodes of one document, before any text is written:
 * values replaced, entries or items removed, keys and items appended.
 */
export interface EditPlan {
  replace: Map<number, { step: Step; value: unknown }>;
  remove: Map<number, Step>;
  addKeys: Map<number, Record<string, unknown>>;
  addItems: Map<number, unknown[]>;
  /** The step of each collection in `addKeys`/`addItems` (its ancestors tell whether it sits in a flow collection). */
  targets: Map<number, Step>;
}

export function emptyPlan(): EditPlan {
  return { replace: new Map(), remove: new Map(), addKeys: new Map(), addItems: new Map(), targets: new Map() };
}

function isNullScalar(file: ParsedFile, e: Event): boolean {
  if (e.type !== EVENT_ID.SCALAR || e.style !== 1 || e.tagStart >= 0) return false;
  return e.valueStart < 0 || /^(?:~|null|Null|NULL)$/.test(file.text.slice(e.valueStart, e.valueEnd));
}

/** A node that holds nothing yet and can be turned into a block collection: `key:`, `key: null`, `key: {}`, `key: []`. */
export function isEmptyNode(file: ParsedFile, i: number): boolean {
  const e = file.events[i] as Event;
  if (isNullScalar(file, e)) return true;
  return (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) && e.style === 2 && file.ends[i] === i + 1;
}

function hasAnchor(e: Event): boolean {
  return (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE || e.type === EVENT_ID.SCALAR) && e.anchorStart >= 0;
}

/**
 * The steps already found per events array (one per parse) and document root: the step of a node is the
 * same on every walk that reaches it (its key, parent and path from the root are fixed by the events), so
 * the ops of a file, which share most of their paths (`spec.template.spec.containers[0]…`), look each
 * segment up once. Only the lookups are kept: every walk still checks each node it passes for aliases,
 * anchors and merge keys, and declines the same way.
 */
const rootSteps = new WeakMap<readonly Event[], Map<number, WalkStep>>();

/** What a segment leads to from a step: the next step, nothing (`null`), or nothing in a mapping with a merge key. */
type Next = WalkStep | null | 'merge';

/**
 * A step as `walk` keeps it: its path is the first `depth` segments of the path that found it, cut when
 * read (only a removal that empties its parent reads it). Fields assigned in the constructor only (`declare`:
 * no field definitions), one object shape.
 */
class WalkStep implements Step {
  declare node: number;
  declare key: number | undefined;
  declare parent: number | undefined;
  declare parentKey: number | undefined;
  declare up: WalkStep | undefined;
  /** The segments looked up from this step. */
  declare kids: Map<string | number, Next> | undefined;
  declare private segs: Path;
  declare private depth: number;
  constructor(node: number, segs: Path, depth: number, up: WalkStep | undefined, key: number | undefined) {
    this.node = node;
    this.key = key;
    this.parent = up?.node;
    this.parentKey = up?.key;
    this.up = up;
    this.kids = undefined;
    this.segs = segs;
    this.depth = depth;
  }
  get path(): Path {
    return this.segs.length === this.depth ? this.segs : this.segs.slice(0, this.depth);
  }
}

const newStep = (node: number, segs: Path, depth: number, up: WalkStep | undefined, key: number | undefined): WalkStep =>
  new WalkStep(node, segs, depth, up, key);

function stepFrom(file: ParsedFile, holder: WalkStep, e: Event, path: Path, d: number): Next {
  const node = holder.node;
  const seg = path[d] as string | number;
  if (e.type === EVENT_ID.MAPPING && typeof seg === 'string') {
    const entries = mappingEntries(file, node);
    const hit = entries.find((en) => en.key === seg);
    if (hit) return newStep(hit.valueEvent, path, d + 1, holder, hit.keyEvent);
    return entries.some((en) => en.key === '<<') ? 'merge' : null;
  }
  if (e.type === EVENT_ID.SEQUENCE && typeof seg === 'number') {
    const item = sequenceItems(file, node)[seg];
    if (item !== undefined) return newStep(item, path, d + 1, holder, undefined);
  }
  return null;
}

/** Existing nodes along `path`, and the segments that do not exist yet. Declines aliases, anchors and merge keys. */
export function walk(file: ParsedFile, root: number, path: Path): { chain: Step[]; rest: Path } {
  let known = rootSteps.get(file.events);
  if (!known) {
    known = new Map();
    rootSteps.set(file.events, known);
  }
  let step = known.get(root);
  if (!step) {
    step = newStep(root, [], 0, undefined, undefined);
    known.set(root, step);
  }
  const chain: Step[] = [step];
  for (let d = 0; d < path.length; d++) {
    const e = file.events[step.node] as Event;
    if (e.type === EVENT_ID.ALIAS) throw new EditDeclined('the value is behind an alias');
    if (hasAnchor(e)) throw new EditDeclined('the value is anchored (shared through aliases)');
    const seg = path[d] as string | number;
    step.kids ??= new Map();
    let next = step.kids.get(seg);
    if (next === undefined) {
      next = stepFrom(file, step, e, path, d);
      step.kids.set(seg, next);
    }
    if (next === 'merge') throw new EditDeclined('the mapping has a merge key (`<<`)');
    if (next === null) return { chain, rest: path.slice(d) };
    chain.push(next);
    step = next;
  }
  const last = file.events[step.node] as Event;
  if (last.type === EVENT_ID.ALIAS) throw new EditDeclined('the value is behind an alias');
  if (hasAnchor(last)) throw new EditDeclined('the value is anchored (shared through aliases)');
  return { chain, rest: [] };
}

function within(file: ParsedFile, outer: number, inner: number): boolean {
  const e = file.events[outer] as Event;
  const end = e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE ? (file.ends[outer] as number) : outer;
  return inner >= outer && inner <= end;
}

/**
 * Apply an op to a pending (not yet written) value: `holder[key]` is the value the op's path from segment
 * `from` on starts in. Only `holder[key]` changes: a `remove` is applied to it alone (it could delete the
 * key itself, which stays as `undefined`), any other op in `holder` directly (it writes below `key` or sets it).
 */
function applyPending(holder: Record<string, unknown>, key: string, op: FixOp, from: number): void {
  if (op.op !== 'remove') {
    applyOpToValue(holder, key, op, from);
    return;
  }
  const wrapped = { [key]: holder[key] };
  applyOpToValue(wrapped, key, op, from);
  holder[key] = compact(wrapped[key]);
}

/** Record one op in the plan. `docValue` is the parsed document, for no-op detection. */
export function planOp(file: ParsedFile, root: number, docValue: unknown, plan: EditPlan, op: FixOp): void {
  const { chain, rest } = walk(file, root, op.path);
  const depth = op.path.length - rest.length;
  for (let i = 1; i < chain.length; i++) {
    const step = chain[i] as Step;
    for (const removed of plan.remove.keys()) {
      if (within(file, removed, step.node)) throw new EditDeclined('conflicting fixes: an edit inside a removed value');
    }
    const replaced = plan.replace.get(step.node);
    if (replaced) {
      const holder = { v: replaced.value };
      applyPending(holder, 'v', op, i);
      replaced.value = holder.v;
      return;
    }
  }
  const target = chain[chain.length - 1] as Step;
  const e = file.events[target.node] as Event;
  if (rest.length === 0) {
    if (depth === 0) throw new EditDeclined('an op on the whole document');
    if (op.op === 'set') {
      if (!deepEqual(getIn(docValue, op.path), op.value)) plan.replace.set(target.node, { step: target, value: copyOf(op.value) });
      return;
    }
    if (op.op === 'remove') {
      for (const k of [...plan.replace.keys(), ...plan.addKeys.keys(), ...plan.addItems.keys()]) {
        if (within(file, target.node, k)) throw new EditDeclined('conflicting fixes: removing a value another fix edits');
      }
      plan.remove.set(target.node, target);
      return;
    }
    if (isEmptyNode(file, target.node) && e.type !== EVENT_ID.MAPPING) {
      plan.replace.set(target.node, { step: target, value: [copyOf(op.value)] });
    } else if (e.type === EVENT_ID.SEQUENCE) {
      plan.addItems.set(target.node, [...(plan.addItems.get(target.node) ?? []), copyOf(op.value)]);
      plan.targets.set(target.node, target);
    } else {
      throw new EditDeclined('add-item on a value that is not a list');
    }
    return;
  }
  if (op.op === 'remove') return;
  const seg = rest[0] as string | number;
  if (typeof seg !== 'string') throw new EditDeclined('the list item does not exist');
  // An empty `{}` is replaced as a whole (a block mapping then, unless it sits in a flow collection).
  if (e.type === EVENT_ID.MAPPING && !isEmptyNode(file, target.node)) {
    const adds = plan.addKeys.get(target.node) ?? {};
    applyPending(adds, seg, op, depth + 1);
    plan.addKeys.set(target.node, adds);
    plan.targets.set(target.node, target);
    return;
  }
  if (isEmptyNode(file, target.node) && e.type !== EVENT_ID.SEQUENCE) {
    const holder: Record<string, unknown> = { v: {} };
    applyPending(holder, 'v', op, depth);
    plan.replace.set(target.node, { step: target, value: holder.v });
    return;
  }
  throw new EditDeclined('the path goes through a scalar value');
}
