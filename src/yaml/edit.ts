import { EVENT_ID, type Event } from 'js-yaml';
import type { FixOp, LineEdit } from '../core/types.js';
import { flowRootOf, renderFlowRoot } from './edit-flow.js';
import {
  columnAt,
  contentEnd,
  EditDeclined,
  fileStyle,
  inlineValue,
  isCollection,
  lineIndexAt,
  quotedKeys,
  quoteString,
  type RenderStyle,
  renderChildren,
  renderFlow,
} from './edit-format.js';
import { before, Changes, colonAfter, compose, endLine, type Insert, keyColumn, lineText, requireLineEnd } from './edit-lines.js';
import { type EditPlan, emptyPlan, isEmptyNode, planOp, type Step } from './edit-plan.js';
import { mappingEntries, nodeEnd, nodeStart, sequenceItems } from './locate.js';
import type { ParsedFile } from './parse.js';

export { EditDeclined } from './edit-format.js';
export { lineText } from './edit-lines.js';

function renderReplace(file: ParsedFile, st: RenderStyle, ch: Changes, step: Step, value: unknown): void {
  const n = step.node;
  const e = file.events[n] as Event;
  const inline = inlineValue(value, st);
  if (isEmptyNode(file, n)) {
    if (step.key === undefined) throw new EditDeclined('an empty list item would need rewriting');
    const keyLine = lineIndexAt(file, nodeStart(file, step.key));
    const s = nodeStart(file, n);
    const colon = colonAfter(file, step.key);
    if (s >= 0 && lineIndexAt(file, s) !== keyLine) throw new EditDeclined('the empty value sits on its own line');
    const end = s >= 0 ? nodeEnd(file, n) : colon;
    requireLineEnd(file, end);
    if (inline !== undefined) {
      ch.replace(colon, end, ` ${inline}`);
      return;
    }
    ch.replace(colon, end, '');
    const col = keyColumn(file, step.key) + (Array.isArray(value) ? st.seqIndent : st.indent);
    ch.insertAfter(keyLine, col, renderChildren(value, col, st));
    return;
  }
  if (e.type === EVENT_ID.SCALAR) {
    if (e.style === 4 || e.style === 5) throw new EditDeclined('the value is a block scalar');
    if (inline === undefined) throw new EditDeclined('replacing a scalar with a collection would need rewriting');
    const text = typeof value === 'string' && e.style !== 1 ? quoteString(value, e.style === 2 ? "'" : '"') : inline;
    ch.replace(nodeStart(file, n), nodeEnd(file, n), text);
    return;
  }
  if (e.type !== EVENT_ID.MAPPING && e.type !== EVENT_ID.SEQUENCE) throw new EditDeclined('unexpected node');
  if (e.style === 2) {
    // A flow list of quoted items (`verbs: ["*"]`) gets quoted items, as a replaced quoted scalar stays quoted (QA D12).
    const first = e.type === EVENT_ID.SEQUENCE ? (file.events[sequenceItems(file, n)[0] ?? -1] as Event | undefined) : undefined;
    const quote = first?.type === EVENT_ID.SCALAR && (first.style === 2 || first.style === 3) ? (first.style === 2 ? "'" : '"') : undefined;
    const quoted =
      quote && Array.isArray(value) && value.every((v) => typeof v === 'string') ? `[${value.map((v) => quoteString(v, quote)).join(', ')}]` : undefined;
    ch.replace(nodeStart(file, n), nodeEnd(file, n), quoted ?? (isCollection(value) ? renderFlow(value, st) : (inline as string)));
    return;
  }
  if (step.key === undefined) throw new EditDeclined('replacing a whole list item would need rewriting');
  const keyLine = lineIndexAt(file, nodeStart(file, step.key));
  const start = nodeStart(file, n);
  const first = lineIndexAt(file, start);
  if (first === keyLine || !/^[ ]*$/.test(before(file, start))) throw new EditDeclined('the collection shares a line with its key');
  const last = endLine(file, n);
  requireLineEnd(file, last.offset);
  ch.remove(first, last.line);
  if (inline !== undefined) {
    const colon = colonAfter(file, step.key);
    ch.replace(colon, colon, ` ${inline}`);
    return;
  }
  const sameKind = Array.isArray(value) === (e.type === EVENT_ID.SEQUENCE);
  const keyCol = keyColumn(file, step.key);
  const col = sameKind ? columnAt(file, start) : keyCol + (Array.isArray(value) ? st.seqIndent : st.indent);
  ch.insertAfter(last.line, col, renderChildren(value, col, st));
}

