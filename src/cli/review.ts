import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { load } from 'js-yaml';
import { docsUrlFromEnv } from '../core/links.js';
import { MinprivError } from '../core/types.js';
import { fileMatcher, parseConfig } from '../engine/config.js';
import { createTokenClient } from '../github/client.js';
import { CONFIG_PATH, checkHeadConfig, repoConfigSource } from '../github/repo-config.js';
import { reviewPullRequest } from '../github/run.js';
import type { SubjectDiff } from '../rbac/diff.js';
import { plural } from '../report/check-run.js';
import type { ReviewComment } from '../report/suggestion.js';
import { configErrorSummary } from '../report/summary.js';
import { planReview, type ReviewPlan } from '../review/plan.js';
import { enableScanners, providersFromConfig, scannerFlags } from '../scanners/provider.js';
import { SCANNER_TOOLS, type ScannerTool } from '../scanners/types.js';
import { catObjects, gitChangeSet, resolveCommit } from '../sources/git.js';
import { readRepoFilesAt } from '../sources/repo-files.js';
import type { Command, CommandIO } from './io.js';

export const REVIEW_HELP = `usage: minpriv review --base REF [--head REF] [options]
       minpriv review --pr OWNER/REPO#N [--publish] [options]

Run the pull-request review the GitHub App runs, and print what it would post: the check run
(conclusion, title, summary, annotations) and the review comments with suggested fixes.

  --base REF        local mode: review \`git diff BASE...HEAD\` of the checkout in the current folder
  --head REF        head revision (default: HEAD)
  --pr O/R#N        live PR through the GitHub API (token in GITHUB_TOKEN or GH_TOKEN)
  --publish         with --pr: create the check run and post the review
  --config FILE     configuration (default: .github/minpriv.yml at the BASE revision, so a change cannot
                    weaken its own gate, like the app; with --pr, of the repository's default branch,
                    else of the owner's .github repository). A changed head version is checked and reported.
  --format F        text | json (default: text); json prints { conclusion, title, summary, text, annotations, comments,
                    findings: [{ ruleId, severity, file, line, resource, new }], permissionDiff }
  --scanner TOOL    also run an external scanner: ${SCANNER_TOOLS.join(' | ')} (repeatable); the config's
                    \`scanners\` block enables them too. With --pr, their \`binary\` and \`args\` are ignored, as in the app
  -h, --help        show this help

exit status: 0 the check would pass, 1 it would fail, 2 usage, git or API error.
`;

interface Output {
  conclusion: string;
  title: string;
  summary: string;
  /** The check run's details (diffs of fixes not posted inline); empty when none. */
  text: string;
  annotations: unknown[];
  comments: ReviewComment[];
  /** Every in-scope finding; `new: false` when the base version already had it. */
  findings: FindingRow[];
  /** What the change grants and removes, per subject (`review --base` reads the repository at both ends). */
  permissionDiff: SubjectDiff[];
}

interface FindingRow {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  resource?: { kind: string; namespace?: string; name: string };
  new: boolean;
}

function findingRows(plan: ReviewPlan | undefined): FindingRow[] {
  if (!plan) return [];
  const old = new Set(plan.existing);
  return plan.findings.map((f) => {
    const row: FindingRow = { ruleId: f.ruleId, severity: f.severity, file: f.file, line: f.line, new: !old.has(f.fingerprint) };
    if (f.resource) row.resource = { kind: f.resource.kind, ...(f.resource.namespace ? { namespace: f.resource.namespace } : {}), name: f.resource.name };
    return row;
  });
}

