import type { GrantedBy, PermissionDiff, PermissionRow, SubjectDiff, WorkloadEntry } from '../rbac/diff.js';
import type { RiskId } from '../rbac/risk.js';
import { type CheckAnnotation, clip, MESSAGE_MAX } from './check-run.js';

/** Renderers of a permission diff: Markdown for the check summary and review, plain text for the CLI. Nothing when nothing changes. */

export interface PermissionRenderOptions {
  /** Subjects shown per section (default 25); the rest are counted. */
  maxSubjects?: number;
  /** Rows shown per subject and section (default 20; risky rows come first). */
  maxRows?: number;
}

const RISK_PHRASE: Record<RiskId, string> = {
  'cluster-admin-equivalent': 'do anything, like cluster-admin',
  'wildcard-verbs': 'use every verb (`*`)',
  'wildcard-resources': 'act on every resource type (`*`)',
  'secrets-read': 'read Secrets',
  'pod-exec': 'exec into pods',
  'nodes-proxy': 'reach the kubelet API (`nodes/proxy`)',
  'create-pods': 'create pods and workloads',
  'escalate-bind': 'escalate or bind roles',
  impersonate: 'impersonate other identities',
  'sa-token-create': 'mint ServiceAccount tokens',
  'csr-approve': 'approve certificate requests',
  'webhook-config-write': 'write admission webhooks',
  'pv-create': 'create PersistentVolumes',
};

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const LEGEND = '_read_ = get, list, watch; _write_ = create, update, patch, delete, deletecollection.';

/** `get, list, watch` reads as `read`, the five write verbs as `write`; other verbs are listed. */
export function verbsPhrase(verbs: readonly string[]): string {
  if (verbs.includes('*')) return '* (every verb)';
  const parts: string[] = [];
  let rest = [...verbs];
  for (const [word, set] of [
    ['read', READ],
    ['write', WRITE],
  ] as const) {
    if (set.every((v) => rest.includes(v))) {
      parts.push(word);
      rest = rest.filter((v) => !set.includes(v));
    }
  }
  return [...parts, ...rest].join(', ');
}

const subjectId = (s: SubjectDiff['subject']): string => `${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
export const subjectName = (s: SubjectDiff['subject']): string => `${s.kind} ${subjectId(s)}`;
const subjectMd = (s: SubjectDiff['subject']): string => `${s.kind} ${code(subjectId(s))}`;

const workloadName = (w: WorkloadEntry): string => `${w.kind} ${w.namespace}/${w.name}`;
const scopeText = (r: PermissionRow): string => (r.scope === 'cluster' ? 'cluster-wide' : `namespace ${r.namespace}`);
const where = (r: PermissionRow): string => (r.scope === 'cluster' ? 'in every namespace' : `in namespace \`${r.namespace}\``);
const grantText = (g: GrantedBy, md: boolean): string => {
  const at = g.file === null ? 'built-in' : `${g.file}:${g.line}`;
  return md ? `${g.kind} ${code(g.name)} (${g.file === null ? at : code(at)})` : `${g.kind} ${g.name} (${at})`;
};

/** What a row names: `secrets`, `deployments.apps`, `/metrics`, with resource names when it is limited to some. */
function targets(r: PermissionRow, md: boolean): string {
  const q = (s: string): string => (md ? code(s) : s);
  const items =
    r.nonResourceURLs.length > 0 ? r.nonResourceURLs.map(q) : r.apiGroups.flatMap((g) => r.resources.map((res) => q(g === '' ? res : `${res}.${g}`)));
  const names = r.resourceNames.length > 0 ? ` named ${r.resourceNames.map(q).join(', ')}` : '';
  return `${items.join(', ')}${names}`;
}

function code(s: string): string {
  const text = s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${text}${fence === '``' ? ' ' : ''}${fence}`;
}

/** One line per subject with risky additions: "Deployment `shop/checkout` can now read Secrets in every namespace." */
export function riskySentences(diff: PermissionDiff, md = true): string[] {
  const out: string[] = [];
  for (const s of diff.subjects) {
    const risky = s.added.filter((r) => r.risky.length > 0);
    if (risky.length === 0) continue;
    const subject = md ? subjectMd(s.subject) : subjectName(s.subject);
    const who = s.workloads.length > 0 ? `${actors(s.workloads, md)} (as ${subject})` : subject;
    const byPlace = new Map<string, Set<RiskId>>();
    for (const r of risky) {
      const place = md ? where(r) : where(r).replace(/`/g, '');
      const set = byPlace.get(place) ?? new Set<RiskId>();
      for (const id of r.risky) set.add(id);
      byPlace.set(place, set);
    }
    const clauses = [...byPlace].map(([place, ids]) => `${[...ids].map((id) => RISK_PHRASE[id]).join(', ')} ${place}`);
    out.push(`${who} can now ${clauses.join('; ')}.`);
  }
  return out;
}

