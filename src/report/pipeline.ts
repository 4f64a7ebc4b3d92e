import type { Rule } from '../core/rule.js';
import type { ChangedFile, Finding, Notice, VerifiedFix } from '../core/types.js';
import { type FileDiff, parsePatch, unknownDiff } from '../diff/patch.js';
import { inScope } from '../diff/scope.js';
import { fileMatcher, type MinprivConfig, scanOptionsOf } from '../engine/config.js';
import { buildFixes, type DeclinedFix } from '../engine/fix.js';
import { scan } from '../engine/scan.js';
import { annotationOf, blocks, type CheckAnnotation, type Conclusion, countBySeverity, plural, severityPhrase } from './check-run.js';
import { type Placement, type PriorThread, placeFixes, reviewBody } from './review.js';
import type { ReviewComment } from './suggestion.js';
import { fixDiff, renderSummary, type SummaryModel } from './summary.js';

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
}

export interface PipelineInput {
  changes: ChangeSet;
  config: MinprivConfig;
  /** Open review threads the bot posted earlier (deduplication, thread resolution). */
  prior?: readonly PriorThread[];
  /** Replace the profile's rules (tests, custom builds). */
  ruleset?: readonly Rule[];
}

export interface PipelineStats {
  filesChanged: number;
  filesScanned: number;
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
    scanOptions,
  );
  const diffs = new Map<string, FileDiff>(selected.map((f) => [f.path, f.patch ? parsePatch(f.patch) : unknownDiff()]));
  const findings = out.findings.filter((f) => inScope(f, diffs.get(f.file) ?? unknownDiff(), config.scope, out.files.get(f.file)));

  const fixes: VerifiedFix[] = [];
  const declined: DeclinedFix[] = [];
  for (const [path, group] of groupByFile(findings)) {
    const scanned = out.files.get(path);
    if (!scanned || !group.some((f) => f.fix)) continue;
    const r = buildFixes(scanned, group, { scan: scanOptions });
    fixes.push(...r.fixes);
    declined.push(...r.declined);
  }

  const unknownFiles = new Set(skipped.filter((s) => s.error).map((s) => s.path));
  const placed = placeFixes({ fixes, findings, diffs, suggestions: config.suggestions, max: config.comments.max, prior: input.prior ?? [], unknownFiles });
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
    filesScanned: selected.length,
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
    stats,
  };
  return {
    conclusion,
    title,
    summary: renderSummary(model),
    annotations,
    comments: placed.comments,
    reviewBody: reviewBody(placed.comments.length, findings.length),
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
  if (stats.findings === 0) return `No findings in ${plural(stats.filesScanned, 'changed manifest')}${errors}`;
  const fixes = stats.fixes > 0 ? ` · ${plural(stats.fixes, 'verified fix', 'verified fixes')}` : '';
  const verdict = stats.blocking > 0 ? '' : ` (below failOn: ${config.failOn})`;
  return `${plural(stats.findings, 'finding')}: ${phrase}${verdict}${fixes}${errors}`;
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
