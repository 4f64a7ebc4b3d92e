import parseDiff from 'parse-diff';
import type { HunkRange } from '../core/types.js';

/** What one file's diff says about its head (right-side) lines. */
export interface FileDiff {
  /** Right-side line range of each hunk; a pure-deletion hunk has none. */
  hunks: HunkRange[];
  /** Head lines added or rewritten by the change. */
  added: Set<number>;
  /** Head line after which old lines were removed (0 = at the top of the file). */
  deletedAfter: Set<number>;
  /** False when there was no patch to read: nothing is commentable and every line counts as changed. */
  known: boolean;
}

/** A diff for a file whose patch GitHub did not give (too large, pure rename, binary). */
export function unknownDiff(): FileDiff {
  return { hunks: [], added: new Set(), deletedAfter: new Set(), known: false };
}

/** A diff for a new file: every line added, one hunk over all of them. */
export function addedFileDiff(lineCount: number): FileDiff {
  const added = new Set<number>();
  for (let i = 1; i <= lineCount; i++) added.add(i);
  return { hunks: lineCount > 0 ? [{ start: 1, end: lineCount }] : [], added, deletedAfter: new Set(), known: true };
}

/**
 * Parse a unified diff of one file. Accepts GitHub's `patch` field (hunks only, no `---`/`+++`
 * header) as well as a full `git diff` of one file.
 */
export function parsePatch(patch: string): FileDiff {
  const out: FileDiff = { hunks: [], added: new Set(), deletedAfter: new Set(), known: true };
  for (const file of parseDiff(patch)) {
    for (const chunk of file.chunks) {
      if (chunk.newLines > 0) out.hunks.push({ start: chunk.newStart, end: chunk.newStart + chunk.newLines - 1 });
      // Head line number of the next right-side line, to place deletions on the head side.
      let next = chunk.newLines > 0 ? chunk.newStart : chunk.newStart + 1;
      for (const change of chunk.changes) {
        // "\ No newline at end of file" is reported by parse-diff as a change of the previous type.
        if (change.content.startsWith('\\')) continue;
        if (change.type === 'add') {
          out.added.add(change.ln);
          next = change.ln + 1;
        } else if (change.type === 'del') {
          out.deletedAfter.add(next - 1);
        } else {
          next = change.ln2 + 1;
        }
      }
    }
  }
  out.hunks.sort((a, b) => a.start - b.start);
  return out;
}

/** The hunk that holds every line of `start..end`, if one does. */
export function hunkContaining(hunks: readonly HunkRange[], start: number, end: number): HunkRange | undefined {
  return hunks.find((h) => h.start <= start && end <= h.end);
}

/** The lines of a set in ascending order, made once per set (and again only if the set changed size). */
const sortedCache = new WeakMap<ReadonlySet<number>, { size: number; lines: Float64Array }>();

function sortedLines(set: ReadonlySet<number>): Float64Array {
  const cached = sortedCache.get(set);
  if (cached && cached.size === set.size) return cached.lines;
  const lines = Float64Array.from(set).sort();
  sortedCache.set(set, { size: set.size, lines });
  return lines;
}

/** Some line of the set lies in `start..end`: a binary search for the first line ≥ start. */
function anyIn(set: ReadonlySet<number>, start: number, end: number): boolean {
  if (set.size === 0) return false;
  const lines = sortedLines(set);
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((lines[mid] as number) < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < lines.length && (lines[lo] as number) <= end;
}

/**
 * True when the diff touched any head line in `start..end` (a deletion right after `start - 1` counts). Asked once
 * per finding: a search in the sorted lines, not a walk over every changed line (a new file of thousands of lines
 * with thousands of findings).
 */
export function touches(diff: FileDiff, start: number, end: number): boolean {
  if (!diff.known) return true;
  return anyIn(diff.added, start, end) || anyIn(diff.deletedAfter, start - 1, end);
}
