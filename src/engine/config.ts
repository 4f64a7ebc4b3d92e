import picomatch from 'picomatch';
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../core/types.js';
import { type KubeVersion, parseKubeVersion } from '../core/version.js';
import { allRules } from '../rules/index.js';
import { DEFAULT_PROFILE, PROFILES, type ProfileName } from './profiles.js';
import type { RuleSetting, ScanOptions } from './scan.js';

/** Which findings a change is answerable for (see src/diff/scope.ts). */
export const SCOPES = ['changed-lines', 'changed-resources', 'changed-files'] as const;
export type Scope = (typeof SCOPES)[number];
export type OnError = 'fail' | 'neutral';

const KNOWN_RULES = new Set(allRules.flatMap((r) => [r.id, ...(r.meta.aliases ?? [])]));
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
    profile: z.enum(PROFILES).default(DEFAULT_PROFILE).describe('Rule set to run.'),
    rules: z
      .record(
        z.string().refine((id) => KNOWN_RULES.has(id), { message: 'unknown rule id (see `minpriv rules`)' }),
        z.enum(['off', ...SEVERITIES] as [RuleSetting, ...RuleSetting[]]),
      )
      .default({})
      .describe('Per rule id: `off`, or the severity to report it with.'),
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

/** One problem in a config file: the dotted key and why it is wrong. */
export interface ConfigIssue {
  key: string;
  message: string;
}

export type ConfigResult = { ok: true; config: MinprivConfig } | { ok: false; issues: ConfigIssue[] };

/** Validate a parsed config (null or undefined: no file, all defaults). Never throws. */
export function parseConfig(raw: unknown): ConfigResult {
  const parsed = configSchema.safeParse(raw ?? {});
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
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => ({ key: [...at, k].join('.'), message: 'unknown key' }));
  if (issue.code === 'invalid_key') return issue.issues.map((i) => ({ key: at.join('.'), message: i.message }));
  return [{ key: at.length > 0 ? at.join('.') : '(root)', message: issue.message }];
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
