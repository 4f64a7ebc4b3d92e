import type { RuleRegistry } from '../core/registry.js';
import type { Rule } from '../core/rule.js';
import type { ChangedFile, Finding, Notice, SourceFile, VerifiedFix } from '../core/types.js';
import { type FileDiff, hunkContaining, parsePatch, unknownDiff } from '../diff/patch.js';
import { inScope } from '../diff/scope.js';
import { fileMatcher, type MinprivConfig, scanOptionsOf } from '../engine/config.js';
import { buildFixes, type DeclinedFix } from '../engine/fix.js';
import { whyNotTogether } from '../engine/fix-together.js';
import { type ScannedFile, type ScanOptions, scan } from '../engine/scan.js';
import { builtinRegistry } from '../rules/index.js';
import { annotationOf, blocks, type CheckAnnotation, type Conclusion, countBySeverity, plural, severityPhrase } from './check-run.js';
import { type ChangeSource, openThreadCount, type Placement, type PriorThread, placeFixes, reviewBody } from './review.js';
import type { ReviewComment } from './suggestion.js';
import { fixDiff, renderSummary, type SummaryModel } from './summary.js';
import { notScannedText, unscannedFiles } from './unscanned.js';

/** A file of the change that was not scanned, and why. `error` marks a gap in coverage (onError applies). */
export interface SkippedFile {
  path: string;
  reason: string;
  error: boolean;
}

/** What a source (a PR, a local git range) hands the pipeline. */
export interface ChangeSet {
  files: ChangedFile[];
  skipped?: SkippedFile[];
  /** Source-level remarks (e.g. the file list was cut at 3,000 files). */
  notes?: string[];
  /** Who gave the diff (default `github`): the summary says "git reports ..." for a local review. */
  source?: ChangeSource;
  /** Files read for context only (the kustomizations beside the changed files): never scanned. */
  context?: SourceFile[];
}

export interface PipelineInput {
  changes: ChangeSet;
  config: MinprivConfig;
  /** Open review threads the bot posted earlier (deduplication, thread resolution). */
  prior?: readonly PriorThread[];
  /** Replace the profile's rules (tests, custom builds). */
  ruleset?: readonly Rule[];
  /** The rules this build knows (default: the built-in ones). */
  registry?: RuleRegistry;
}

export interface PipelineStats {
  filesChanged: number;
  /** Files that held Kubernetes objects (or did not parse: that is a finding), not every YAML file read. */
  filesScanned: number;
  /** Read but not scanned: Helm/Go templates, and YAML with no Kubernetes object (a CI workflow, a values file). */
  filesTemplate: number;
  filesNotKubernetes: number;
  filesIgnored: number;
  filesRemoved: number;
  filesSkipped: number;
  resources: number;
  findings: number;
  blocking: number;
  outOfScope: number;
  suppressed: number;
  fixes: number;
  comments: number;
  earlier: number;
  errors: number;
}

/** Publisher-neutral result: what a check run and a review would carry. */
export interface PipelineResult {
  conclusion: Conclusion;
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
  comments: ReviewComment[];
  reviewBody: string;
  /** In-scope findings. */
  findings: Finding[];
  fixes: VerifiedFix[];
  placements: Map<string, Placement>;
  resolve: { gone: string[]; superseded: string[] };
  stats: PipelineStats;
  /** Everything the summary is made of, to render it again once publishing is done. */
  model: SummaryModel;
}

