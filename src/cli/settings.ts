import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { MinprivError, type Severity } from '../core/types.js';
import { formatKubeVersion, type KubeVersion, LATEST_PSS_VERSION, parseKubeVersion } from '../core/version.js';
import { DEFAULT_CONFIG, fileMatcher, type MinprivConfig, parseConfig, scanOptionsOf } from '../engine/config.js';
import { isProfileName, PROFILES } from '../engine/profiles.js';
import type { ScanOptions } from '../engine/scan.js';
import { DEFAULT_LIMITS } from '../yaml/parse.js';

export const CONFIG_FILE = '.github/minpriv.yml';
export const FAIL_ON = ['critical', 'high', 'medium', 'low', 'info', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** The options `scan` and `fix` share, for `node:util` parseArgs. */
export const SHARED_OPTIONS = {
  profile: { type: 'string' },
  'pss-version': { type: 'string' },
  'fail-on': { type: 'string' },
  'max-bytes': { type: 'string' },
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const SHARED_HELP = `  --profile NAME        ${PROFILES.join(' | ')} (default: the config's, else pss-restricted)
  --pss-version V       Pod Security Standards version: v1.NN or latest (default: the config's, else latest = ${formatKubeVersion(LATEST_PSS_VERSION)})
  --fail-on S           ${FAIL_ON.join(' | ')} (default: the config's failOn, else medium)
  --max-bytes N         per-file byte cap (default: the config's maxFileBytes, else ${DEFAULT_LIMITS.maxBytes})
  --config FILE         configuration file (default: the nearest ${CONFIG_FILE} in this folder or above)
  --no-config           ignore any configuration file: defaults and flags only`;

export interface SharedFlags {
  profile?: string;
  'pss-version'?: string;
  'fail-on'?: string;
  'max-bytes'?: string;
  config?: string;
  'no-config'?: boolean;
}

/** What a command runs with: the config file (if any) with the flags on top. */
export interface RunSettings {
  scan: ScanOptions;
  failOn: FailOn;
  maxBytes: number;
  /** The configuration file read (absolute), if any. */
  configPath?: string;
  /**
   * Whether a file found by walking a folder is scanned: the config's include/exclude, relative to the
   * folder that holds `.github/`; the config file itself never. Files named on the command line always are.
   */
  selects(absPath: string): boolean;
}

export function usage(message: string): MinprivError {
  return new MinprivError('USAGE', message);
}

/** parseArgs errors in one line (it explains itself at length, for scripts). */
export function argsError(err: unknown): MinprivError {
  const code = (err as { code?: string }).code;
  const msg = err instanceof Error ? err.message : String(err);
  const opt = /'(-[^']*)'/.exec(msg)?.[1];
  if ((code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || /unknown/i.test(msg)) && opt) return usage(`unknown option "${opt}"`);
  return usage((msg.split(/\.\s|\n/)[0] as string).replace(/\.$/, ''));
}

/** The nearest `.github/minpriv.yml` in `cwd` or a folder above it. */
export function findConfig(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function readConfigFile(file: string): MinprivConfig {
  let raw: unknown;
  try {
    raw = load(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message.split('\n')[0] : String(err));
    throw new MinprivError('CONFIG', `cannot read ${file}: ${why}`);
  }
  const parsed = parseConfig(raw);
  if (!parsed.ok) {
    const issues = parsed.issues.map((i) => `${i.key}: ${i.message}`).join('; ');
    throw new MinprivError('CONFIG', `invalid ${file}: ${issues}`);
  }
  return parsed.config;
}

/** One function from config file + flags to run settings, for every command. Flags win over the file. */
export function runSettings(flags: SharedFlags, cwd: string): RunSettings {
  if (flags['no-config'] && flags.config !== undefined) throw usage('give --config or --no-config, not both');
  const configPath = flags['no-config'] ? undefined : flags.config !== undefined ? path.resolve(cwd, flags.config) : findConfig(cwd);
  const config = configPath ? readConfigFile(configPath) : DEFAULT_CONFIG;
  const profile = flags.profile ?? config.profile;
  if (!isProfileName(profile)) throw usage(`invalid value for --profile: "${profile}" (expected ${PROFILES.join(', ')})`);
  let pssVersion: KubeVersion | undefined = config.pssVersion;
  if (flags['pss-version'] !== undefined) pssVersion = parseKubeVersion(flags['pss-version']);
  if (!pssVersion) {
    throw usage(`invalid value for --pss-version: "${flags['pss-version']}" (expected v1.NN up to ${formatKubeVersion(LATEST_PSS_VERSION)}, or latest)`);
  }
  const failOn = (flags['fail-on'] ?? config.failOn) as FailOn;
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw usage(`invalid value for --fail-on: "${failOn}" (expected ${FAIL_ON.join(', ')})`);
  let maxBytes = configPath ? config.maxFileBytes : DEFAULT_LIMITS.maxBytes;
  const bytes = flags['max-bytes'];
  if (bytes !== undefined) {
    if (!/^\d+$/.test(bytes) || Number(bytes) < 1) throw usage(`invalid value for --max-bytes: "${bytes}" (expected a positive whole number of bytes)`);
    maxBytes = Number(bytes);
  }
  // Today, for suppressions with an expiry date: read here, at the edge, never inside the engine.
  const scan: ScanOptions = { ...scanOptionsOf(config, new Date().toISOString().slice(0, 10)), profile, pssVersion, limits: { maxBytes } };
  const settings: RunSettings = { scan, failOn, maxBytes, selects: () => true };
  if (configPath) {
    settings.configPath = configPath;
    // The repository root: the folder that holds `.github/` (or the --config file's folder).
    const root = path.basename(path.dirname(configPath)) === '.github' ? path.dirname(path.dirname(configPath)) : path.dirname(configPath);
    const match = fileMatcher(config);
    settings.selects = (abs) => {
      if (path.resolve(abs) === configPath) return false;
      const rel = path.relative(root, abs).split(path.sep).join('/');
      return rel.startsWith('../') || path.isAbsolute(rel) ? true : match(rel);
    };
  }
  return settings;
}

export const failOnSeverity = (f: FailOn): Severity | undefined => (f === 'none' ? undefined : f);
