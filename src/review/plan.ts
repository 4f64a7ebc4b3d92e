import type { RuleRegistry } from '../core/registry.js';
import type { Rule } from '../core/rule.js';
import type { Finding, Notice, SourceFile, VerifiedFix } from '../core/types.js';
import type { ChangeSet } from '../diff/change-set.js';
import { type FileDiff, unknownDiff } from '../diff/patch.js';
import { inScope } from '../diff/scope.js';
import { type MinprivConfig, scanOptionsOf } from '../engine/config.js';
import type { DeclinedFix } from '../engine/fix.js';
import { type ScanOptions, type ScanOutput, type ScanRun, scan } from '../engine/scan.js';
import type { ScanSeed } from '../engine/verify.js';
import { hasRiskyAddition, type PermissionDiff, permissionDiffOf, type SubjectDiff } from '../rbac/diff.js';
import { annotationOf, blocks, type CheckAnnotation, type Conclusion, countBySeverity, plural, severityPhrase } from '../report/check-run.js';
import { renderPermissionDiffMarkdown, riskyGrantAnnotations } from '../report/permissions.js';
import { openThreadCount, type Placement, type PriorThread, placeFixes, reviewBody } from '../report/review.js';
import type { ReviewComment } from '../report/suggestion.js';
import { type PublishOutcome, type ReviewStats, renderCheckOutput, type SummaryModel, shownFixDiffs } from '../report/summary.js';
import { notScannedText } from '../report/unscanned.js';
import { builtinRegistry } from '../rules/index.js';
import { type FindingProvider, provide } from './check.js';
import { type Collected, collect } from './collect.js';
import { fixDiff, unscannedFiles } from './details.js';
import { baseFindings, resolvedCount } from './existing.js';
import { fixesFor, refineUnposted, scanSeeds } from './fixes.js';
import { diffOf } from './patch-diff.js';
import { capPerFile, documentSpans, hiddenNotes } from './scope.js';

export interface ReviewInput {
  changes: ChangeSet;
  config: MinprivConfig;
  /** Open review threads the bot posted earlier (deduplication, thread resolution). */
  prior?: readonly PriorThread[];
  /** Replace the profile's rules (tests, custom builds). */
  ruleset?: readonly Rule[];
  /** The rules this build knows (default: the built-in ones). */
  registry?: RuleRegistry;
  /** Finding sources besides minpriv's rules (external scanners). */
  providers?: readonly FindingProvider[];
  /** Today (`YYYY-MM-DD`), for suppressions that expire; the caller reads the clock, the review never does. */
  today?: string;
  /**
   * The repository's files (RBAC objects and workloads) at base and at head, changed or not, for the permission
   * diff: a new binding to an old role grants what the role holds. Absent: no permission diff.
   */
  repoFiles?: { base: SourceFile[]; head: SourceFile[]; notes: string[] };
  /** The public URL of the minpriv serving the rule docs (the edge reads MINPRIV_PUBLIC_URL); absent: the repository's files. */
  docsUrl?: string;
}

/**
 * Everything a publisher posts, decided before anything is posted. Plain JSON (no Maps, no closures): it
 * can be queued, stored and published by another process. `summary`/`text` are the check output for a
 * clean publish; a publisher that meets trouble renders them again from `model` with its outcome
 * (`checkOutput`), and never changes the plan.
 */
export interface ReviewPlan {
  conclusion: Conclusion;
  title: string;
  summary: string;
  text: string;
  annotations: CheckAnnotation[];
  comments: ReviewComment[];
  reviewBody: string;
  /** Earlier threads to resolve: `gone` at once; `superseded` once this review's comments are posted. */
  threadsToResolve: { gone: string[]; superseded: string[] };
  stats: ReviewStats;
  /** In-scope findings. */
  findings: Finding[];
  /** Fingerprints of the in-scope findings that were already present before the change (base versions read). */
  existing: string[];
  /** What the change grants and removes, per subject (empty when the repository files were not given). */
  permissionDiff: SubjectDiff[];
  fixes: VerifiedFix[];
  model: SummaryModel;
}