/** Scan a change set and decide everything a publisher posts. Pure. */
export function runPipeline(input: PipelineInput): PipelineResult {
  const { config, changes } = input;
  const registry = input.registry ?? builtinRegistry;
  const match = fileMatcher(config);
  const skipped = (changes.skipped ?? []).filter((s) => match(s.path));
  let ignored = 0;
  let removed = 0;
  const selected: ChangedFile[] = [];
  for (const f of changes.files) {
    if (f.status === 'removed') removed++;
    else if (!match(f.path)) ignored++;
    else if (f.content === undefined) {
      if (!skipped.some((s) => s.path === f.path)) skipped.push({ path: f.path, reason: 'content not available', error: true });
    } else selected.push(f);
  }

  const scanOptions = input.ruleset ? { ...scanOptionsOf(config), ruleset: input.ruleset } : scanOptionsOf(config);
  const out = scan(
    selected.map((f) => ({ path: f.path, content: f.content as string | Uint8Array })),
    changes.context ? { ...scanOptions, contextFiles: changes.context } : scanOptions,
  );
  // An empty patch is a diff with no changed line (a pure rename), not a missing one.
  const diffs = new Map<string, FileDiff>(selected.map((f) => [f.path, f.patch !== undefined ? parsePatch(f.patch) : unknownDiff()]));
  const renameOnly = new Set(selected.filter((f) => (f.status === 'renamed' || f.status === 'copied') && f.patch === '').map((f) => f.path));
  const findings = out.findings.filter((f) => inScope(f, diffs.get(f.file) ?? unknownDiff(), config.scope, out.files.get(f.file)));

  const fixes: VerifiedFix[] = [];
  const declined: DeclinedFix[] = [];
  for (const [path, group] of groupByFile(findings)) {
    const scanned = out.files.get(path);
    if (!scanned || !group.some((f) => f.fix)) continue;
    // The PR's changed lines: new keys go next to them, so that the suggestion lands inside the hunk.
    const r = buildFixes(scanned, group, { scan: scanOptions, preferLines: diffs.get(path)?.added });
    fixes.push(...r.fixes);
    declined.push(...r.declined);
  }

  const unknownFiles = new Set(skipped.filter((s) => s.error).map((s) => s.path));
  const place = (list: VerifiedFix[], summaryOnly?: ReadonlySet<string>) =>
    placeFixes({
      fixes: list,
      findings,
      diffs,
      suggestions: config.suggestions,
      max: config.comments.max,
      prior: input.prior ?? [],
      unknownFiles,
      summaryOnly,
      renameOnly,
      rationale: (id) => registry.get(id)?.meta.rationale,
    });
  let placed = place(fixes);
  const budget = Math.max(0, config.comments.max - openThreadCount(input.prior ?? [], findings, unknownFiles));
  const refined = refineUnposted({ fixes, placements: placed.placements, findings, diffs, files: out.files, scanOptions, max: budget });
  if (refined) {
    fixes.splice(0, fixes.length, ...refined.fixes);
    declined.push(...refined.declined);
    placed = place(fixes, refined.summaryOnly);
  }
  const unscanned = unscannedFiles(selected, out.files, findings, out.notices);
  const fixByFinding = new Map<string, VerifiedFix>();
  for (const fix of fixes) for (const fp of fix.resolves) fixByFinding.set(fp, fix);
  const annotations = findings.map((f) => annotationOf(f, config.failOn, fixByFinding.get(f.fingerprint)?.title));

  const ruleErrors = out.notices.filter((n) => n.kind === 'rule-error').length;
  const errors = ruleErrors + skipped.filter((s) => s.error).length;
  const blocking = findings.filter((f) => blocks(f, config.failOn)).length;
  const conclusion: Conclusion = blocking > 0 ? 'failure' : errors > 0 ? (config.onError === 'fail' ? 'failure' : 'neutral') : 'success';
  const counts = countBySeverity(findings);
  const placements = [...placed.placements.values()];
  const stats: PipelineStats = {
    filesChanged: changes.files.length,
    filesScanned: selected.length - unscanned.length,
    filesTemplate: unscanned.filter((u) => u.reason === 'template').length,
    filesNotKubernetes: unscanned.filter((u) => u.reason === 'not-kubernetes').length,
    filesIgnored: ignored,
    filesRemoved: removed,
    filesSkipped: skipped.length,
    resources: out.resourcesScanned,
    findings: findings.length,
    blocking,
    outOfScope: out.findings.length - findings.length,
    suppressed: out.suppressed.length,
    fixes: fixes.length,
    comments: placed.comments.length,
    earlier: placements.filter((p) => p.kind === 'earlier').length,
    errors,
  };
  const title = titleOf(stats, severityPhrase(counts), config);
  const model: SummaryModel = {
    config: { failOn: config.failOn, scope: config.scope, profile: config.profile },
    source: changes.source ?? 'github',
    findings,
    counts,
    fixes,
    fixDiffs: new Map(fixes.map((fix) => [fix.id, fixDiff(fix, out.files.get(fix.file))])),
    placements: placed.placements,
    declined: new Map(declined.map((d) => [d.fingerprint, d.reason])),
    suppressed: out.suppressed,
    skipped,
    notices: out.notices as Notice[],
    notes: changes.notes ?? [],
    unscanned,
    stats,
  };
  return {
    conclusion,
    title,
    summary: renderSummary(model),
    annotations,
    comments: placed.comments,
    reviewBody: reviewBody({
      comments: placed.comments.length,
      resolved: resolvedInline(fixes, placed.placements, findings),
      findings: findings.length,
      fixes: fixes.length,
    }),
    findings,
    fixes,
    placements: placed.placements,
    resolve: { gone: placed.gone, superseded: placed.superseded },
    stats,
    model,
  };
}