function actors(workloads: readonly WorkloadEntry[], md: boolean): string {
  const shown = workloads.slice(0, 3).map((w) => (md ? `${w.kind} ${code(`${w.namespace}/${w.name}`)}` : workloadName(w)));
  return workloads.length > 3 ? `${shown.join(', ')} and ${workloads.length - 3} more workloads` : shown.join(', ');
}

/** The Markdown section for the check summary: "Permissions this change grants" and "… removes", one table per subject. */
export function renderPermissionDiffMarkdown(diff: PermissionDiff, opts: PermissionRenderOptions = {}): string {
  const sections: string[] = [];
  for (const side of ['added', 'removed'] as const) {
    const changed = diff.subjects.filter((s) => s[side].length > 0).sort(riskyFirst(side));
    if (changed.length === 0) continue;
    const lines = [`### Permissions this change ${side === 'added' ? 'grants' : 'removes'}`, ''];
    if (side === 'added') {
      const sentences = riskySentences(diff);
      if (sentences.length > 0) lines.push(...sentences.map((t) => `- :warning: ${t}`), '');
    }
    const maxSubjects = opts.maxSubjects ?? 25;
    for (const s of changed.slice(0, maxSubjects)) {
      lines.push(`**${subjectMd(s.subject)}**${s.workloads.length > 0 ? `, run by ${workloadList(s.workloads)}` : ''}`, '');
      lines.push('| Risk | Scope | Verbs | On | Granted by |', '| --- | --- | --- | --- | --- |');
      const rows = s[side];
      const maxRows = opts.maxRows ?? 20;
      for (const r of rows.slice(0, maxRows)) {
        const risk = r.risky.length > 0 ? `:warning: ${r.risky.map(code).join(', ')}` : '';
        const scope = r.scope === 'cluster' ? 'cluster-wide' : `namespace ${code(r.namespace ?? '')}`;
        lines.push(`| ${risk} | ${scope} | ${verbsPhrase(r.verbs)} | ${targets(r, true)} | ${r.grantedBy.map((g) => grantText(g, true)).join(' → ')} |`);
      }
      if (rows.length > maxRows) lines.push(`| | | | … and ${rows.length - maxRows} more rows | |`);
      lines.push('');
    }
    if (changed.length > maxSubjects) lines.push(`… and ${changed.length - maxSubjects} more subjects: run \`minpriv rbac diff\` for all of them.`, '');
    lines.push(LEGEND, '');
    sections.push(lines.join('\n'));
  }
  if (sections.length > 0 && diff.notes.length > 0) sections.push(`${diff.notes.map((n) => `> ${n}`).join('\n>\n')}\n`);
  return sections.join('\n');
}

function workloadList(workloads: readonly WorkloadEntry[]): string {
  const shown = workloads.slice(0, 5).map((w) => `${w.kind} ${code(`${w.namespace}/${w.name}`)} (${code(w.file)})`);
  return `${shown.join(', ')}${workloads.length > 5 ? ` and ${workloads.length - 5} more` : ''}`;
}

const riskyFirst =
  (side: 'added' | 'removed') =>
  (a: SubjectDiff, b: SubjectDiff): number =>
    Number(b[side].some((r) => r.risky.length > 0)) - Number(a[side].some((r) => r.risky.length > 0));