/** The check output for a plan once published: the outcome (review failed, threads resolved) is added. */
export function checkOutput(plan: ReviewPlan, outcome: PublishOutcome = {}): { summary: string; text: string } {
  if (!outcome.reviewError && (outcome.notes ?? []).length === 0) return { summary: plan.summary, text: plan.text };
  return renderCheckOutput(plan.model, outcome);
}

/**
 * The files with findings keep their parse's events from the scan: their document spans (scope) and fixes read
 * them next, which would otherwise parse each of them again.
 */
const SCAN_RUN: ScanRun = { keepEventsWithFindings: true };

/** collect → check (rules, then providers) → scope → fix and place → plan. */
export async function planReview(input: ReviewInput): Promise<ReviewPlan> {
  const collected = collect(input.changes, input.config);
  const scanOptions = scanOptionsFor(input);
  const sources = sourcesOf(collected);
  const out = scan(sources, scanOptions, SCAN_RUN);
  // Before the providers add to the scan: the seeds are what minpriv's rules find in each file.
  const seeds = scanSeeds(out);
  await provide(sources, out, input.providers ?? []);
  return decide(input, collected, out, scanOptions, seeds);
}

/** planReview without providers, for callers that cannot wait (tests, benchmarks). */
export function planReviewSync(input: ReviewInput): ReviewPlan {
  const collected = collect(input.changes, input.config);
  const scanOptions = scanOptionsFor(input);
  const out = scan(sourcesOf(collected), scanOptions, SCAN_RUN);
  return decide(input, collected, out, scanOptions, scanSeeds(out));
}

function scanOptionsFor(input: ReviewInput): ScanOptions {
  const base: ScanOptions = { ...scanOptionsOf(input.config, input.today), registry: input.registry ?? builtinRegistry };
  if (input.ruleset) base.ruleset = input.ruleset;
  if (input.changes.context) base.contextFiles = input.changes.context;
  return base;
}

function sourcesOf(c: Collected) {
  return c.selected.map((f) => ({ path: f.path, content: f.content as string | Uint8Array }));
}