function titleOf(stats: PipelineStats, phrase: string, config: MinprivConfig): string {
  const errors = stats.errors > 0 ? ` · ${plural(stats.errors, 'error')}` : '';
  if (stats.findings === 0) {
    const skipped = notScannedText(stats);
    if (stats.filesScanned === 0) return `Nothing checked: ${skipped ?? 'no changed Kubernetes manifest'}${errors}`;
    return `No findings in ${plural(stats.filesScanned, 'changed manifest')}${skipped ? ` · ${skipped}` : ''}${errors}`;
  }
  const fixes = stats.fixes > 0 ? ` · ${plural(stats.fixes, 'verified fix', 'verified fixes')}` : '';
  const verdict = stats.blocking > 0 ? '' : ` (below failOn: ${config.failOn})`;
  return `${plural(stats.findings, 'finding')}: ${phrase}${verdict}${fixes}${errors}`;
}

interface RefineInput {
  fixes: readonly VerifiedFix[];
  placements: ReadonlyMap<string, Placement>;
  findings: readonly Finding[];
  diffs: ReadonlyMap<string, FileDiff>;
  files: ReadonlyMap<string, ScannedFile>;
  scanOptions: ScanOptions;
  max: number;
}

const spansOverlap = (a: VerifiedFix, b: VerifiedFix): boolean => a.edit.startLine <= b.edit.endLine && b.edit.startLine <= a.edit.endLine;

/**
 * A merged fix whose lines are not inside one hunk loses its suggestion, even when a part of it (the safe
 * container hardening next to a changed line) would fit. For those files, build finer fixes (changed lines
 * overlapping or touching) and keep, safe ones first, those that lie inside one hunk, overlap no other
 * suggestion and verify together with the posted ones. The findings left go back to the summary, grouped
 * as before. Returns the new fix list, or undefined when nothing could be refined.
 */
function refineUnposted(input: RefineInput): { fixes: VerifiedFix[]; summaryOnly: Set<string>; declined: DeclinedFix[] } | undefined {
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
  for (const path of new Set(stuck.map((f) => f.file))) {
    const scanned = input.files.get(path);
    const hunks = input.diffs.get(path)?.hunks ?? [];
    const preferLines = input.diffs.get(path)?.added;
    const mine = stuck.filter((f) => f.file === path);
    const fps = new Set(mine.flatMap((f) => f.resolves));
    const related = input.findings.filter((f) => fps.has(f.fingerprint));
    if (!scanned) continue;
    const posted = fixes.filter((f) => f.file === path && input.placements.get(f.id)?.kind === 'inline');
    const finer = buildFixes(scanned, related, { scan: input.scanOptions, grouping: 'overlap', preferLines }).fixes;
    const order = [...finer].sort((a, b) => Number(a.confidence === 'review') - Number(b.confidence === 'review') || a.edit.startLine - b.edit.startLine);
    const chosen: VerifiedFix[] = [];
    for (const c of order) {
      if (comments + chosen.length >= input.max) break;
      if (!hunkContaining(hunks, c.edit.startLine, c.edit.endLine) || [...posted, ...chosen].some((p) => spansOverlap(p, c))) continue;
      if (!whyNotTogether(scanned, input.findings, [...posted, ...chosen, c], input.scanOptions, preferLines)) chosen.push(c);
    }
    if (chosen.length === 0) continue;
    comments += chosen.length;
    refined = true;
    const done = new Set(chosen.flatMap((c) => c.resolves));
    const rest = buildFixes(
      scanned,
      related.filter((f) => !done.has(f.fingerprint)),
      { scan: input.scanOptions, preferLines },
    );
    for (const r of rest.fixes) summaryOnly.add(r.id);
    declined.push(...rest.declined);
    const at = fixes.indexOf(mine[0] as VerifiedFix);
    fixes = fixes.filter((f) => !mine.includes(f));
    fixes.splice(Math.min(at, fixes.length), 0, ...chosen, ...rest.fixes);
  }
  return refined ? { fixes, summaryOnly, declined } : undefined;
}

/** How many in-scope findings the inline suggestions resolve. */
function resolvedInline(fixes: readonly VerifiedFix[], placements: ReadonlyMap<string, Placement>, findings: readonly Finding[]): number {
  const current = new Set(findings.map((f) => f.fingerprint));
  const fps = fixes.filter((f) => placements.get(f.id)?.kind === 'inline').flatMap((f) => f.resolves);
  return new Set(fps.filter((fp) => current.has(fp))).size;
}

function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = out.get(f.file) ?? [];
    list.push(f);
    out.set(f.file, list);
  }
  return out;
}
