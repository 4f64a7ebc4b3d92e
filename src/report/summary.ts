import { configSchemaUrl } from '../core/links.js';
import type { Finding, Notice, Severity, VerifiedFix } from '../core/types.js';
import { SEVERITIES, severityRank } from '../core/types.js';
import type { ChangeSource, SkippedFile } from '../diff/change-set.js';
import type { ConfigIssue, Scope } from '../engine/config.js';
import { fitText, plural, SUMMARY_MAX_BYTES, TEXT_MAX_BYTES } from './check-run.js';
import { type Placement, type SummaryReason, summaryReasonText } from './review.js';
import { alsoReportedText } from './text.js';
import { notScannedText, type UnscannedFile } from './unscanned.js';

/** Counts of one review, for titles and summaries. */
export interface ReviewStats {
  filesChanged: number;
  /** Files that held Kubernetes objects (or did not parse: that is a finding), not every YAML file read. */
  filesScanned: number;
  /** Read but not scanned: Helm/Go templates, and YAML with no Kubernetes object (a CI workflow, a values file). */
  filesTemplate: number;
  filesNotKubernetes: number;
  filesIgnored: number;
  filesRemoved: number;
  filesSkipped: number;
  /** Changed files that could not be read (skipped with an error), so not checked; absent in plans made before it was counted. */
  filesUnread?: number;
  resources: number;
  findings: number;
  blocking: number;
  outOfScope: number;
  suppressed: number;
  fixes: number;
  comments: number;
  earlier: number;
  errors: number;
  /** In-scope findings already present before the change (0 when the base versions were not read). */
  existing: number;
  /** Findings of the base versions that the change removed. */
  resolvedExisting: number;
}

/** Everything a check summary is made of: plain data (no Maps), so a plan can travel as JSON. */
export interface SummaryModel {
  config: { failOn: Severity; scope: Scope; profile: string; failOnExisting?: boolean };
  /** Fingerprints of the findings already present before the change. */
  existing?: string[];
  /** The permission diff's Markdown section ("Permissions this change grants" / "removes"); empty: none. */
  permissions?: string;
  /** Who gave the diff, for the wording of the reasons (default `github`). */
  source?: ChangeSource;
  findings: Finding[];
  counts: Record<Severity, number>;
  fixes: VerifiedFix[];
  /**
   * Unified diff of the fixes (by fix id), against the analysed head: those the check output can show
   * (`shownFixDiffs`); the others would be cut at GitHub's limit. Plans made before kept every fix's.
   */
  fixDiffs: Record<string, string>;
  /** Where each fix went (by fix id). */
  placements: Record<string, Placement>;
  /** Why a fixable finding got no verified fix (by fingerprint). */
  declined: Record<string, string>;
  suppressed: Finding[];
  skipped: SkippedFile[];
  notices: Notice[];
  notes: string[];
  /** Changed files read but not checked (templates, YAML with no Kubernetes object). */
  unscanned?: UnscannedFile[];
  stats: ReviewStats;
}

/** What happened when publishing, for the final summary. */
export interface PublishOutcome {
  /** The review could not be posted (e.g. 403): the suggestions move to the summary. */
  reviewError?: string;
  /** Extra lines for the notes section (head moved on, threads resolved...). */
  notes?: string[];
}

