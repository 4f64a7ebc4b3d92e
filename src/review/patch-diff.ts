import { addedFileDiff, type FileDiff, parsePatch } from '../diff/patch.js';

/**
 * The diff of a file's patch. GitHub's patch of a new file, one hunk of `n` added lines and nothing else, is
 * `addedFileDiff(n)` (what `parsePatch` makes of it), read without the general parser: a PR of thousands of new
 * files parses thousands of them.
 */
export function diffOf(patch: string): FileDiff {
  const header = /^@@ -0,0 \+1,(\d+) @@[^\n]*\n/.exec(patch);
  const n = header ? Number(header[1]) : 0;
  if (!header || n < 1) return parsePatch(patch);
  let lines = 0;
  let at = header[0].length;
  while (at < patch.length) {
    if (patch.charCodeAt(at) !== 43 /* + */ || ++lines > n) return parsePatch(patch);
    const nl = patch.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  return lines === n ? addedFileDiff(n) : parsePatch(patch);
}