function renderRemove(file: ParsedFile, plan: EditPlan, ch: Changes, step: Step): void {
  const parent = step.parent as number;
  const pe = file.events[parent] as Event;
  if ((pe.type !== EVENT_ID.MAPPING && pe.type !== EVENT_ID.SEQUENCE) || pe.style !== 1) {
    throw new EditDeclined('removing from a flow-style collection would need rewriting it');
  }
  let start: number;
  if (pe.type === EVENT_ID.MAPPING) {
    start = nodeStart(file, step.key as number);
    if (/^[ ]*(?:- +)+$/.test(before(file, start))) {
      removeDashLineKey(file, plan, ch, step, start);
      return;
    }
    if (!/^[ ]*$/.test(before(file, start))) throw new EditDeclined('the key shares its line with a list item dash');
  } else {
    start = nodeStart(file, step.node);
    if (start < 0 || !/^[ ]*- +$/.test(before(file, start))) throw new EditDeclined('the list item shares its line with another item');
  }
  const endOffset = Math.max(contentEnd(file, step.node), step.key === undefined ? -1 : nodeEnd(file, step.key));
  requireLineEnd(file, endOffset);
  ch.remove(lineIndexAt(file, start), lineIndexAt(file, Math.max(0, endOffset - 1)));

  const siblings = pe.type === EVENT_ID.MAPPING ? mappingEntries(file, parent).map((en) => en.valueEvent) : sequenceItems(file, parent);
  const emptied = siblings.every((s) => plan.remove.has(s)) && !plan.addKeys.has(parent) && !plan.addItems.has(parent);
  // Only the last removal of a collection writes the `{}`/`[]` that keeps its key's value a collection.
  if (!emptied || siblings[siblings.length - 1] !== step.node) return;
  if (step.parentKey === undefined) throw new EditDeclined('removing every entry would leave an empty list item');
  const colon = colonAfter(file, step.parentKey);
  ch.replace(colon, colon, pe.type === EVENT_ID.MAPPING ? ' {}' : ' []');
}

/**
 * `- hostPort: 53` followed by `  containerPort: 53`: the first key of a list item goes, and the next key
 * moves up onto the dash line. Only when that next key is on the very next line at the same column.
 */
function removeDashLineKey(file: ParsedFile, plan: EditPlan, ch: Changes, step: Step, start: number): void {
  const entries = mappingEntries(file, step.parent as number);
  const next = entries[1];
  const declined = new EditDeclined('the key shares its line with a list item dash');
  if (entries[0]?.valueEvent !== step.node || !next || plan.remove.has(next.valueEvent)) throw declined;
  const line = lineIndexAt(file, start);
  const endOffset = Math.max(contentEnd(file, step.node), nodeEnd(file, step.key as number));
  requireLineEnd(file, endOffset);
  const nextStart = nodeStart(file, next.keyEvent);
  const nextLine = lineIndexAt(file, nextStart);
  const sameShape = nextLine === line + 1 && /^[ ]*$/.test(before(file, nextStart)) && columnAt(file, nextStart) === columnAt(file, start);
  if (lineIndexAt(file, Math.max(0, endOffset - 1)) !== line || !sameShape) throw declined;
  const lineEnd = (file.lineStarts[line] as number) + lineText(file, line).length;
  ch.replace(start, lineEnd, lineText(file, nextLine).slice(columnAt(file, nextStart)));
  ch.remove(nextLine, nextLine);
}

/**
 * Where new keys of mapping `n` go: after its last entry whose lines the caller prefers (a PR's changed
 * lines, so that the suggestion lands inside the hunk), else after its last entry. Key order does not matter.
 */
function insertionLine(file: ParsedFile, n: number, prefer: ReadonlySet<number> | undefined): { offset: number; line: number } {
  const entries = mappingEntries(file, n);
  const end = endLine(file, n);
  if (!prefer || prefer.size === 0) return end;
  for (let k = entries.length - 1; k >= 0; k--) {
    const en = entries[k] as (typeof entries)[number];
    const first = lineIndexAt(file, nodeStart(file, en.keyEvent));
    const last = endLine(file, en.valueEvent);
    const line = Math.max(first, last.line);
    let hit = false;
    for (let l = first; l <= line && !hit; l++) hit = prefer.has(l + 1);
    if (hit) return line >= end.line ? end : { offset: Math.max(last.offset, nodeEnd(file, en.keyEvent)), line };
  }
  return end;
}