/** Render the check-run output: counts, tables and notices in `summary`; the diffs of fixes not posted inline in `text`. */
export function renderCheckOutput(
  model: SummaryModel,
  outcome: PublishOutcome = {},
  maxBytes = SUMMARY_MAX_BYTES,
  textMaxBytes = TEXT_MAX_BYTES,
): { summary: string; text: string } {
  const placementOf = placementsOf(model, !!outcome.reviewError);
  const fixOf = new Map<string, VerifiedFix>();
  for (const fix of model.fixes) for (const fp of fix.resolves) fixOf.set(fp, fix);
  const details = renderDetails(model, placementOf, textMaxBytes);
  const existing = new Set(model.existing ?? []);
  const s = model.stats;
  const chunks = new Chunks(maxBytes);

  const scope = `scope \`${model.config.scope}\`, profile \`${model.config.profile}\`, failing at \`${model.config.failOn}\` and above`;
  // A file that could not be read is a gap, not an absence of manifests: the summary says so first.
  const unread = model.skipped.filter((k) => k.error).length;
  const gap =
    unread > 0
      ? ` **${plural(unread, 'changed file')} could not be read**, so ${unread === 1 ? 'it was' : 'they were'} not checked (see *Skipped files*).`
      : '';
  chunks.push(`**${plural(s.findings, 'finding')}** in ${plural(s.filesScanned, 'scanned file')} (${scope}).${gap}`, '');
  chunks.push(`| ${SEVERITIES.join(' | ')} |`, `|${SEVERITIES.map(() => '---|').join('')}`, `| ${SEVERITIES.map((v) => model.counts[v]).join(' | ')} |`, '');
  const extra: string[] = [];
  if (s.suppressed > 0) extra.push(`${plural(s.suppressed, 'finding')} suppressed (with a reason, by annotation or comment).`);
  if (s.outOfScope > 0) extra.push(`${plural(s.outOfScope, 'finding')} outside the changed ${model.config.scope.replace('changed-', '')} not shown.`);
  const notScanned = notScannedText(s);
  if (notScanned) {
    const other = (model.unscanned ?? []).filter((u) => u.reason === 'not-kubernetes').map((u) => `\`${u.path}\``);
    const list =
      other.length > 0 ? `; no Kubernetes objects in ${other.slice(0, 10).join(', ')}${other.length > 10 ? `, and ${other.length - 10} more` : ''}` : '';
    extra.push(`${notScanned}${list}.`);
  }
  if (s.filesIgnored > 0) extra.push(`${plural(s.filesIgnored, 'changed file')} not matching \`include\`/\`exclude\`.`);
  if (s.earlier > 0) extra.push(`${plural(s.earlier, 'suggestion')} already posted on an open review thread.`);
  if (s.existing > 0) {
    const fails = model.config.failOnExisting
      ? 'they count for the verdict (`failOnExisting: true`)'
      : 'only new findings fail the check (`failOnExisting: false`)';
    extra.push(
      `Already present: ${plural(s.existing, 'finding')} ${s.existing === 1 ? 'was' : 'were'} there before this change (marked *already present*); ${fails}.`,
    );
  }
  if (s.resolvedExisting > 0) extra.push(`This change resolves ${plural(s.resolvedExisting, 'existing finding')}.`);
  if (details.shown.size > 0) extra.push(`The diffs of ${plural(details.shown.size, 'fix', 'fixes')} not posted as suggestions are in the details below.`);
  if (details.omitted > 0) extra.push(`${plural(details.omitted, 'more verified fix', 'more verified fixes')} did not fit in the check run: ${LOCAL_FIX}.`);
  if (extra.length > 0) chunks.push(...extra.map((e) => `- ${e}`), '');
  if (outcome.reviewError) chunks.push(`> **Review not posted:** ${outcome.reviewError}. The suggested fixes are in the details below instead.`, '');

  for (const [file, list] of byFile(model.findings)) {
    // Past the limit, a file's table is only counted (for the truncation note), never rendered.
    if (chunks.full) {
      chunks.skip(5 + list.length);
      continue;
    }
    chunks.push(`### \`${file}\``, '', '| Line | Rule | Severity | Message | Fix |', '|---:|---|---|---|---|');
    for (const f of list) {
      const fix = fixOf.get(f.fingerprint);
      const p = fix && placementOf(fix);
      const old = existing.has(f.fingerprint) ? '*already present*: ' : '';
      const also = alsoReportedText(f);
      const message = `${old}${cell(f.message)}${also ? ` (${cell(also)})` : ''}`;
      chunks.push(`| ${f.line} | \`${f.ruleId}\` | ${f.severity} | ${message} | ${cell(fixCell(f, fix, p, details.shown, model))} |`);
    }
    chunks.push('');
  }

  if (model.permissions) chunks.push(model.permissions.trimEnd(), '');

  if (model.skipped.length > 0) {
    chunks.push('### Skipped files', '');
    for (const k of model.skipped) chunks.push(`- \`${k.path}\`: ${k.reason}`);
    chunks.push('');
  }
  const notes = [...model.notes, ...(outcome.notes ?? [])];
  if (model.notices.length > 0 || notes.length > 0) {
    chunks.push('### Notices', '');
    for (const n of notes) chunks.push(`- ${n}`);
    for (const n of model.notices) {
      // An external scanner's notice is about its run, not a file; a failed run is an error under `onError`.
      const where = n.file === '' ? '' : `\`${n.file}${n.line ? `:${n.line}` : ''}\` `;
      chunks.push(`- ${where}(${n.kind}${n.error ? ', error' : ''}): ${n.message}`);
    }
    chunks.push('');
  }
  return { summary: chunks.fit(), text: details.text };
}

