import type { ChangedFile } from '../core/types.js';
import type { ChangeSet, SkippedFile } from '../diff/change-set.js';
import { fileMatcher, MAX_FILE_BYTES_LIMIT, type MinprivConfig } from '../engine/config.js';

/** The change set's files sorted into what is scanned and what is not (and why). */
export interface Collected {
  selected: ChangedFile[];
  skipped: SkippedFile[];
  ignored: number;
  removed: number;
}

/** Skip reason of a changed file over the byte cap, with the ways out: the check fails on it under `onError: fail`. */
export function tooLarge(size: number, maxBytes: number): string {
  const raise = maxBytes < MAX_FILE_BYTES_LIMIT ? `raise \`maxFileBytes\` in .github/minpriv.yml (up to ${MAX_FILE_BYTES_LIMIT}), ` : '';
  return `${size} bytes, over the ${maxBytes}-byte limit: ${raise}add the file to \`exclude\`, or set \`onError: neutral\``;
}

function byteSize(content: string | Uint8Array): number {
  return typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength;
}

/**
 * Stage 1: which changed files are read and scanned. Removed and non-matching files are counted, not scanned.
 * A changed file over `config.maxFileBytes` is not scanned: it is skipped with an error, as a file that could not
 * be read is, never left to the scan (where the same limit on the base side would make it "already present").
 */
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
    } else if (byteSize(f.content) > config.maxFileBytes) {
      skipped.push({ path: f.path, reason: tooLarge(byteSize(f.content), config.maxFileBytes), error: true });
    } else selected.push(f);
  }
  return { selected, skipped, ignored, removed };
}