/**
 * The line after which to insert at column `col`, given the last line of the node being extended: comment
 * lines that follow it directly and are indented deeper than `col` belong to that node (`# end csi volumes`
 * closing a list) and stay with it, so the insertion goes after them. A comment at `col` or less, or after a
 * blank line, introduces what follows: the insertion goes before it.
 */
export function pastOwnComments(file: ParsedFile, line: number, col: number): number {
  let at = line;
  for (let i = line + 1; i < file.lineStarts.length; i++) {
    const m = /^([ \t]*)#/.exec(lineText(file, i));
    if (!m || (m[1] as string).length <= col) break;
    at = i;
  }
  return at;
}

function renderAddKeys(file: ParsedFile, st: RenderStyle, ch: Changes, n: number, entries: Record<string, unknown>, prefer?: ReadonlySet<number>): void {
  const first = mappingEntries(file, n)[0];
  if (!first) throw new EditDeclined('empty mapping');
  const col = keyColumn(file, first.keyEvent);
  const last = insertionLine(file, n, prefer);
  requireLineEnd(file, last.offset);
  const keyQuote = quotedKeys(file, n);
  const style = keyQuote ? { ...st, keyQuote } : st;
  ch.insertAfter(pastOwnComments(file, last.line, col), col, renderChildren(entries, col, style));
}

function renderAddItems(file: ParsedFile, st: RenderStyle, ch: Changes, n: number, items: unknown[]): void {
  const e = file.events[n] as Event;
  if (e.type !== EVENT_ID.SEQUENCE) throw new EditDeclined('not a list');
  if (!/^[ ]*$/.test(before(file, e.start))) throw new EditDeclined('the list shares its line with another item');
  const col = columnAt(file, e.start);
  const last = endLine(file, n);
  requireLineEnd(file, last.offset);
  ch.insertAfter(pastOwnComments(file, last.line, col), col, renderChildren(items, col, st));
}

/** `prefer`: 1-based lines near which new keys are inserted (see insertionLine). */
export function renderPlan(file: ParsedFile, plan: EditPlan, prefer?: ReadonlySet<number>): LineEdit | undefined {
  return renderParts(file, plan, prefer).edit;
}

/** renderPlan, with the plan's insertions when it only adds keys (`KeyInserts`). */
function renderParts(file: ParsedFile, plan: EditPlan, prefer?: ReadonlySet<number>): { edit: LineEdit | undefined; parts: KeyInserts | undefined } {
  const st: RenderStyle = fileStyle(file);
  const ch = new Changes(file);
  // Changes inside a flow collection are written by rewriting its outermost flow collection, once.
  const flowRoots = new Set<number>();
  const inFlow = (root: number | undefined): boolean => {
    if (root === undefined) return false;
    flowRoots.add(root);
    return true;
  };
  for (const { step, value } of plan.replace.values()) if (!inFlow(flowRootOf(file, step, false, true))) renderReplace(file, st, ch, step, value);
  for (const step of plan.remove.values()) if (!inFlow(flowRootOf(file, step, false))) renderRemove(file, plan, ch, step);
  for (const [n, entries] of plan.addKeys) if (!inFlow(flowRootOf(file, plan.targets.get(n), true))) renderAddKeys(file, st, ch, n, entries, prefer);
  for (const [n, items] of plan.addItems) if (!inFlow(flowRootOf(file, plan.targets.get(n), true))) renderAddItems(file, st, ch, n, items);
  for (const root of flowRoots) renderFlowRoot(file, st, ch, plan, root);
  const edit = compose(file, ch);
  const addsOnly = plan.replace.size === 0 && plan.remove.size === 0 && plan.addItems.size === 0 && flowRoots.size === 0;
  const parts = addsOnly && ch.inline.size === 0 && ch.deleted.size === 0 ? { targets: new Set(plan.addKeys.keys()), inserts: ch.inserts } : undefined;
  return { edit, parts };
}

/**
 * Removing every entry of a collection removes its key as well: `securityContext: {}` or `volumes: []`
 * mean the same as no field, and a deleted block reads better than an empty one. Returns the extra ops
 * so that verification checks exactly this change. Top-level keys and other fields stay, as `{}`/`[]`.
 */
/**
 * Fields whose empty value means the same as no field. Not every empty collection does: `emptyDir: {}`
 * is a volume source, so only these cascade.
 */