/** Where each fix is shown: its placement, or the summary when the review could not be posted. */
function placementsOf(model: SummaryModel, reviewFailed: boolean): (fix: VerifiedFix) => Placement {
  return (fix) => {
    const p = (Object.hasOwn(model.placements, fix.id) ? model.placements[fix.id] : undefined) ?? { kind: 'summary', reason: 'outside-diff' };
    return reviewFailed && p.kind === 'inline' ? { kind: 'summary', reason: 'review-failed' } : p;
  };
}

/**
 * The fix diffs the check output can show, by fix id: those that could fit in the details text, whether the
 * review is posted or not (then the inline fixes move there too). The other diffs would only be cut: a plan
 * carries these alone, and `renderCheckOutput` of it is the same as with every diff. `model.fixDiffs` is not read.
 */
export function shownFixDiffs(model: SummaryModel, diffOf: (fix: VerifiedFix) => string, textMaxBytes = TEXT_MAX_BYTES): Record<string, string> {
  const asked = new Map<string, string>();
  const record = (fix: VerifiedFix): string => {
    const diff = asked.get(fix.id) ?? diffOf(fix);
    asked.set(fix.id, diff);
    return diff;
  };
  const worst = worstRanks(model);
  // Only the blocks shown are kept: a diff asked for but too long for what is left of the text is not (once the text
  // is nearly full, every remaining diff may be asked for and none shown).
  const shown = new Set<string>();
  for (const reviewFailed of [false, true])
    for (const id of renderDetails(model, placementsOf(model, reviewFailed), textMaxBytes, record, worst).shown) shown.add(id);
  return Object.fromEntries(model.fixes.filter((fix) => shown.has(fix.id)).map((fix) => [fix.id, asked.get(fix.id) as string]));
}

const LOCAL_FIX = 'run `minpriv fix --dry-run <file>` on their files, or `minpriv review --base <base branch>` in a checkout of this branch';

/** Diff blocks, most severe first, as many whole blocks as fit in the byte limit (with room for the closing note). */
function renderDetails(
  model: SummaryModel,
  placementOf: (fix: VerifiedFix) => Placement,
  maxBytes: number,
  diffOf: (fix: VerifiedFix) => string | undefined = (fix) => (Object.hasOwn(model.fixDiffs, fix.id) ? model.fixDiffs[fix.id] : undefined),
  worst: ReadonlyMap<VerifiedFix, number> = worstRanks(model),
): { text: string; shown: Set<string>; omitted: number } {
  const candidates = model.fixes
    .map((fix, i) => ({ fix, i, p: placementOf(fix) }))
    .filter((c) => c.p.kind === 'summary')
    .sort((a, b) => (worst.get(b.fix) ?? 0) - (worst.get(a.fix) ?? 0) || a.i - b.i);
  const shown = new Set<string>();
  if (candidates.length === 0) return { text: '', shown, omitted: 0 };
  const head = '## Fixes not posted as suggestions\n';
  const note = (n: number) =>
    `\n> **${plural(n, 'more fix', 'more fixes')} not shown** (GitHub's ${maxBytes}-byte limit for this text; their rows say "fix available"). To get every diff, ${LOCAL_FIX}.`;
  const reserve = bytes(note(candidates.length)) + 1;
  const parts = [head];
  let size = bytes(head);
  for (const { fix, p } of candidates) {
    // No block is shorter than its fixed words: once not even those fit, no later block can.
    if (size + MIN_BLOCK_BYTES + 1 + reserve > maxBytes) break;
    const reason = p as { reason: SummaryReason };
    // A block is at least its text with an empty diff: when that does not fit, the diff is not even asked for.
    if (size + bytes(diffBlock(fix, reason, model, '')) + 1 + reserve > maxBytes) continue;
    const diff = diffOf(fix);
    // A plan holds the diffs that can be shown at the default limits (shownFixDiffs): at other limits, one may be missing.
    if (diff === undefined) continue;
    const block = diffBlock(fix, reason, model, diff);
    const add = bytes(block) + 1;
    if (size + add + reserve > maxBytes) continue;
    parts.push(block);
    size += add;
    shown.add(fix.id);
  }
  const omitted = candidates.length - shown.size;
  if (omitted > 0) parts.push(note(omitted));
  return { text: fitText(parts.join('\n'), maxBytes), shown, omitted };
}

