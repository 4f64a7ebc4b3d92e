import { type Finding, type Notice, type ScanResult, SEVERITIES, type Severity } from '../core/types.js';
import { summarize } from './json.js';

export interface TextReportOptions {
  /** ANSI colour; the caller decides (a TTY and NO_COLOR unset). */
  color: boolean;
  /** List suppressed findings too, with their reason. */
  showSuppressed: boolean;
}

type Paint = (s: string) => string;
const plain: Paint = (s) => s;
const sgr =
  (open: number, close: number): Paint =>
  (s) =>
    `\u001b[${open}m${s}\u001b[${close}m`;

interface Palette {
  file: Paint;
  dim: Paint;
  severity: Record<Severity, Paint>;
}

function palette(color: boolean): Palette {
  if (!color) return { file: plain, dim: plain, severity: { critical: plain, high: plain, medium: plain, low: plain, info: plain } };
  const bold = sgr(1, 22);
  return {
    file: bold,
    dim: sgr(2, 22),
    severity: { critical: (s) => bold(sgr(35, 39)(s)), high: sgr(31, 39), medium: sgr(33, 39), low: sgr(36, 39), info: sgr(2, 22) },
  };
}

const SEVERITY_WIDTH = Math.max(...SEVERITIES.map((s) => s.length));

/** How reports name the external scanners. */
const TOOL_LABELS: Readonly<Record<string, string>> = { trivy: 'Trivy', kubescape: 'Kubescape', 'kube-linter': 'kube-linter', datree: 'Datree' };

/** `also: Trivy KSV-0017, Kubescape C-0057` for a finding external scanners reported too; '' otherwise. */
export function alsoReportedText(f: Pick<Finding, 'alsoReportedBy'>): string {
  const refs = f.alsoReportedBy ?? [];
  return refs.length === 0 ? '' : `also: ${refs.map((r) => `${TOOL_LABELS[r.tool] ?? r.tool} ${r.id}`).join(', ')}`;
}

function groupByFile<T extends { file: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const list = out.get(it.file);
    if (list) list.push(it);
    else out.set(it.file, [it]);
  }
  return out;
}

/** `file:line:col severity rule-id message`, one line per finding (columns aligned), a blank line between files. */
function findingLines(findings: readonly Finding[], p: Palette, suppressed: boolean): string[] {
  const out: string[] = [];
  for (const list of groupByFile(findings).values()) {
    if (out.length > 0) out.push('');
    const locs = list.map((f) => `${f.file}:${f.line}:${f.column}`);
    const locWidth = Math.max(...locs.map((l) => l.length));
    const ruleWidth = Math.max(...list.map((f) => f.ruleId.length));
    list.forEach((f, i) => {
      const sev = p.severity[f.severity](f.severity.padEnd(SEVERITY_WIDTH));
      let line = `${p.file((locs[i] as string).padEnd(locWidth))} ${sev} ${f.ruleId.padEnd(ruleWidth)} ${f.message}`;
      const also = alsoReportedText(f);
      if (also) line += p.dim(` [${also}]`);
      if (suppressed && f.suppressed) {
        line += p.dim(` [suppressed by ${f.suppressed.by}${f.suppressed.reason ? `: ${f.suppressed.reason}` : ''}]`);
      }
      out.push(line.trimEnd());
    });
  }
  return out;
}

function noticeLines(notices: readonly Notice[], p: Palette): string[] {
  return notices.map((n) => {
    const where = n.line !== undefined ? `${n.file}:${n.line} ` : n.file !== '' ? `${n.file} ` : '';
    return `  ${where}${p.dim(`${n.error ? 'error' : 'notice'}(${n.kind})`)} ${n.message}`;
  });
}

const NOTICE_WORDS: Record<string, [string, string]> = {
  template: ['template not scanned', 'templates not scanned'],
  partial: ['partial manifest', 'partial manifests'],
  'rule-error': ['rule error', 'rule errors'],
  skipped: ['path skipped', 'paths skipped'],
  style: ['YAML style notice (Kubernetes accepts, js-yaml would not)', 'YAML style notices (Kubernetes accepts, js-yaml would not)'],
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The closing line: counts by severity, what was scanned, suppressed findings and notices. */
export function summaryLine(result: ScanResult, showSuppressed: boolean): string {
  const s = summarize(result);
  const parts: string[] = [];
  const counts = SEVERITIES.filter((sev) => s.bySeverity[sev] > 0).map((sev) => `${s.bySeverity[sev]} ${sev}`);
  parts.push(s.findings === 0 ? 'no findings' : `${plural(s.findings, 'finding')} (${counts.join(', ')})`);
  parts[0] += ` in ${plural(s.filesScanned, 'file')}, ${plural(s.resourcesScanned, 'resource')} with a pod spec`;
  if (s.suppressed > 0) parts.push(`${s.suppressed} suppressed${showSuppressed ? '' : ' (use --show-suppressed to list them)'}`);
  if (s.notices > 0) {
    const kinds = Object.entries(s.noticesByKind).map(([k, n]) => {
      const words = NOTICE_WORDS[k];
      return words ? plural(n, words[0], words[1]) : `${n} ${k}`;
    });
    parts.push(`${plural(s.notices, 'notice')}: ${kinds.join(', ')}`);
  }
  return `${parts.join('; ')}.`;
}

/** Human-readable report for a terminal or a CI log. */
export function renderText(result: ScanResult, options: TextReportOptions): string {
  const p = palette(options.color);
  // Array literals, not push(...lines): a call's arguments overflow the stack past ~100k findings.
  const out: string[] = [
    ...(result.findings.length > 0 ? [...findingLines(result.findings, p, false), ''] : []),
    ...(options.showSuppressed && result.suppressed.length > 0 ? [p.dim('suppressed:'), ...findingLines(result.suppressed, p, true), ''] : []),
    ...(result.notices.length > 0 ? ['notices:', ...noticeLines(result.notices, p), ''] : []),
    summaryLine(result, options.showSuppressed),
  ];
  return `${out.join('\n')}\n`;
}