export const run: Command = async (argv, io) => {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (err) {
    io.stderr.write(`minpriv review: ${err instanceof Error ? err.message : String(err)}\n${REVIEW_HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(REVIEW_HELP);
    return 0;
  }
  const format = values.format ?? 'text';
  if ((values.base === undefined) === (values.pr === undefined) || (format !== 'text' && format !== 'json') || (values.publish && !values.pr)) {
    io.stderr.write(`minpriv review: give exactly one of --base or --pr (--publish needs --pr), and --format text or json\n${REVIEW_HELP}`);
    return 2;
  }
  const scanners = scannerFlags(values.scanner);
  if ('invalid' in scanners) {
    io.stderr.write(`minpriv review: invalid value for --scanner: "${scanners.invalid}" (expected ${SCANNER_TOOLS.join(', ')})\n${REVIEW_HELP}`);
    return 2;
  }
  try {
    // Without --config, the config is the one the app applies: read from the repository (--pr), or at the base (--base).
    const raw = values.config === undefined ? undefined : await readConfig(io, values.config);
    const out = values.pr
      ? await reviewPr(io, values.pr, raw, values.publish === true, scanners.tools)
      : await reviewLocal(io, values.base as string, values.head ?? 'HEAD', raw, scanners.tools);
    io.stdout.write(format === 'json' ? `${JSON.stringify(out, null, 2)}\n` : renderText(out));
    return out.conclusion === 'failure' ? 1 : 0;
  } catch (err) {
    io.stderr.write(`minpriv review: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
};

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      pr: { type: 'string' },
      publish: { type: 'boolean' },
      config: { type: 'string' },
      format: { type: 'string' },
      scanner: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** Raw config: the YAML of --config; a YAML error is kept to be reported like the app does. */
async function readConfig(io: CommandIO, file: string): Promise<() => Promise<unknown>> {
  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (err) {
    throw new MinprivError('CONFIG', `cannot read --config ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return async () => load(text);
}

/** `.github/minpriv.yml` at a commit; undefined when it has none. */
async function configAt(cwd: string, commit: string): Promise<string | undefined> {
  const name = `${commit}:${CONFIG_PATH}`;
  const bytes = (await catObjects(cwd, [name])).get(name);
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
}

async function reviewLocal(
  io: CommandIO,
  base: string,
  head: string,
  loadRaw: (() => Promise<unknown>) | undefined,
  tools: readonly ScannerTool[],
): Promise<Output> {
  // The base's config applies (as the app applies the default branch's): a change must not switch its own gate off.
  const baseCommit = await resolveCommit(io.cwd, base);
  const baseConfig = async (): Promise<unknown> => {
    const text = await configAt(io.cwd, baseCommit);
    return text === undefined ? null : load(text);
  };
  let raw: unknown;
  try {
    raw = enableScanners(await (loadRaw ?? baseConfig)(), tools);
  } catch (err) {
    return invalid([{ key: '(file)', message: err instanceof Error ? err.message : String(err) }], docsUrlFromEnv(io.env));
  }
  const parsed = parseConfig(raw);
  if (!parsed.ok) return invalid(parsed.issues, docsUrlFromEnv(io.env));
  const { changes, range } = await gitChangeSet(io.cwd, base, head, fileMatcher(parsed.config));
  const applies = `The configuration at the base revision (\`${base}\`) applies to this check, not this pull request's version: a pull request must not weaken its own gate.`;
  const changed = loadRaw === undefined && changes.files.some((f) => f.path === CONFIG_PATH && f.status !== 'removed');
  const headConfig = changed ? await checkHeadConfig(() => configAt(io.cwd, range.head), applies) : undefined;
  if (headConfig) changes.notes = [...headConfig.lines, ...(changes.notes ?? [])];
  // The whole repository at both ends (RBAC objects and workloads only): what the change grants.
  // The changed files (both names of a rename) are read first and always, whatever `rbac.maxFiles` leaves out.
  const opts = { maxFiles: parsed.config.rbac.maxFiles, first: changes.files.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])) };
  const [atBase, atHead] = await Promise.all([readRepoFilesAt(io.cwd, range.base, opts), readRepoFilesAt(io.cwd, range.head, opts)]);
  const repoFiles = { base: atBase.files, head: atHead.files, notes: [...new Set([...atBase.notes, ...atHead.notes])] };
  // A local config is the user's own: its scanner paths and arguments are honoured.
  const r = await planReview({
    changes,
    config: parsed.config,
    today: new Date().toISOString().slice(0, 10),
    providers: providersFromConfig(parsed.config, { trusted: true }),
    repoFiles,
    ...docsOption(io),
  });
  // An invalid config would fail every later change once merged: this change answers for it (as in the app).
  if (headConfig && !headConfig.valid) return outputOf({ ...r, conclusion: 'failure', title: `Invalid ${CONFIG_PATH} in this pull request · ${r.title}` }, r);
  return outputOf(r, r);
}

/** What `review` prints: the check run and review a run would post, and the plan's findings and permission diff. */
function outputOf(r: Pick<ReviewPlan, 'conclusion' | 'title' | 'summary' | 'text' | 'annotations' | 'comments'>, plan: ReviewPlan | undefined): Output {
  return {
    conclusion: r.conclusion,
    title: r.title,
    summary: r.summary,
    text: r.text,
    annotations: r.annotations,
    comments: r.comments,
    findings: findingRows(plan),
    permissionDiff: plan?.permissionDiff ?? [],
  };
}

async function reviewPr(
  io: CommandIO,
  spec: string,
  configFile: (() => Promise<unknown>) | undefined,
  publish: boolean,
  tools: readonly ScannerTool[],
): Promise<Output> {
  const m = /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(spec);
  if (!m) throw new MinprivError('USAGE', `--pr expects OWNER/REPO#N, got "${spec}"`);
  const token = io.env.GITHUB_TOKEN ?? io.env.GH_TOKEN;
  if (!token) throw new MinprivError('USAGE', '--pr needs a token in GITHUB_TOKEN (or GH_TOKEN)');
  const log = {
    info: (s: string) => io.stderr.write(`${s}\n`),
    warn: (s: string) => io.stderr.write(`warning: ${s}\n`),
    error: (s: string) => io.stderr.write(`error: ${s}\n`),
  };
  const gh = createTokenClient(token, { ...(io.env.GITHUB_API_URL ? { baseUrl: io.env.GITHUB_API_URL } : {}), log });
  const target = { owner: m[1] as string, repo: m[2] as string, pull_number: Number(m[3]) };
  // Read from the repository as the app reads it (Probot's reads, `_extends` included); a problem is reported in its file.
  const source = repoConfigSource(gh, target);
  const loadConfig = async () => enableScanners(await (configFile ?? source.load)(), tools);
  const configFileOf = configFile ? () => undefined : source.fileOf;
  const r = await reviewPullRequest(gh, target, { loadConfig, configFileOf, mode: publish ? 'token' : 'dry-run', log, ...docsOption(io) });
  return outputOf(r, r.plan);
}

/** Where the rule docs are linked from (MINPRIV_PUBLIC_URL: a minpriv server); none: minpriv's repository. */
function docsOption(io: CommandIO): { docsUrl?: string } {
  const docsUrl = docsUrlFromEnv(io.env);
  return docsUrl ? { docsUrl } : {};
}

function invalid(issues: { key: string; message: string }[], docsUrl: string | undefined): Output {
  return {
    conclusion: 'failure',
    title: `Invalid .github/minpriv.yml: ${plural(issues.length, 'problem')}`,
    summary: configErrorSummary(issues, docsUrl),
    text: '',
    annotations: [],
    comments: [],
    findings: [],
    permissionDiff: [],
  };
}

function renderText(out: Output): string {
  const lines = [`minpriv check: ${out.conclusion} — ${out.title}`, '', out.summary, ''];
  if (out.text !== '') lines.push(out.text, '');
  lines.push(`Review: ${out.comments.length === 0 ? 'none (nothing to suggest inline)' : plural(out.comments.length, 'suggestion comment')}`);
  for (const c of out.comments) {
    const where = c.start_line !== undefined ? `${c.start_line}-${c.line}` : `${c.line}`;
    lines.push('', `--- ${c.path}:${where}`, c.body);
  }
  return `${lines.join('\n')}\n`;
}