/** The severity rank of each fix's most severe finding. */
function worstRanks(model: SummaryModel): ReadonlyMap<VerifiedFix, number> {
  // Loops, not spreads: a PR of thousands of files has tens of thousands of findings, and this runs twice per plan.
  const rank = new Map<string, number>();
  for (const f of model.findings) {
    const r = severityRank(f.severity);
    if (r > (rank.get(f.fingerprint) ?? 0)) rank.set(f.fingerprint, r);
  }
  const worst = new Map<VerifiedFix, number>();
  for (const fix of model.fixes) {
    let w = 0;
    for (const fp of fix.resolves) w = Math.max(w, rank.get(fp) ?? 0);
    worst.set(fix, w);
  }
  return worst;
}

/** The bytes of a block with an empty file name, title, reason and diff: every block has at least these. */
const MIN_BLOCK_BYTES = bytesOf('### **``** line :  (not inline: )\n\n```diff\n\n```\n');

function diffBlock(fix: VerifiedFix, p: { reason: SummaryReason }, model: SummaryModel, diff: string): string {
  const fence = '`'.repeat(Math.max(3, ...(diff.match(/`+/g) ?? []).map((r) => r.length + 1)));
  const where = fix.edit.startLine === fix.edit.endLine ? `line ${fix.edit.startLine}` : `lines ${fix.edit.startLine}–${fix.edit.endLine}`;
  const checks = fix.checks.map((c) => `\n> **Check first:** ${c}`).join('');
  return `### **\`${fix.file}\`** ${where}: ${fix.title} (not inline: ${summaryReasonText(p.reason, model.source)})${checks}\n\n${fence}diff\n${diff}\n${fence}\n`;
}

function fixCell(f: Finding, fix: VerifiedFix | undefined, p: Placement | undefined, shown: ReadonlySet<string>, model: SummaryModel): string {
  if (fix && p) {
    if (p.kind === 'inline') return 'suggested inline';
    if (p.kind === 'earlier') return 'suggested earlier (open thread)';
    return shown.has(fix.id) ? 'diff in details below' : 'fix available: run `minpriv fix` locally (see details)';
  }
  const why = Object.hasOwn(model.declined, f.fingerprint) ? model.declined[f.fingerprint] : undefined;
  if (why) return `no verified fix: ${why}`;
  return f.fix ? 'no verified fix' : '—';
}

function byFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = out.get(f.file);
    if (list) list.push(f);
    else out.set(f.file, [f]);
  }
  return out;
}

function cell(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function bytesOf(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
const bytes = bytesOf;

/** Join chunks; when over the limit, keep whole chunks up to it and end with a note. */
function fitChunks(chunks: readonly string[], maxBytes: number): string {
  return fitCounted(chunks, chunks.length, maxBytes);
}

/** `fitChunks` of `total` chunks of which only the first ones are given: those past the limit are only counted. */
function fitCounted(chunks: readonly string[], total: number, maxBytes: number): string {
  const whole = chunks.join('\n');
  if (chunks.length === total && bytes(whole) <= maxBytes) return whole;
  const note = (n: number) =>
    `\n\n> **Summary truncated** to GitHub's ${maxBytes}-byte limit: ${plural(n, 'more table row or line', 'more table rows and lines')} not shown. Every finding is still an annotation.`;
  const kept: string[] = [];
  let size = 0;
  let i = 0;
  for (; i < chunks.length; i++) {
    const add = bytes(chunks[i] as string) + 1;
    if (size + add + bytes(note(total - i)) > maxBytes) break;
    kept.push(chunks[i] as string);
    size += add;
  }
  return kept.join('\n') + note(total - i);
}

/**
 * The summary's lines as they are made: once they are past the byte limit, no later line can be kept, so the
 * rest are counted (the truncation note says how many) and not rendered. `fit()` is `fitChunks` of them all.
 */
class Chunks {
  private readonly kept: string[] = [];
  private total = 0;
  /** Bytes of the kept lines, each with its newline. */
  private size = 0;
  constructor(private readonly maxBytes: number) {}

  /** Joined, the lines so far exceed the limit. */
  get full(): boolean {
    return this.size - 1 > this.maxBytes;
  }

  push(...lines: string[]): void {
    for (const line of lines) {
      this.total++;
      if (this.full) continue;
      this.kept.push(line);
      this.size += bytes(line) + 1;
    }
  }

  /** Count `n` lines without rendering them (only once full). */
  skip(n: number): void {
    this.total += n;
  }

  fit(): string {
    return fitCounted(this.kept, this.total, this.maxBytes);
  }
}

/** The JSON Schema of `.github/minpriv.yml` in minpriv's repository (a path in minpriv's repo, not the user's). */
export const CONFIG_SCHEMA_URL = configSchemaUrl();

/**
 * Which file holds a config key, when it is not the repository's own `.github/minpriv.yml` (undefined): a file
 * Probot merged in, `owner/.github:.github/minpriv.yml` (`_extends`, or the owner's `.github` repository).
 */
export type ConfigFileOf = (key: string) => string | undefined;

const ownFile: ConfigFileOf = () => undefined;
const fileName = (file: string | undefined) => `\`${file ?? '.github/minpriv.yml'}\``;
const MERGED = " (this repository's configuration takes it in, through `_extends` or for want of its own)";

/** The check title for an invalid configuration, naming the file(s) that hold the problems. */
export function configErrorTitle(issues: readonly ConfigIssue[], fileOf: ConfigFileOf = ownFile): string {
  const yaml = issues.find((i) => i.yaml);
  if (yaml) return `Invalid ${fileOf(yaml.key) ?? '.github/minpriv.yml'}: not valid YAML`;
  const files = [...new Set(issues.map((i) => fileOf(i.key) ?? '.github/minpriv.yml'))];
  return `Invalid ${files.join(' and ')}: ${plural(issues.length, 'problem')}`;
}

/**
 * Summary for a configuration file that does not validate: unparsable YAML, or keys the schema rejects.
 * `docsUrl`: the public URL of the minpriv serving the schema (see core/links.ts); absent: the repository's file.
 * `fileOf` names the file that holds a problem when it is not the repository's own.
 */
export function configErrorSummary(issues: readonly ConfigIssue[], docsUrl?: string, fileOf: ConfigFileOf = ownFile): string {
  const schemaUrl = configSchemaUrl(docsUrl);
  const yaml = issues.find((i) => i.yaml);
  if (yaml?.yaml) {
    const { line, column } = yaml.yaml;
    const at = line !== undefined ? `line ${line}${column !== undefined ? `, column ${column}` : ''}: ` : '';
    const file = fileOf(yaml.key);
    return [
      `${fileName(file)}${file ? MERGED : ''} is not valid YAML, so nothing was scanned.`,
      '',
      `> ${at}${yaml.message.replace(/\r?\n/g, ' ')}`,
      '',
      `Fix the syntax; the keys it may hold are described by the [JSON Schema](${schemaUrl}).`,
    ].join('\n');
  }
  const key = (i: ConfigIssue) => `\`${cell(i.value !== undefined ? `${i.key}: ${i.value}` : i.key)}\``;
  const files = [...new Set(issues.map((i) => fileOf(i.key)))];
  if (files.length > 1) {
    return [
      `The configuration is not valid, so nothing was scanned. Fix these keys in the files that hold them (see the [JSON Schema](${schemaUrl})):`,
      '',
      '| File | Key | Problem |',
      '|---|---|---|',
      ...issues.map((i) => `| ${fileName(fileOf(i.key))} | ${key(i)} | ${cell(i.message)} |`),
    ].join('\n');
  }
  return [
    `${fileName(files[0])}${files[0] ? MERGED : ''} is not valid, so nothing was scanned. Fix these keys (see the [JSON Schema](${schemaUrl})):`,
    '',
    '| Key | Problem |',
    '|---|---|',
    ...issues.map((i) => `| ${key(i)} | ${cell(i.message)} |`),
  ].join('\n');
}

export { fitChunks };
