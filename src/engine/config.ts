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
/** What a draft pull request gets: the check run only (`check`), the check and the review (`review`), or nothing (`skip`). */
export const DRAFT_MODES = ['check', 'review', 'skip'] as const;
export type DraftMode = (typeof DRAFT_MODES)[number];
/** Annotations written per check run by default, and at most (each 50 is one more write). */
export const DEFAULT_ANNOTATIONS_MAX = 500;
export const ANNOTATIONS_MAX_LIMIT = 1000;

const KNOWN_RULES = builtinRegistry.names;
const DEFAULT_INCLUDE = ['**/*.yaml', '**/*.yml'];
const DEFAULT_EXCLUDE = '.github/**';
/** Per-file byte cap: the parser's default, and the most a config may raise it to. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const MAX_FILE_BYTES_LIMIT = 10 * 1024 * 1024;
export const DEFAULT_MAX_PULL_REQUEST_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_FINDINGS_PER_FILE = 100;
const severity = z.enum(SEVERITIES as [Severity, ...Severity[]]);
const glob = z.string().min(1, 'a glob cannot be empty');
const imagePrefix = z
  .string()
  .min(1, 'a registry prefix cannot be empty')
  .refine((v) => !/:\/\/|\s/.test(v), { message: 'expected a registry or repository prefix such as `registry.corp.example/team`, without a scheme' });
const IMAGES_DEFAULT = { allowedRegistries: [], disallowedTags: ['latest'], requireDigest: false, digestExempt: [], mirrors: {} };
const imagesSchema = z
  .object({
    allowedRegistries: z
      .array(imagePrefix)
      .default([])
      .describe(
        'Registries or repository prefixes images may come from (`image-registry`), matched on the canonical name (`nginx` is `docker.io/library/nginx`) at whole components: `gcr.io` does not allow `evilgcr.io`. Empty: any registry.',
      ),
    disallowedTags: z
      .array(z.string().min(1, 'a tag cannot be empty'))
      .default(['latest'])
      .describe('Tags that move (`image-mutable-tag`, `image-pull-policy`); an image without a tag or digest always counts as mutable.'),
    requireDigest: z
      .boolean()
      .default(false)
      .describe('Report images not pinned by digest (`image-digest`) under every profile; the `minpriv` profile reports them anyway.'),
    digestExempt: z
      .array(glob)
      .default([])
      .describe('Globs (picomatch) on the canonical image name (`registry.corp.example/dev/**`) of images that need no digest; a plain prefix works too.'),
    mirrors: z
      .record(imagePrefix, imagePrefix)
      .default({})
      .describe(
        'Registry or repository prefix → the prefix of its mirror (`docker.io: registry.corp.example/dockerhub`): images under a key get a safe fix that rewrites them to the mirror (`image-deprecated-registry`).',
      ),
  })
  .strict();

/** The external scanners (`src/scanners/`), by their key in the config. */
export const SCANNER_KEYS = ['kubescape', 'trivy', 'kubeLinter', 'datree'] as const;
export type ScannerKey = (typeof SCANNER_KEYS)[number];
/** Seconds one scanner may run on one review, by default and at most. */
export const DEFAULT_SCANNER_TIMEOUT_SECONDS = 120;
export const SCANNER_TIMEOUT_LIMIT_SECONDS = 600;
const SCANNER_NAMES: Record<ScannerKey, string> = {
  kubescape: 'Kubescape',
  trivy: 'Trivy (`trivy config`, offline)',
  kubeLinter: 'kube-linter',
  datree: 'Datree in offline mode (the project is archived: supported as long as its binary runs)',
};
const scannerFields = (key: ScannerKey) => ({
  enabled: z.boolean().default(false).describe(`Run ${SCANNER_NAMES[key]} on the changed manifests and merge its results into minpriv's findings.`),
  binary: z
    .string()
    .min(1)
    .optional()
    .describe('Executable name or path (default: the tool name, looked up on PATH). Read by the CLI only: the app runs the binaries on its own PATH.'),
  args: z
    .array(z.string())
    .max(32)
    .default([])
    .describe("Extra arguments, placed before the files. Read by the CLI only: the app passes minpriv's own arguments and nothing else."),
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(SCANNER_TIMEOUT_LIMIT_SECONDS)
    .default(DEFAULT_SCANNER_TIMEOUT_SECONDS)
    .describe('Seconds the tool may run per review; a run past it is stopped and counts as an error (see `onError`).'),
});
const SCANNER_DEFAULT = { enabled: false, args: [], timeoutSeconds: DEFAULT_SCANNER_TIMEOUT_SECONDS };
const SCANNERS_DEFAULT = { kubescape: { ...SCANNER_DEFAULT, frameworks: [] }, trivy: SCANNER_DEFAULT, kubeLinter: SCANNER_DEFAULT, datree: SCANNER_DEFAULT };
const scannersSchema = z
  .object({
    kubescape: z
      .object({
        ...scannerFields('kubescape'),
        frameworks: z
          .array(z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'expected a framework name such as `nsa`, `mitre` or `cis-v1.23-t1.0.1`'))
          .max(20)
          .default([])
          .describe('Kubescape frameworks to scan with (`kubescape scan framework nsa,mitre`); empty: its default set.'),
      })
      .strict()
      .default(SCANNERS_DEFAULT.kubescape),
    trivy: z.object(scannerFields('trivy')).strict().default(SCANNER_DEFAULT),
    kubeLinter: z.object(scannerFields('kubeLinter')).strict().default(SCANNER_DEFAULT),
    datree: z.object(scannerFields('datree')).strict().default(SCANNER_DEFAULT),
  })
  .strict();

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
    rbac: z
      .object({
        failOnNewRisky: z
          .boolean()
          .default(true)
          .describe(
            'Fail the check when the change grants a subject a risky permission it did not have (the RBAC permission diff), even when no rule in scope fires.',
          ),
        maxFiles: z
          .number()
          .int()
          .min(1)
          .max(50_000)
          .default(5000)
          .describe(
            'Most YAML files of the repository read at base and at head for the permission diff; the files the change touched are always read, the rest by path; the summary says when the cap was hit.',
          ),
      })
      .strict()
      .default({ failOnNewRisky: true, maxFiles: 5000 })
      .describe('The RBAC permission diff: what the change grants and removes, per ServiceAccount, user and group.'),
    failOnExisting: z
      .boolean()
      .default(false)
      .describe(
        'Fail on findings the change did not introduce too (already present in the base version of the changed files). Default: only new findings fail the check; the others are listed as already present.',
      ),
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
    maxPullRequestBytes: z
      .number()
      .int()
      .min(1024 * 1024)
      .max(256 * 1024 * 1024)
      .default(DEFAULT_MAX_PULL_REQUEST_BYTES)
      .describe(
        'Most bytes of changed files read and scanned per pull request (32 MiB by default), in the order GitHub lists them; the files past it are errors, named in the summary.',
      ),
    maxFindingsPerFile: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(DEFAULT_MAX_FINDINGS_PER_FILE)
      .describe('Most findings shown per file, the most severe first (100 by default); the rest are counted in the summary and still decide the conclusion.'),
    pssVersion: z
      .string()
      .default('latest')
      .refine((v) => parseKubeVersion(v) !== undefined, { message: 'expected a Kubernetes minor version such as "v1.33", or "latest"' })
      .describe('Pod Security Standards version, like the `pod-security.kubernetes.io/enforce-version` label.'),
    drafts: z
      .enum(DRAFT_MODES)
      .default('check')
      .describe(
        'Draft pull requests: `check` (the check run, no inline suggestions until marked ready for review), `review` (like any pull request) or `skip` (nothing until ready).',
      ),
    annotations: z
      .object({
        max: z
          .number()
          .int()
          .min(0)
          .max(ANNOTATIONS_MAX_LIMIT)
          .default(DEFAULT_ANNOTATIONS_MAX)
          .describe('Most annotations written on the check run, the most severe first; the summary counts the rest.'),
      })
      .strict()
      .default({ max: DEFAULT_ANNOTATIONS_MAX }),
    images: imagesSchema.default(IMAGES_DEFAULT).describe('Image policy: trusted registries, mutable tags, digest pinning and mirrors.'),
    scanners: scannersSchema
      .default(SCANNERS_DEFAULT)
      .describe(
        'External scanners run on the changed manifests when installed (all off by default): their results are merged into minpriv findings ("also: Trivy KSV-0017") or reported as findings of their own (`trivy/KSV-0014`).',
      ),
  })
  .strict();

