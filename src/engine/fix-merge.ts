import type { Finding, FixOp, LineEdit } from '../core/types.js';
import type { KeyInserts } from '../yaml/edit.js';
import { changedRegions } from './fix-diff.js';
import type { ScannedFile } from './scan.js';

/** The fixable findings of one edit unit: they share a document and (at first) a container, pod spec or object. */
export interface Group {
  docIndex: number;
  members: Finding[];
  edit?: LineEdit;
  /** The ops the edit implements (the members' ops plus emptied collections it removes). */
  ops?: FixOp[];
  /** The plan's key insertions, when it only adds keys (yaml/edit.ts `composeEdits`). */
  parts?: KeyInserts | undefined;
}

/** Plans the merged members as one edit (fix.ts's planGroup); passed in so this module does not import fix.ts back. */
export type Replan = (g: Group) => Group | undefined;

export const touches = (a: LineEdit, b: LineEdit): boolean => a.startLine <= b.endLine + 1 && b.startLine <= a.endLine + 1;

/** The plan of `a`'s members then `b`'s, from their two plans when that is known to equal planning them again (fix.ts). */
export type Compose = (a: Group, b: Group) => Group | undefined;

/**
 * Merge groups of one document whose edits overlap or touch, and re-plan them as one edit (`compose`: from
 * the two plans where that gives the same edit, without planning again).
 */
export function mergeOverlapping(groups: Group[], replan: Replan, compose?: Compose): Group[] {
  let current = [...groups];
  for (let changed = true; changed; ) {
    changed = false;
    current.sort((a, b) => (a.edit as LineEdit).startLine - (b.edit as LineEdit).startLine);
    const out: Group[] = [];
    for (const g of current) {
      const prev = out[out.length - 1];
      if (prev && prev.docIndex === g.docIndex && touches(prev.edit as LineEdit, g.edit as LineEdit)) {
        const both = compose?.(prev, g) ?? replan({ docIndex: g.docIndex, members: [...prev.members, ...g.members] });
        out.pop();
        if (both) out.push(both);
        changed = true;
      } else {
        out.push(g);
      }
    }
    current = out;
  }
  return current;
}

export const sortByLine = (groups: Group[]): Group[] => [...groups].sort((a, b) => (a.edit as LineEdit).startLine - (b.edit as LineEdit).startLine);

/** Merge groups of one document whose changed lines overlap or touch (their spans may nest), until none do. */
export function mergeChanged(file: ScannedFile, groups: Group[], replan: Replan): Group[] {
  const original = (file.parsed?.text ?? '').split(/\r?\n/);
  const regions = new Map<Group, { start: number; end: number }[]>();
  const regionsOf = (g: Group) => {
    const r = regions.get(g) ?? changedRegions(original, g.edit as LineEdit);
    regions.set(g, r);
    return r;
  };
  const touch = (a: Group, b: Group): boolean =>
    a.docIndex === b.docIndex && regionsOf(a).some((x) => regionsOf(b).some((y) => x.start <= y.end + 2 && y.start <= x.end + 2));
  let current = [...groups];
  for (let i = 0; i < current.length; i++) {
    for (let j = i + 1; j < current.length; j++) {
      const a = current[i] as Group;
      const b = current[j] as Group;
      if (!touch(a, b)) continue;
      const both = replan({ docIndex: a.docIndex, members: [...a.members, ...b.members] });
      current = current.filter((g) => g !== a && g !== b);
      if (both) current.push(both);
      i = -1;
      break;
    }
  }
  return current;
}