const EMPTY_MEANS_ABSENT = new Set([
  'securityContext',
  'capabilities',
  'add',
  'drop',
  'seLinuxOptions',
  'seccompProfile',
  'appArmorProfile',
  'windowsOptions',
  'sysctls',
  'volumes',
  'volumeMounts',
  'ports',
  'annotations',
]);

function cascadeRemovals(file: ParsedFile, plan: EditPlan): FixOp[] {
  const extra: FixOp[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const step of [...plan.remove.values()]) {
      const up = step.up;
      if (!up || up.key === undefined || up.path.length <= 1 || !plan.remove.has(step.node)) continue;
      if (!EMPTY_MEANS_ABSENT.has(String(up.path[up.path.length - 1]))) continue;
      const p = up.node;
      if (plan.addKeys.has(p) || plan.addItems.has(p) || plan.replace.has(p)) continue;
      const e = file.events[p] as Event;
      const siblings = e.type === EVENT_ID.MAPPING ? mappingEntries(file, p).map((en) => en.valueEvent) : sequenceItems(file, p);
      if (!siblings.every((sib) => plan.remove.has(sib))) continue;
      for (const sib of siblings) plan.remove.delete(sib);
      plan.remove.set(p, up);
      extra.push({ op: 'remove', path: up.path });
      changed = true;
    }
  }
  return extra;
}

export interface PlannedEdit {
  edit: LineEdit;
  /** The ops the edit implements: the given ones plus removals of collections they empty. */
  ops: FixOp[];
  /** Set when the plan only adds keys to block mappings: what `composeEdits` needs. */
  parts: KeyInserts | undefined;
}

/**
 * A plan that only adds keys to existing block mappings (no value replaced or removed, no list item added,
 * no flow collection rewritten): the mappings it adds to, and the lines it inserts after each original line,
 * in the order renderPlan wrote them.
 */
export interface KeyInserts {
  targets: ReadonlySet<number>;
  inserts: ReadonlyMap<number, readonly Insert[]>;
}

/**
 * `planEdit` of the ops of `a` followed by those of `b` (`ops`: all of them, as `planEdit` would be given
 * them), from the two plans, without planning again; undefined when that is not known to give the same
 * edit (then plan `ops` as usual). It does when both plans only add keys (`KeyInserts`) and to different
 * mappings: then planning `ops` walks the same nodes (a plan that only adds keys changes no walk: planOp
 * reads only its removed and replaced values), collects each mapping's new keys from its own ops, in the
 * same order (a's mappings first), and renders each mapping's keys as alone (renderAddKeys reads the file,
 * the style and `prefer` only). So its changes are a's then b's insertions after each line; compose orders
 * them by indent, stably, and reads the same original lines (the spans touch: no line between them).
 */
export function composeEdits(file: ParsedFile, a: PlannedEdit, b: PlannedEdit, ops: FixOp[]): PlannedEdit | undefined {
  if (!a.parts || !b.parts) return undefined;
  for (const t of b.parts.targets) if (a.parts.targets.has(t)) return undefined;
  const ch = new Changes(file);
  for (const parts of [a.parts, b.parts]) for (const [line, list] of parts.inserts) ch.inserts.set(line, [...(ch.inserts.get(line) ?? []), ...list]);
  let edit: LineEdit | undefined;
  try {
    edit = compose(file, ch);
  } catch {
    return undefined;
  }
  if (!edit) return undefined;
  return { edit, ops, parts: { targets: new Set([...a.parts.targets, ...b.parts.targets]), inserts: ch.inserts } };
}

/**
 * Minimal line edit that applies `ops` to the document with root event `root`. Throws EditDeclined.
 * `preferLines` (1-based): a new key of an existing block mapping goes right after the last entry that
 * touches one of these lines, instead of at the end of the mapping.
 */
export function planEdit(file: ParsedFile, root: number, docValue: unknown, ops: readonly FixOp[], preferLines?: ReadonlySet<number>): PlannedEdit | undefined {
  const planned = (cascade: boolean): PlannedEdit | undefined => {
    const plan = emptyPlan();
    for (const op of ops) planOp(file, root, docValue, plan, op);
    const extra = cascade ? cascadeRemovals(file, plan) : [];
    const { edit, parts } = renderParts(file, plan, preferLines);
    return edit && { edit, ops: [...ops, ...extra], parts: extra.length === 0 ? parts : undefined };
  };
  try {
    return planned(true);
  } catch (err) {
    // A parent that cannot be removed cleanly (e.g. it shares a line with `- `) stays as `{}`/`[]`.
    if (err instanceof EditDeclined) return planned(false);
    throw err;
  }
}
