import type { K8sObject } from '../core/object.js';
import type { Finding, Suppression } from '../core/types.js';
import { isObj, type Obj, type Workload } from '../core/workload.js';

export const IGNORE_ANNOTATION = 'minpriv.dev/ignore';
export const IGNORE_REASON_ANNOTATION = 'minpriv.dev/ignore-reason';
/** ISO date after which the `minpriv.dev/ignore*` annotations beside it stop suppressing. */
export const IGNORE_UNTIL_ANNOTATION = 'minpriv.dev/ignore-until';
/** `minpriv.dev/ignore.<container>: rule-a,rule-b -- reason`: for the findings of that container only. */
export const IGNORE_CONTAINER_PREFIX = 'minpriv.dev/ignore.';

const COMMENT_RE = /#\s*minpriv:ignore\s+([\w*,\s-]+?)(?:\s+--\s*(.*?))?\s*$/;

/** `# minpriv:ignore rule-a,rule-b -- reason` comments, by 1-based line. */
export function ignoreComments(text: string, lineStarts: readonly number[]): Map<number, { rules: Set<string>; reason?: string }> {
  const out = new Map<number, { rules: Set<string>; reason?: string }>();
  if (!text.includes('minpriv:ignore')) return out;
  lineStarts.forEach((start, i) => {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? undefined : end).replace(/\r$/, '');
    const m = COMMENT_RE.exec(line);
    if (!m) return;
    const rules = new Set((m[1] as string).split(/[\s,]+/).filter(Boolean));
    const entry: { rules: Set<string>; reason?: string } = { rules };
    if (m[2]) entry.reason = m[2];
    out.set(i + 1, entry);
  });
  return out;
}