/** Stages 3 to 5: scope, fixes and their places, and the plan. Pure. */
function decide(input: ReviewInput, collected: Collected, out: ScanOutput, scanOptions: ScanOptions, seeds: ReadonlyMap<string, ScanSeed>): ReviewPlan {
  const { config, changes } = input;
  const registry = input.registry ?? builtinRegistry;
  const { selected, skipped } = collected;
  // An empty patch is a diff with no changed line (a pure rename), not a missing one.
  const diffs = new Map<string, FileDiff>(selected.map((f) => [f.path, f.patch !== undefined ? diffOf(f.patch) : unknownDiff()]));
  const renameOnly = new Set(selected.filter((f) => (f.status === 'renamed' || f.status === 'copied') && f.patch === '').map((f) => f.path));
  const documentSpan = documentSpans(out.files);
  const inScopeFindings = out.findings.filter((f) => inScope(f, diffs.get(f.file) ?? unknownDiff(), config.scope, documentSpan(f)));
  // A rendered bundle can hold thousands of findings per file: the most severe are shown and fixed, the rest counted.
  const { shown: findings, hidden } = capPerFile(inScopeFindings, config.maxFindingsPerFile);

  const base = baseFindings(selected, scanOptions);
  // Already present before the change: over every in-scope finding (hidden ones count), and the shown ones' share.
  const existingAll = new Set(inScopeFindings.filter((f) => base?.all.has(f.fingerprint)).map((f) => f.fingerprint));
  const existing = hidden.length > 0 ? new Set(findings.filter((f) => existingAll.has(f.fingerprint)).map((f) => f.fingerprint)) : existingAll;
  const resolvedExisting = base ? resolvedCount(base.active, out) : 0;
  const { fixes, declined } = fixesFor(findings, out.files, diffs, scanOptions, seeds);
  // A fix of findings the change did not introduce is no inline suggestion, unless it is on the lines it changed
  // (or the repository fails on existing findings too: then it wants their fixes where they are).
  // Read only when some finding was already there (most PRs add files): built on first use.
  let byFp: Map<string, Finding> | undefined;
  const onChangedLines = (fp: string): boolean => {
    byFp ??= new Map(findings.map((f) => [f.fingerprint, f]));
    const f = byFp.get(fp);
    const diff = f && diffs.get(f.file);
    // The offending line itself (a missing field's finding spans its whole container: a change elsewhere in it is not one).
    return !!f && !!diff?.known && diff.added.has(f.line);
  };
  const existingOnly = (x: VerifiedFix): boolean =>
    !config.failOnExisting && existing.size > 0 && x.resolves.every((fp) => existing.has(fp) && !onChangedLines(fp));
  const unknownFiles = new Set(skipped.filter((s) => s.error).map((s) => s.path));
  const place = (list: VerifiedFix[], summaryOnly?: ReadonlySet<string>) =>
    placeFixes({
      fixes: list,
      findings,
      diffs,
      suggestions: config.suggestions,
      draft: changes.heldForDraft === true,
      max: config.comments.max,
      prior: input.prior ?? [],
      unknownFiles,
      summaryOnly,
      renameOnly,
      existingOnly,
      rationale: (id) => registry.get(id)?.meta.rationale,
      ...(input.docsUrl ? { docsUrl: input.docsUrl } : {}),
    });
  let placed = place(fixes);
  const prior = input.prior ?? [];
  // Without earlier threads none is open (and the findings are not gone through for them).
  const budget = Math.max(0, config.comments.max - (prior.length > 0 ? openThreadCount(prior, findings, unknownFiles) : 0));
  const refined = refineUnposted({ fixes, placements: placed.placements, findings, diffs, files: out.files, scanOptions, max: budget, seeds });
  if (refined) {
    fixes.splice(0, fixes.length, ...refined.fixes);
    declined.push(...refined.declined);
    placed = place(fixes, refined.summaryOnly);
  }
  const unscanned = unscannedFiles(selected, out.files, findings, out.notices);
  const fixByFinding = new Map<string, VerifiedFix>();
  for (const fix of fixes) for (const fp of fix.resolves) fixByFinding.set(fp, fix);
  const annotations = findings.map((f) => annotationOf(f, config.failOn, fixByFinding.get(f.fingerprint)?.title, existing.has(f.fingerprint)));

  const ruleErrors = out.notices.filter((n) => n.kind === 'rule-error').length;
  const errors = ruleErrors + out.notices.filter((n) => n.kind === 'scanner' && n.error === true).length + skipped.filter((s) => s.error).length;
  // Hidden findings still decide the conclusion and the counts.
  const blocking = inScopeFindings.filter((f) => blocks(f, config.failOn) && (config.failOnExisting || !existingAll.has(f.fingerprint))).length;
  const diff: PermissionDiff | undefined = input.repoFiles ? permissionDiffOf(input.repoFiles.base, input.repoFiles.head) : undefined;
  const riskyGrant = !!diff && config.rbac.failOnNewRisky && hasRiskyAddition(diff);
  const conclusion: Conclusion = blocking > 0 || riskyGrant ? 'failure' : errors > 0 ? (config.onError === 'fail' ? 'failure' : 'neutral') : 'success';
  // A risky grant is pointed at where the change makes it (the binding, the widened rule), in the files it touched.
  if (diff && hasRiskyAddition(diff)) {
    const files = new Set(changes.files.filter((f) => f.status !== 'removed').map((f) => f.path));
    const touched = (file: string, line: number): boolean => diffs.get(file)?.added.has(line) === true;
    annotations.push(...riskyGrantAnnotations(diff, { files, touched }, riskyGrant ? 'failure' : 'warning'));
  }
  const counts = countBySeverity(inScopeFindings);
  const placements = [...placed.placements.values()];
  const stats: ReviewStats = {
    filesChanged: changes.files.length,
    filesScanned: selected.length - unscanned.length,
    filesTemplate: unscanned.filter((u) => u.reason === 'template').length,
    filesNotKubernetes: unscanned.filter((u) => u.reason === 'not-kubernetes').length,
    filesIgnored: collected.ignored,
    filesRemoved: collected.removed,
    filesSkipped: skipped.length,
    filesUnread: skipped.filter((s) => s.error).length,
    resources: out.resourcesScanned,
    findings: inScopeFindings.length,
    blocking,
    outOfScope: out.findings.length - inScopeFindings.length,
    suppressed: out.suppressed.length,
    fixes: fixes.length,
    comments: placed.comments.length,
    earlier: placements.filter((p) => p.kind === 'earlier').length,
    errors,
    existing: existingAll.size,
    resolvedExisting,
  };
  // The diff's notes go under its table when there is one, else under the notices: never both (QA D8).
  const permissions = diff ? renderPermissionDiffMarkdown(diff) : '';
  const model: SummaryModel = {
    config: { failOn: config.failOn, scope: config.scope, profile: config.profile, failOnExisting: config.failOnExisting },
    existing: [...existing],
    permissions,
    source: changes.source ?? 'github',
    findings,
    counts,
    fixes,
    fixDiffs: {},
    placements: Object.fromEntries(placed.placements) as Record<string, Placement>,
    declined: Object.fromEntries(declined.map((d: DeclinedFix) => [d.fingerprint, d.reason])),
    suppressed: out.suppressed,
    skipped,
    notices: out.notices as Notice[],
    notes: [
      ...(changes.notes ?? []),
      ...hiddenNotes(hidden, config.maxFindingsPerFile),
      ...(input.repoFiles?.notes ?? []),
      ...(permissions === '' ? (diff?.notes ?? []) : []),
    ],
    unscanned,
    stats,
  };
  // Only the diffs the details can show are made and kept (a PR of thousands of fixes shows a few hundred).
  model.fixDiffs = shownFixDiffs(model, (fix) => fixDiff(fix, out.files.get(fix.file)));
  const { summary, text } = renderCheckOutput(model);
  return {
    conclusion,
    title: `${titleOf(stats, severityPhrase(counts), config)}${riskyGrant ? ' · grants risky permissions' : ''}`,
    summary,
    text,
    annotations,
    comments: placed.comments,
    reviewBody: reviewBody({
      comments: placed.comments.length,
      resolved: resolvedInline(fixes, placed.placements, findings),
      findings: findings.length,
      fixes: fixes.length,
    }),
    threadsToResolve: { gone: placed.gone, superseded: placed.superseded },
    stats,
    findings,
    existing: [...existing],
    permissionDiff: diff?.subjects ?? [],
    fixes,
    model,
  };
}