/** Plain text for `minpriv rbac diff`: every row, risky rows marked with `!`. */
export function renderPermissionDiffText(diff: PermissionDiff): string {
  if (diff.subjects.length === 0) return `No permission changes.${diff.notes.map((n) => `\nnote: ${n}`).join('')}\n`;
  const lines: string[] = [];
  const sentences = riskySentences(diff, false);
  if (sentences.length > 0) lines.push(...sentences.map((t) => `! ${t}`), '');
  for (const side of ['added', 'removed'] as const) {
    const changed = diff.subjects.filter((s) => s[side].length > 0).sort(riskyFirst(side));
    if (changed.length === 0) continue;
    lines.push(`Permissions this change ${side === 'added' ? 'grants' : 'removes'}:`, '');
    for (const s of changed) {
      const runBy = s.workloads.length > 0 ? ` (run by ${s.workloads.map((w) => `${workloadName(w)} in ${w.file}`).join(', ')})` : '';
      lines.push(`${subjectName(s.subject)}${runBy}`);
      for (const r of s[side]) {
        const risk = r.risky.length > 0 ? `  [${r.risky.join(', ')}]` : '';
        lines.push(`  ${r.risky.length > 0 ? '!' : ' '} ${scopeText(r)}: ${verbsPhrase(r.verbs)} on ${targets(r, false)}${risk}`);
        lines.push(`      granted by ${r.grantedBy.map((g) => grantText(g, false)).join(' → ')}`);
      }
      lines.push('');
    }
  }
  lines.push('read = get, list, watch; write = create, update, patch, delete, deletecollection.');
  for (const n of diff.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}

/** A file line that grants risky additions (a binding, a role's rule): what it grants, and to whom. */
interface RiskyGrantSite {
  file: string;
  line: number;
  /** Subjects as shown, with the workloads that run as them. */
  who: { subject: SubjectDiff['subject']; workloads: readonly WorkloadEntry[] }[];
  risks: Set<RiskId>;
}

type Located = GrantedBy & { file: string; line: number };

/** The lines that grant the diff's risky additions, in the order the diff lists them; `at` chooses each row's lines among the steps of its grant that have one. */
function riskyGrantSites(diff: PermissionDiff, at: (steps: Located[]) => Located[]): RiskyGrantSite[] {
  const byLine = new Map<string, RiskyGrantSite>();
  for (const s of diff.subjects) {
    for (const r of s.added) {
      if (r.risky.length === 0) continue;
      for (const g of at(r.grantedBy.filter((g): g is Located => g.file !== null && g.line !== null))) {
        const key = `${g.file}:${g.line}`;
        const entry = byLine.get(key) ?? { file: g.file, line: g.line, who: [], risks: new Set() };
        if (!entry.who.some((w) => w.subject === s.subject)) entry.who.push({ subject: s.subject, workloads: s.workloads });
        for (const id of r.risky) entry.risks.add(id);
        byLine.set(key, entry);
      }
    }
  }
  return [...byLine.values()];
}

/**
 * Review comments for risky additions, one per file line that grants them (the binding, the role's rule): the subjects and
 * workloads it affects. The caller keeps those on lines the change touched.
 */
export function riskyGrantComments(diff: PermissionDiff): { file: string; line: number; body: string }[] {
  return riskyGrantSites(diff, (steps) => steps).map((e) => {
    const who = [
      ...new Set(
        e.who.map(({ subject, workloads }) => {
          const name = subjectName(subject);
          return workloads.length > 0 ? `${code(name)} (${workloads.map((w) => code(workloadName(w))).join(', ')})` : code(name);
        }),
      ),
    ];
    return { file: e.file, line: e.line, body: `**minpriv: this grants ${[...e.risks].map((id) => RISK_PHRASE[id]).join(', ')}** to ${who.join(', ')}.` };
  });
}

/**
 * Check-run annotations for risky additions: one per line that makes them, in the files the change touched. Each risky
 * row is pointed at one place only: the first step of its grant (the binding, the role, the rule) on a line the change
 * added (`touched`), else its last step in a file the change touched (the rule, widened below its first line); rows
 * whose grant lies wholly in other files get none
 * (the summary's permission diff names them). `level`: `failure` when the risky grant fails the check
 * (`rbac.failOnNewRisky`).
 */
export function riskyGrantAnnotations(
  diff: PermissionDiff,
  where: { files: ReadonlySet<string>; touched: (file: string, line: number) => boolean },
  level: 'failure' | 'warning',
): CheckAnnotation[] {
  const sites = riskyGrantSites(diff, (all) => {
    const steps = all.filter((g) => where.files.has(g.file));
    // A line the change added (a new binding), else the rule that grants it (a rule widened below its first line).
    const at = steps.find((g) => where.touched(g.file, g.line)) ?? steps.at(-1);
    return at ? [at] : [];
  });
  return sites.map((e) => {
    const who = [
      ...new Set(
        e.who.map(({ subject, workloads }) => (workloads.length > 0 ? `${actors(workloads, false)} (as ${subjectName(subject)})` : subjectName(subject))),
      ),
    ];
    const what = [...e.risks].map((id) => RISK_PHRASE[id].replace(/`/g, '')).join(', ');
    return {
      path: e.file,
      start_line: Math.max(1, e.line),
      end_line: Math.max(1, e.line),
      annotation_level: level,
      message: clip(`This grants ${who.join('; ')} the right to ${what}.`, MESSAGE_MAX),
      title: 'minpriv: a risky permission this change grants',
    };
  });
}
