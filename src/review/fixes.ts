import type { Finding, VerifiedFix } from '../core/types.js';
import { type FileDiff, hunkContaining } from '../diff/patch.js';
import { buildFixes, type DeclinedFix } from '../engine/fix.js';
import { whyNotTogether } from '../engine/fix-together.js';
import { prepareScan, type ScannedFile, type ScanOptions } from '../engine/scan.js';
import type { ScanSeed } from '../engine/verify.js';

export { scanSeeds } from '../engine/verify-findings.js';

import type { Placement } from '../report/review.js';

/** Stage 4: verified fixes for the in-scope findings, file by file. */
export function fixesFor(
  findings: readonly Finding[],
  files: ReadonlyMap<string, ScannedFile>,
  diffs: ReadonlyMap<string, FileDiff>,
  scanOptions: ScanOptions,
  seeds: ReadonlyMap<string, ScanSeed> = new Map(),
): { fixes: VerifiedFix[]; declined: DeclinedFix[] } {
  const fixes: VerifiedFix[] = [];
  const declined: DeclinedFix[] = [];
  // The rules and settings of the verification scans: the same for every file, made once.
  const prepared = prepareScan(scanOptions);
  for (const [path, group] of groupByFile(findings)) {
    const scanned = files.get(path);
    if (!scanned || !group.some((f) => f.fix)) continue;
    const seed = seeds.get(path);
    // The PR's changed lines: new keys go next to them, so that the suggestion lands inside the hunk.
    const r = buildFixes(scanned, group, {
      scan: scanOptions,
      prepared,
      preferLines: diffs.get(path)?.added,
      splitConfidence: true,
      ...(seed ? { seed } : {}),
    });
    fixes.push(...r.fixes);
    declined.push(...r.declined);
  }
  return { fixes, declined };
}

export interface RefineInput {
  fixes: readonly VerifiedFix[];
  placements: ReadonlyMap<string, Placement>;
  findings: readonly Finding[];
  diffs: ReadonlyMap<string, FileDiff>;
  files: ReadonlyMap<string, ScannedFile>;
  scanOptions: ScanOptions;
  max: number;
  /** scanSeeds of the scan the findings come from. */
  seeds?: ReadonlyMap<string, ScanSeed>;
}

const spansOverlap = (a: VerifiedFix, b: VerifiedFix): boolean => a.edit.startLine <= b.edit.endLine && b.edit.startLine <= a.edit.endLine;

/**
 * A merged fix whose lines are not inside one hunk loses its suggestion, even when a part of it (the safe
 * container hardening next to a changed line) would fit. For those files, build finer fixes (changed lines
 * overlapping or touching) and keep, safe ones first, those that lie inside one hunk, overlap no other
 * suggestion and verify together with the posted ones. The findings left go back to the summary, grouped
 * as before. Returns the new fix list, or undefined when nothing could be refined.
 */
export function refineUnposted(input: RefineInput): { fixes: VerifiedFix[]; summaryOnly: Set<string>; declined: DeclinedFix[] } | undefined {
  const stuck = input.fixes.filter((f) => {
    const p = input.placements.get(f.id);
    return p?.kind === 'summary' && p.reason === 'outside-diff' && input.diffs.get(f.file)?.known;
  });
  if (stuck.length === 0) return undefined;
  let fixes = [...input.fixes];
  const summaryOnly = new Set<string>();
  const declined: DeclinedFix[] = [];
  let comments = [...input.placements.values()].filter((p) => p.kind === 'inline').length;
  let refined = false;
  // Per file, built once: a PR of thousands of files must not scan every fix and finding for each of them.
  const stuckByFile = groupByFile(stuck);
  const findingsByFile = groupByFile(input.findings);
  const postedByFile = groupByFile(input.fixes.filter((f) => input.placements.get(f.id)?.kind === 'inline'));
  for (const [path, mine] of stuckByFile) {
    const scanned = input.files.get(path);
    const hunks = input.diffs.get(path)?.hunks ?? [];
    const preferLines = input.diffs.get(path)?.added;
    const fps = new Set(mine.flatMap((f) => f.resolves));
    const own = findingsByFile.get(path) ?? [];
    const related = own.filter((f) => fps.has(f.fingerprint));
    if (!scanned) continue;
    // The file's fixes are replaced only here, and each file once: its inline ones are those placed before.
    const posted = postedByFile.get(path) ?? [];
    const seed = input.seeds?.get(path);
    const finer = buildFixes(scanned, related, { scan: input.scanOptions, grouping: 'overlap', preferLines, ...(seed ? { seed } : {}) }).fixes;
    const order = [...finer].sort((a, b) => Number(a.confidence === 'review') - Number(b.confidence === 'review') || a.edit.startLine - b.edit.startLine);
    const chosen: VerifiedFix[] = [];
    for (const c of order) {
      if (comments + chosen.length >= input.max) break;
      if (!hunkContaining(hunks, c.edit.startLine, c.edit.endLine) || [...posted, ...chosen].some((p) => spansOverlap(p, c))) continue;
      if (!whyNotTogether(scanned, own, [...posted, ...chosen, c], input.scanOptions, preferLines)) chosen.push(c);
    }
    if (chosen.length === 0) continue;
    comments += chosen.length;
    refined = true;
    const done = new Set(chosen.flatMap((c) => c.resolves));
    const rest = buildFixes(
      scanned,
      related.filter((f) => !done.has(f.fingerprint)),
      { scan: input.scanOptions, preferLines, splitConfidence: true, ...(seed ? { seed } : {}) },
    );
    for (const r of rest.fixes) summaryOnly.add(r.id);
    declined.push(...rest.declined);
    const at = fixes.indexOf(mine[0] as VerifiedFix);
    fixes = fixes.filter((f) => !mine.includes(f));
    fixes.splice(Math.min(at, fixes.length), 0, ...chosen, ...rest.fixes);
  }
  return refined ? { fixes, summaryOnly, declined } : undefined;
}

export function groupByFile<T extends { file: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const f of items) {
    const list = out.get(f.file) ?? [];
    list.push(f);
    out.set(f.file, list);
  }
  return out;
}