function titleOf(stats: ReviewStats, phrase: string, config: MinprivConfig): string {
  const errors = stats.errors > 0 ? ` · ${plural(stats.errors, 'error')}` : '';
  if (stats.findings === 0) {
    const skipped = notScannedText(stats);
    // Files that could not be read may hold manifests: never say there were none.
    const unread = stats.filesUnread ? `${plural(stats.filesUnread, 'changed file')} could not be read` : undefined;
    if (stats.filesScanned === 0) return `Nothing checked: ${[unread, skipped].filter(Boolean).join(', ') || 'no changed Kubernetes manifest'}${errors}`;
    return `No findings in ${plural(stats.filesScanned, 'changed manifest')}${skipped ? ` · ${skipped}` : ''}${errors}`;
  }
  const fixes = stats.fixes > 0 ? ` · ${plural(stats.fixes, 'verified fix', 'verified fixes')}` : '';
  if (stats.existing > 0) {
    const fresh = stats.findings - stats.existing;
    const verdict = stats.blocking > 0 ? '' : fresh > 0 && !config.failOnExisting ? ` (below failOn: ${config.failOn})` : '';
    return `${fresh} new, ${stats.existing} already present: ${phrase}${verdict}${fixes}${errors}`;
  }
  const verdict = stats.blocking > 0 ? '' : ` (below failOn: ${config.failOn})`;
  return `${plural(stats.findings, 'finding')}: ${phrase}${verdict}${fixes}${errors}`;
}

/** How many in-scope findings the inline suggestions resolve. */
function resolvedInline(fixes: readonly VerifiedFix[], placements: ReadonlyMap<string, Placement>, findings: readonly Finding[]): number {
  // The few posted fixes' fingerprints, each counted once when a finding has it (no set of every finding's).
  const fps = new Set(fixes.filter((f) => placements.get(f.id)?.kind === 'inline').flatMap((f) => f.resolves));
  let n = 0;
  for (const f of findings) if (fps.delete(f.fingerprint)) n++;
  return n;
}
