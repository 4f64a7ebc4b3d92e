import { parseArgs } from 'node:util';
import { docsUrlFromEnv, ruleDocUrl } from '../core/links.js';
import type { Rule } from '../core/rule.js';
import { formatKubeVersion } from '../core/version.js';
import { allRules } from '../rules/index.js';
import type { Command } from './io.js';

const FORMATS = ['text', 'json', 'markdown'] as const;
export type RulesFormat = (typeof FORMATS)[number];

export const RULES_HELP = `usage: minpriv rules [--format text|json|markdown]

List every rule: id, severity, Pod Security Standards level and control, whether minpriv
suggests a fix, and title.

options:
  --format F    text | json | markdown (default: text)
  -h, --help    show this help
`;

/** One row of the rule table; the JSON format prints these. */
export interface RuleRow {
  id: string;
  title: string;
  severity: string;
  category: string;
  pss: { level: string; control: string; since?: string } | null;
  overrides: string | null;
  fixable: boolean;
  standards: { kubeLinter: string[]; trivy: string[]; kubescape: string[]; polaris: string[]; checkov: string[] };
  docs: string;
}

/** `docsUrl`: a minpriv server's public URL for the `docs` links (see core/links.ts); absent: minpriv's repository. */
export function ruleRows(rules: readonly Rule[] = allRules, docsUrl?: string): RuleRow[] {
  return rules.map((r) => {
    const s = r.meta.standards;
    let pss: RuleRow['pss'] = null;
    if (s.pss) pss = r.meta.since ? { ...s.pss, since: formatKubeVersion(r.meta.since) } : { ...s.pss };
    return {
      id: r.id,
      title: r.meta.title,
      severity: r.meta.severity,
      category: r.meta.category,
      pss,
      overrides: r.meta.overrides ?? null,
      fixable: r.meta.fixable,
      standards: { kubeLinter: s.kubeLinter ?? [], trivy: s.trivy ?? [], kubescape: s.kubescape ?? [], polaris: s.polaris ?? [], checkov: s.checkov ?? [] },
      docs: ruleDocUrl(r.id, docsUrl),
    };
  });
}

function pssCell(row: RuleRow): string {
  return row.pss ? `${row.pss.level}/${row.pss.control}` : '-';
}

function renderText(rows: readonly RuleRow[]): string {
  const table = [['ID', 'SEVERITY', 'PSS', 'FIXABLE', 'TITLE'], ...rows.map((r) => [r.id, r.severity, pssCell(r), r.fixable ? 'yes' : 'no', r.title])];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((cells) => (cells[i] as string).length)));
  return `${table.map((cells) => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i] as number) : c)).join('  ')).join('\n')}\n`;
}

/** Markdown table; `link` turns a rule id into the target of its link (the docs index uses relative links). */
export function renderMarkdown(rows: readonly RuleRow[], link: (id: string) => string = ruleDocUrl): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| Rule | Severity | PSS level | PSS control | Fixable | Title |', '| --- | --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    const control = r.pss ? `\`${r.pss.control}\`${r.pss.since ? ` (from ${r.pss.since})` : ''}` : '—';
    lines.push(`| [\`${r.id}\`](${link(r.id)}) | ${r.severity} | ${r.pss?.level ?? '—'} | ${control} | ${r.fixable ? 'yes' : 'no'} | ${esc(r.title)} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderRules(format: RulesFormat, rules: readonly Rule[] = allRules, docsUrl?: string): string {
  const rows = ruleRows(rules, docsUrl);
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'markdown') return renderMarkdown(rows, (id) => ruleDocUrl(id, docsUrl));
  return renderText(rows);
}

export const run: Command = async (argv, io) => {
  let values: { format?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    // parseArgs' own message is long and worded by Node; name the bad option in one line instead.
    const text = err instanceof Error ? err.message : String(err);
    const opt = /'(-[^']*)'/.exec(text)?.[1];
    const msg = opt ? `unknown option "${opt}"` : (text.split(/\.\s|\n/)[0] as string);
    io.stderr.write(`minpriv rules: ${msg} (see minpriv rules --help)\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(RULES_HELP);
    return 0;
  }
  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    io.stderr.write(`minpriv rules: invalid value for --format: "${format}" (expected ${FORMATS.join(', ')})\n`);
    return 2;
  }
  let docsUrl: string | undefined;
  try {
    docsUrl = docsUrlFromEnv(io.env);
  } catch (err) {
    io.stderr.write(`minpriv rules: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  io.stdout.write(renderRules(format as RulesFormat, allRules, docsUrl));
  return 0;
};
