import picomatch from 'picomatch';
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../core/types.js';
import { type KubeVersion, parseKubeVersion } from '../core/version.js';
import { builtinRegistry } from '../rules/index.js';
import { DEFAULT_PROFILE, PROFILES, type ProfileName } from './profiles.js';
import type { RuleSetting, ScanOptions } from './scan.js';

/** Which findings a change is answerable for (see src/diff/scope.ts). */
export const SCOPES = ['changed-lines', 'changed-resources', 'changed-files'] as const;
export type Scope = (typeof SCOPES)[number];
export type OnError = 'fail' | 'neutral';

const KNOWN_RULES = builtinRegistry.names;
const DEFAULT_INCLUDE = ['**/*.yaml', '**/*.yml'];
const DEFAULT_EXCLUDE = '.github/**';
/** Per-file byte cap: the parser's default, and the most a config may raise it to. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const MAX_FILE_BYTES_LIMIT = 10 * 1024 * 1024;
const severity = z.enum(SEVERITIES as [Severity, ...Severity[]]);
const glob = z.string().min(1, 'a glob cannot be empty');

/** Schema of `.github/minpriv.yml`. Defaults live here, so an absent file and `{}` mean the same. */
export const configSchema = z
  .object({
    _extends: z.string().optional().describe('Base config to extend: `repo`, `owner/repo` or `repo:path/file.yml` (read by Probot).'),
    include: z
      .array(glob)
      .min(1)
      .optional()
      .describe('Globs (picomatch) of files to scan. Default: every `*.yaml`/`*.yml` file outside `.github/` (workflows are not manifests).'),
    exclude: z.array(glob).default([]).describe('Globs of files never to scan; wins over include.'),
    profile: z
      .enum(PROFILES)
      .default(DEFAULT_PROFILE)
      .describe(
        'Rule set to run: `pss-baseline`, `pss-restricted` (the Pod Security Standards exactly) or `minpriv` (restricted plus RBAC, images, service accounts, exposure, secrets).',
      ),
    rules: z
      .record(
        z.string().refine((id) => KNOWN_RULES.has(id), { message: 'unknown rule id (see `minpriv rules`)' }),
        z.enum(['off', ...SEVERITIES] as [RuleSetting, ...RuleSetting[]]),
      )
      .default({})
      .describe('Per rule id: `off`, or the severity to report it with (a severity also switches on a rule the profile leaves out).'),
    failOn: severity.default('medium').describe('Lowest severity of an in-scope finding that fails the check.'),
    scope: z.enum(SCOPES).default('changed-resources').describe('Which findings the pull request answers for.'),
    comments: z
      .object({
        max: z
          .number()
          .int()
          .min(0)
          .max(100)
          .default(30)
          .describe('Most open inline suggestion threads of minpriv on a pull request (earlier ones still open count); the rest go to the check summary.'),
      })
      .strict()
      .default({ max: 30 }),
    suggestions: z
      .union([z.boolean(), z.enum(['on', 'off'])])
      .default(true)
      .describe('Post fixes as inline suggestions (true/on) or only in the check summary (false/off).'),
    onError: z.enum(['fail', 'neutral']).default('fail').describe('Conclusion when minpriv itself cannot finish: failure (fail closed) or neutral.'),
    maxFileBytes: z
      .number()
      .int()
      .min(1024)
      .max(MAX_FILE_BYTES_LIMIT)
      .default(DEFAULT_MAX_FILE_BYTES)
      .describe('Largest changed file, in bytes, that is read and scanned (1 MiB by default, 10 MiB at most); a larger one is an error.'),
    pssVersion: z
      .string()
      .default('latest')
      .refine((v) => parseKubeVersion(v) !== undefined, { message: 'expected a Kubernetes minor version such as "v1.33", or "latest"' })
      .describe('Pod Security Standards version, like the `pod-security.kubernetes.io/enforce-version` label.'),
  })
  .strict();

export interface MinprivConfig {
  include: string[];
  exclude: string[];
  profile: ProfileName;
  rules: Record<string, RuleSetting>;
  failOn: Severity;
  scope: Scope;
  comments: { max: number };
  suggestions: boolean;
  onError: OnError;
  pssVersion: KubeVersion;
  maxFileBytes: number;
}

/** One problem in a config file: the dotted key, why it is wrong and, for a scalar, the value given. */
export interface ConfigIssue {
  key: string;
  message: string;
  /** The bad value as JSON (`"hgih"`), so the summary can show what was written. */
  value?: string;
  /** The file itself is not valid YAML (the key is then `(file)`), with the position when the parser gave it. */
  yaml?: { line?: number; column?: number };
}

