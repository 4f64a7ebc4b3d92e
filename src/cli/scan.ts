import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TOOL_VERSION } from '../core/links.js';
import { MinprivError, type ScanResult, type Severity, severityRank } from '../core/types.js';
import { formatKubeVersion, type KubeVersion, LATEST_PSS_VERSION, parseKubeVersion } from '../core/version.js';
import { DEFAULT_PROFILE, isProfileName, PROFILES, type ProfileName } from '../engine/profiles.js';
import { scan } from '../engine/scan.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import yamlSyntax from '../rules/yaml-syntax.js';
import { readPaths } from '../sources/paths.js';
import { DEFAULT_LIMITS } from '../yaml/parse.js';
import type { Command, CommandIO } from './io.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
const FAIL_ON = ['critical', 'high', 'medium', 'low', 'none'] as const;
type FailOn = (typeof FAIL_ON)[number];

export const SCAN_HELP = `usage: minpriv scan [options] [PATH...|-]

Scan Kubernetes manifests: files, folders (recursively, *.yaml and *.yml) or - for standard input.
With no PATH, the current folder is scanned.

options:
  --profile NAME        ${PROFILES.join(' | ')} (default: ${DEFAULT_PROFILE})
  --pss-version V       Pod Security Standards version: v1.NN or latest (default: latest = ${formatKubeVersion(LATEST_PSS_VERSION)})
  --format F            text | json | sarif (default: text)
  --fail-on S           critical | high | medium | low | none (default: medium)
  --output FILE         write the report to FILE instead of standard output
  --show-suppressed     list suppressed findings too (text format; json and sarif always include them)
  --max-bytes N         per-file byte cap (default: ${DEFAULT_LIMITS.maxBytes}); larger files are a yaml-syntax finding
  -h, --help            show this help

exit status: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage or I/O error.
`;

interface ScanArgs {
  paths: string[];
  profile: ProfileName;
  pssVersion: KubeVersion;
  format: Format;
  failOn: FailOn;
  output?: string;
  showSuppressed: boolean;
  maxBytes: number;
  help: boolean;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new MinprivError('USAGE', `invalid value for --${flag}: "${value}" (expected ${allowed.join(', ')})`);
}

export function parseScanArgs(argv: string[]): ScanArgs {
  let parsed: ReturnType<typeof parse>;
  const parse = (a: string[]) =>
    parseArgs({
      args: a,
      allowPositionals: true,
      strict: true,
      options: {
        profile: { type: 'string' },
        'pss-version': { type: 'string' },
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        output: { type: 'string', short: 'o' },
        'show-suppressed': { type: 'boolean' },
        'max-bytes': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  try {
    parsed = parse(argv);
  } catch (err) {
    // parseArgs explains itself at length, for scripts; one line is enough here.
    const code = (err as { code?: string }).code;
    const msg = err instanceof Error ? err.message : String(err);
    const opt = /'(-[^']*)'/.exec(msg)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && opt) throw new MinprivError('USAGE', `unknown option "${opt}"`);
    throw new MinprivError('USAGE', (msg.split(/\.\s|\n/)[0] as string).replace(/\.$/, ''));
  }
  const v = parsed.values;
  const profile = v.profile ?? DEFAULT_PROFILE;
  if (!isProfileName(profile)) throw new MinprivError('USAGE', `invalid value for --profile: "${profile}" (expected ${PROFILES.join(', ')})`);
  const pssVersion = v['pss-version'] === undefined ? LATEST_PSS_VERSION : parseKubeVersion(v['pss-version']);
  if (!pssVersion)
    throw new MinprivError(
      'USAGE',
      `invalid value for --pss-version: "${v['pss-version']}" (expected v1.NN up to ${formatKubeVersion(LATEST_PSS_VERSION)}, or latest)`,
    );
  let maxBytes = DEFAULT_LIMITS.maxBytes;
  if (v['max-bytes'] !== undefined) {
    if (!/^\d+$/.test(v['max-bytes']) || Number(v['max-bytes']) < 1) {
      throw new MinprivError('USAGE', `invalid value for --max-bytes: "${v['max-bytes']}" (expected a positive whole number of bytes)`);
    }
    maxBytes = Number(v['max-bytes']);
  }
  const out: ScanArgs = {
    paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    profile,
    pssVersion,
    format: oneOf('format', v.format, FORMATS, 'text'),
    failOn: oneOf('fail-on', v['fail-on'], FAIL_ON, 'medium'),
    showSuppressed: v['show-suppressed'] ?? false,
    maxBytes,
    help: v.help ?? false,
  };
  if (v.output !== undefined) {
    if (v.output === '') throw new MinprivError('USAGE', '--output needs a file name');
    out.output = v.output;
  }
  return out;
}

/** True when some active finding is at or above the threshold. */
export function failsAt(result: ScanResult, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const threshold = severityRank(failOn as Severity);
  return result.findings.some((f) => severityRank(f.severity) >= threshold);
}

function useColor(io: CommandIO, toFile: boolean): boolean {
  return !toFile && io.stdout.isTTY === true && io.env.NO_COLOR === undefined;
}

export const run: Command = async (argv, io) => {
  let args: ScanArgs;
  try {
    args = parseScanArgs(argv);
  } catch (err) {
    io.stderr.write(`minpriv: ${err instanceof Error ? err.message : String(err)} (see minpriv scan --help)\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(SCAN_HELP);
    return 0;
  }
  try {
    const read = await readPaths(args.paths, { cwd: io.cwd, maxBytes: args.maxBytes, stdin: io.stdin });
    // Reports need findings only: let each file's parse go once it is scanned.
    const output = scan(read.files, {
      profile: args.profile,
      pssVersion: args.pssVersion,
      limits: { maxBytes: args.maxBytes },
      keepParsed: false,
      contextFiles: read.context,
    });
    const result: ScanResult = { ...output, notices: [...read.notices, ...output.notices] };
    const report = render(result, args, [...output.rules, yamlSyntax], useColor(io, args.output !== undefined), io.cwd);
    if (args.output !== undefined) {
      const target = args.output;
      await writeFile(path.resolve(io.cwd, target), report).catch((err: NodeJS.ErrnoException) => {
        const why = err.code === 'ENOENT' ? 'no such folder' : err.code === 'EACCES' ? 'permission denied' : err.message;
        throw new MinprivError('IO', `cannot write ${target}: ${why}`, { cause: err });
      });
    } else io.stdout.write(report);
    return failsAt(result, args.failOn) ? 1 : 0;
  } catch (err) {
    io.stderr.write(`minpriv: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
};

function render(result: ScanResult, args: ScanArgs, rules: Parameters<typeof renderSarif>[1]['rules'], color: boolean, root: string): string {
  if (args.format === 'json') {
    const settings = { profile: args.profile, pssVersion: formatKubeVersion(args.pssVersion), failOn: args.failOn };
    return renderJson(result, { toolVersion: TOOL_VERSION, settings });
  }
  if (args.format === 'sarif') return renderSarif(result, { toolVersion: TOOL_VERSION, rules, root });
  return renderText(result, { color, showSuppressed: args.showSuppressed });
}