export interface MinprivConfig {
  include: string[];
  exclude: string[];
  profile: ProfileName;
  rules: Record<string, RuleSetting>;
  failOn: Severity;
  failOnExisting: boolean;
  rbac: { failOnNewRisky: boolean; maxFiles: number };
  scope: Scope;
  comments: { max: number };
  suggestions: boolean;
  onError: OnError;
  pssVersion: KubeVersion;
  maxFileBytes: number;
  maxPullRequestBytes: number;
  maxFindingsPerFile: number;
  drafts: DraftMode;
  annotations: { max: number };
  images: ImagesConfig;
  scanners: ScannersConfig;
}

/** One external scanner's settings, defaults applied. */
export interface ScannerConfig {
  enabled: boolean;
  binary?: string;
  args: string[];
  timeoutSeconds: number;
}

/** The `scanners:` block, defaults applied. */
export interface ScannersConfig {
  kubescape: ScannerConfig & { frameworks: string[] };
  trivy: ScannerConfig;
  kubeLinter: ScannerConfig;
  datree: ScannerConfig;
}

/** The `images:` block, defaults applied. */
export interface ImagesConfig {
  allowedRegistries: string[];
  disallowedTags: string[];
  requireDigest: boolean;
  digestExempt: string[];
  mirrors: Record<string, string>;
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
      failOnExisting: v.failOnExisting,
      rbac: { failOnNewRisky: v.rbac.failOnNewRisky, maxFiles: v.rbac.maxFiles },
      scope: v.scope,
      comments: { max: v.comments.max },
      suggestions: v.suggestions === true || v.suggestions === 'on',
      onError: v.onError,
      pssVersion: parseKubeVersion(v.pssVersion) as KubeVersion,
      maxFileBytes: v.maxFileBytes,
      maxPullRequestBytes: v.maxPullRequestBytes,
      maxFindingsPerFile: v.maxFindingsPerFile,
      drafts: v.drafts,
      annotations: { max: v.annotations.max },
      images: { ...v.images, mirrors: { ...v.images.mirrors } },
      scanners: {
        kubescape: { ...v.scanners.kubescape, args: [...v.scanners.kubescape.args], frameworks: [...v.scanners.kubescape.frameworks] },
        trivy: { ...v.scanners.trivy, args: [...v.scanners.trivy.args] },
        kubeLinter: { ...v.scanners.kubeLinter, args: [...v.scanners.kubeLinter.args] },
        datree: { ...v.scanners.datree, args: [...v.scanners.datree.args] },
      },
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
  if (path.length === 1 && (path[0] === 'comments' || path[0] === 'annotations')) return ['max'];
  if (path.length === 1 && path[0] === 'images') return Object.keys(imagesSchema.shape);
  if (path[0] === 'scanners' && path.length === 1) return [...SCANNER_KEYS];
  if (path[0] === 'scanners' && path.length === 2) return [...Object.keys(SCANNER_DEFAULT), 'binary', ...(path[1] === 'kubescape' ? ['frameworks'] : [])];
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

/**
 * The scan options a config selects. `now` (today, ISO date) makes suppressions expire; the scan never reads
 * the clock, so the CLI and the app pass it.
 */
export function scanOptionsOf(config: MinprivConfig, now?: string): ScanOptions {
  const out: ScanOptions = {
    profile: config.profile,
    rules: config.rules,
    pssVersion: config.pssVersion,
    limits: { maxBytes: config.maxFileBytes },
    images: config.images,
  };
  if (now !== undefined) out.now = now;
  return out;
}

/** A predicate for the files a config selects (include, then exclude; dotfiles match). */
export function fileMatcher(config: Pick<MinprivConfig, 'include' | 'exclude'>): (path: string) => boolean {
  const include = picomatch(config.include, { dot: true });
  const exclude = config.exclude.length > 0 ? picomatch(config.exclude, { dot: true }) : () => false;
  return (path) => include(path) && !exclude(path);
}
