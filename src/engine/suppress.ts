import type { K8sObject } from '../core/object.js';
import type { Finding, Suppression } from '../core/types.js';
import { isObj, type Obj, type Workload } from '../core/workload.js';

export const IGNORE_ANNOTATION = 'minpriv.dev/ignore';
export const IGNORE_REASON_ANNOTATION = 'minpriv.dev/ignore-reason';

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

function listMatches(list: string, ids: readonly string[]): boolean {
  const entries = list.split(/[\s,]+/).filter(Boolean);
  return entries.some((e) => e === '*' || e === 'all' || ids.includes(e));
}

/**
 * Other tools' suppression annotations that users already write. Each maps a tool's id for the same
 * concept (from the rule's crosswalk) to a suppression of the minpriv rule.
 */
function externalSuppression(ann: Obj, standards: Record<string, string[] | undefined>): Suppression | undefined {
  const reasonOf = (key: string): string | undefined => (typeof ann[key] === 'string' ? (ann[key] as string) : undefined);
  for (const id of standards.kubeLinter ?? []) {
    if (`ignore-check.kube-linter.io/${id}` in ann) return withReason({ by: 'external-annotation' }, reasonOf(`ignore-check.kube-linter.io/${id}`));
  }
  if ('kube-linter.io/ignore-all' in ann) return withReason({ by: 'external-annotation' }, reasonOf('kube-linter.io/ignore-all'));
  const kubescape = reasonOf('kubescape.io/skip-controls');
  if (kubescape && (standards.kubescape ?? []).some((id) => kubescape.split(/[\s,]+/).includes(id))) {
    return withReason({ by: 'external-annotation' }, reasonOf('kubescape.io/skip-controls-reason'));
  }
  for (const id of standards.polaris ?? []) {
    const key = `polaris.fairwinds.com/${id}-exempt`;
    if (ann[key] === 'true') return { by: 'external-annotation' };
  }
  if (ann['polaris.fairwinds.com/exempt'] === 'true') return { by: 'external-annotation' };
  return undefined;
}

function withReason(s: Suppression, reason: string | undefined): Suppression {
  if (reason) s.reason = reason;
  return s;
}

const SUPPRESSION_PREFIXES = ['minpriv.dev/', 'ignore-check.kube-linter.io/', 'kube-linter.io/', 'kubescape.io/', 'polaris.fairwinds.com/'];

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

export interface SuppressionInput {
  ruleIds: readonly string[];
  standards: Record<string, string[] | undefined>;
  line: number;
}

/** Why a finding is suppressed, or undefined. Object metadata and pod-template metadata both count. */
export function suppressionFor(
  input: SuppressionInput,
  object: K8sObject | undefined,
  comments: Map<number, { rules: Set<string>; reason?: string }>,
): Suppression | undefined {
  for (const line of [input.line, input.line - 1]) {
    const c = comments.get(line);
    if (c && input.ruleIds.some((id) => c.rules.has(id) || c.rules.has('*') || c.rules.has('all'))) {
      return withReason({ by: 'comment' }, c.reason);
    }
  }
  if (!object) return undefined;
  for (const meta of [object.value.metadata, (object as Partial<Workload>).podMeta]) {
    const ann = annotationsOf(meta);
    const list = ann[IGNORE_ANNOTATION];
    if (typeof list === 'string' && listMatches(list, input.ruleIds)) {
      const reason = ann[IGNORE_REASON_ANNOTATION];
      return withReason({ by: 'annotation' }, typeof reason === 'string' ? reason : undefined);
    }
    const ext = externalSuppression(ann, input.standards);
    if (ext) return ext;
  }
  return undefined;
}

export function partitionSuppressed(findings: Finding[]): { active: Finding[]; suppressed: Finding[] } {
  const active: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) (f.suppressed ? suppressed : active).push(f);
  return { active, suppressed };
}