export type ConfigResult = { ok: true; config: MinprivConfig } | { ok: false; issues: ConfigIssue[] };

/** Validate a parsed config (null or undefined: no file, all defaults). Never throws. */
export function parseConfig(raw: unknown): ConfigResult {
  const parsed = configSchema.safeParse(raw ?? {}, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.flatMap(toIssues) };
  const v = parsed.data;
  return {
    ok: true,
    config: {
      include: v.include ?? DEFAULT_INCLUDE,
      // Only the default include leaves out .github/: a user's own include says exactly what to scan.
      exclude: v.include === undefined ? [...v.exclude, DEFAULT_EXCLUDE] : v.exclude,
      profile: v.profile,
      rules: v.rules,
      failOn: v.failOn,
      scope: v.scope,
      comments: { max: v.comments.max },
      suggestions: v.suggestions === true || v.suggestions === 'on',
      onError: v.onError,
      pssVersion: parseKubeVersion(v.pssVersion) as KubeVersion,
      maxFileBytes: v.maxFileBytes,
    },
  };
}

export const DEFAULT_CONFIG: MinprivConfig = (parseConfig({}) as { config: MinprivConfig }).config;

function toIssues(issue: z.core.$ZodIssue): ConfigIssue[] {
  const at = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(at);
    return issue.keys.map((k) => ({ key: [...at, k].join('.'), message: `unknown key${didYouMean(k, known)}` }));
  }
  if (issue.code === 'invalid_key') {
    // A record key: the path already ends with the key, so only rule ids get a hint.
    const key = at.join('.');
    const hint = at[0] === 'rules' && typeof issue.input === 'string' ? didYouMean(issue.input, [...KNOWN_RULES]) : '';
    return issue.issues.map((i) => ({ key, message: `${i.message}${hint}` }));
  }
  const out: ConfigIssue = { key: at.length > 0 ? at.join('.') : '(root)', message: issue.message };
  if (issue.code === 'invalid_value') {
    const values = issue.values.map(String);
    out.message = `expected one of ${values.map((v) => `\`${v}\``).join(', ')}`;
    if (typeof issue.input === 'string') out.message += didYouMean(issue.input, values);
  }
  const value = scalarText(issue.input);
  if (value !== undefined) out.value = value;
  return [out];
}

/** The keys a strict object of the schema accepts at a path (root, `comments`), for "did you mean". */
function knownKeysAt(path: readonly string[]): string[] {
  if (path.length === 0) return Object.keys(configSchema.shape);
  if (path.length === 1 && path[0] === 'comments') return ['max'];
  return [];
}

function scalarText(v: unknown): string | undefined {
  if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) {
    const text = JSON.stringify(v);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  }
  return undefined;
}

/** `; did you mean \`x\`?` for the closest candidate (a small edit distance, or one name a part of the other), else ''. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const word = input.toLowerCase();
  let best: { name: string; score: number } | undefined;
  for (const name of candidates) {
    const c = name.toLowerCase();
    const d = editDistance(word, c);
    // `privileged` for `privileged-container`: a whole prefix or part of the id is as good as a typo.
    const part = word.length >= 4 && (c.startsWith(word) || c.split('-').includes(word) || word.startsWith(c));
    const score = d <= Math.max(1, Math.floor(word.length / 3)) ? d : part ? 10 + d : Number.POSITIVE_INFINITY;
    if (score < (best?.score ?? Number.POSITIVE_INFINITY)) best = { name, score };
  }
  return best ? `; did you mean \`${best.name}\`?` : '';
}

/** Edit distance with adjacent transpositions (`hgih` → `high` is 1); keys and rule ids are short, so a plain table is enough. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => (d[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = v;
    }
  }
  return at(a.length, b.length);
}
/** The JSON Schema of the config file, for editors (schema/minpriv.schema.json is generated from it). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, title: 'minpriv configuration (.github/minpriv.yml)' };
}

/** The scan options a config selects. */
export function scanOptionsOf(config: MinprivConfig): ScanOptions {
  return { profile: config.profile, rules: config.rules, pssVersion: config.pssVersion, limits: { maxBytes: config.maxFileBytes } };
}

/** A predicate for the files a config selects (include, then exclude; dotfiles match). */
export function fileMatcher(config: Pick<MinprivConfig, 'include' | 'exclude'>): (path: string) => boolean {
  const include = picomatch(config.include, { dot: true });
  const exclude = config.exclude.length > 0 ? picomatch(config.exclude, { dot: true }) : () => false;
  return (path) => include(path) && !exclude(path);
}
