import type { ChangedFile } from '../core/types.js';
import type { ChangeSet, SkippedFile } from '../diff/change-set.js';
import { fileMatcher, type MinprivConfig } from '../engine/config.js';

/** The change set's files sorted into what is scanned and what is not (and why). */
export interface Collected {
  selected: ChangedFile[];
  skipped: SkippedFile[];
  ignored: number;
  removed: number;
}

/** Stage 1: which changed files are read and scanned. Removed and non-matching files are counted, not scanned. */
export function collect(changes: ChangeSet, config: MinprivConfig): Collected {
  const match = fileMatcher(config);
  const skipped = (changes.skipped ?? []).filter((s) => match(s.path));
  const known = new Set(skipped.map((s) => s.path));
  let ignored = 0;
  let removed = 0;
  const selected: ChangedFile[] = [];
  for (const f of changes.files) {
    if (f.status === 'removed') removed++;
    else if (!match(f.path)) ignored++;
    else if (f.content === undefined) {
      if (!known.has(f.path)) skipped.push({ path: f.path, reason: 'content not available', error: true });
    } else selected.push(f);
  }
  return { selected, skipped, ignored, removed };
}