function annotationsOf(meta: unknown): Obj {
  return isObj(meta) && isObj(meta.annotations) ? meta.annotations : {};
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A Trivy id in any of its spellings (`KSV-0017`, `AVD-KSV-0017`, `KSV017`), as Trivy prints it now; else undefined. */
export function trivyId(id: string): string | undefined {
  const m = /^(?:AVD-)?KSV-?(\d+)$/i.exec(id.trim());
  return m ? `KSV-${(m[1] as string).padStart(4, '0')}` : undefined;
}

export interface SuppressionInput {
  ruleIds: readonly string[];
  standards: Record<string, string[] | undefined>;
  line: number;
  /** The container the finding is about: `minpriv.dev/ignore.<container>` covers it. */
  container?: string | undefined;
  /** Today (ISO date): expired suppressions stop working. Absent: nothing expires. */
  now?: string | undefined;
}

/** A suppression that matched but no longer holds: the finding stays active and its message says why. */
export interface ExpiredSuppression {
  expired: string;
}

/**
 * Does an entry of a minpriv id list name the finding: `*`/`all`, its rule id or an alias, or a peer id
 * of its crosswalk (Trivy in any spelling, Kubescape, Checkov; their formats cannot be a minpriv id)?
 */
function names(entry: string, input: SuppressionInput): boolean {
  if (entry === '*' || entry === 'all' || input.ruleIds.includes(entry)) return true;
  const trivy = trivyId(entry);
  if (trivy) return (input.standards.trivy ?? []).some((t) => trivyId(t) === trivy);
  return (input.standards.kubescape ?? []).includes(entry) || (input.standards.checkov ?? []).includes(entry);
}

/** `a, b -- reason`: the ids and the reason after ` -- `. */
function idList(value: string): { ids: string[]; reason?: string } {
  const cut = /\s--\s*/.exec(value);
  const ids = (cut ? value.slice(0, cut.index) : value).split(/[\s,]+/).filter(Boolean);
  const reason = cut ? value.slice(cut.index + cut[0].length).trim() : '';
  return reason ? { ids, reason } : { ids };
}

/** Why a suppression with this expiry no longer holds on `now`, or undefined while it does. An unreadable date never holds. */
function expiryNote(until: string | undefined, now: string | undefined): string | undefined {
  if (until === undefined) return undefined;
  const day = /^(\d{4}-\d{2}-\d{2})(?:T\S*)?$/.exec(until.trim())?.[1];
  if (!day || !isCalendarDay(day)) return `suppression expiry ${JSON.stringify(until)} is not an ISO date`;
  return now !== undefined && now.slice(0, 10) > day ? `suppression expired ${day}` : undefined;
}

/** `2026-02-30` parses (as March 2nd): a real day reads back the same. No clock involved. */
function isCalendarDay(day: string): boolean {
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day;
}

interface Candidate {
  suppression: Suppression;
  until?: string | undefined;
}

function external(tool: string, reason: string): Suppression {
  return { by: 'external-annotation', reason: `${tool}: ${reason}` };
}

function* minprivCandidates(ann: Obj, input: SuppressionInput): Generator<Candidate> {
  const until = str(ann[IGNORE_UNTIL_ANNOTATION]);
  const keys = input.container !== undefined ? [IGNORE_CONTAINER_PREFIX + input.container, IGNORE_ANNOTATION] : [IGNORE_ANNOTATION];
  for (const key of keys) {
    const value = str(ann[key]);
    if (value === undefined) continue;
    const list = idList(value);
    if (!list.ids.some((e) => names(e, input))) continue;
    const reason = list.reason ?? str(ann[IGNORE_REASON_ANNOTATION]);
    yield { suppression: reason ? { by: 'annotation', reason } : { by: 'annotation' }, until };
  }
}

/**
 * Other tools' suppression annotations that users already write. Each maps a tool's id for the same
 * concept (from the rule's crosswalk) to a suppression of the minpriv rule, the tool named in the reason.
 */
function* externalCandidates(ann: Obj, standards: SuppressionInput['standards']): Generator<Candidate> {
  const said = (key: string): string => str(ann[key])?.trim() || key;
  for (const id of standards.kubeLinter ?? []) {
    const key = `ignore-check.kube-linter.io/${id}`;
    if (key in ann) yield { suppression: external('kube-linter', said(key)) };
  }
  if ('kube-linter.io/ignore-all' in ann) yield { suppression: external('kube-linter', said('kube-linter.io/ignore-all')) };
  // kubescape/kubescape#3392: a comma list of control ids, an optional reason and an RFC 3339 expiry.
  const controls = str(ann['kubescape.io/skip-controls']);
  if (controls?.split(',').some((c) => (standards.kubescape ?? []).includes(c.trim()))) {
    const reason = str(ann['kubescape.io/skip-reason'])?.trim() || `kubescape.io/skip-controls: ${controls}`;
    yield { suppression: external('kubescape', reason), until: str(ann['kubescape.io/skip-expiry']) };
  }
  for (const key of [...(standards.polaris ?? []).map((id) => `polaris.fairwinds.com/${id}-exempt`), 'polaris.fairwinds.com/exempt']) {
    if (str(ann[key])?.toLowerCase() === 'true') yield { suppression: external('polaris', key) };
  }
  for (const [key, value] of Object.entries(ann)) {
    if (!/^(checkov|bridgecrew)\.io\/skip\d*$/.test(key) || typeof value !== 'string') continue;
    const eq = value.indexOf('=');
    const id = (eq < 0 ? value : value.slice(0, eq)).trim();
    if ((standards.checkov ?? []).includes(id)) yield { suppression: external('checkov', (eq < 0 ? '' : value.slice(eq + 1).trim()) || key) };
  }
  for (const id of standards.datree ?? []) {
    const key = `datree.skip/${id}`;
    if (key in ann) yield { suppression: external('datree', said(key)) };
  }
}

const SUPPRESSION_PREFIXES = [
  'minpriv.dev/',
  'ignore-check.kube-linter.io/',
  'kube-linter.io/',
  'kubescape.io/',
  'polaris.fairwinds.com/',
  'checkov.io/',
  'bridgecrew.io/',
  'datree.skip/',
];

/**
 * Whether the object or its pod template carries any annotation that can suppress a finding. Most
 * workloads carry none, and then the per-finding lookup can be skipped.
 */
export function hasSuppressionAnnotations(object: K8sObject): boolean {
  for (const meta of [object.value.metadata, (object as Partial<Workload>).podMeta]) {
    for (const key of Object.keys(annotationsOf(meta))) if (SUPPRESSION_PREFIXES.some((p) => key.startsWith(p))) return true;
  }
  return false;
}

/** Why a finding is suppressed, or undefined. Object metadata and pod-template metadata both count. */
export function suppressionFor(
  input: SuppressionInput,
  object: K8sObject | undefined,
  comments: Map<number, { rules: Set<string>; reason?: string }>,
): Suppression | undefined {
  const found = findSuppression(input, object, comments);
  return found && 'by' in found ? found : undefined;
}

/**
 * `suppressionFor`, telling expired suppressions apart. A suppression past its expiry (`minpriv.dev/ignore-until`,
 * `kubescape.io/skip-expiry`) does not count: when nothing else suppresses the finding, the expired one is
 * returned so the finding can say so.
 */
export function findSuppression(
  input: SuppressionInput,
  object: K8sObject | undefined,
  comments: Map<number, { rules: Set<string>; reason?: string }>,
): Suppression | ExpiredSuppression | undefined {
  for (const line of [input.line, input.line - 1]) {
    const c = comments.get(line);
    if (c && [...c.rules].some((e) => names(e, input))) return c.reason ? { by: 'comment', reason: c.reason } : { by: 'comment' };
  }
  if (!object) return undefined;
  let expired: ExpiredSuppression | undefined;
  for (const meta of [object.value.metadata, (object as Partial<Workload>).podMeta]) {
    const ann = annotationsOf(meta);
    for (const found of [minprivCandidates(ann, input), externalCandidates(ann, input.standards)]) {
      for (const c of found) {
        const note = expiryNote(c.until, input.now);
        if (note === undefined) return c.suppression;
        expired ??= { expired: note };
      }
    }
  }
  return expired;
}

export function partitionSuppressed(findings: Finding[]): { active: Finding[]; suppressed: Finding[] } {
  const active: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) (f.suppressed ? suppressed : active).push(f);
  return { active, suppressed };
}
