import { EventEmitter, once } from 'node:events';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { load } from 'js-yaml';
import { docsUrlFromEnv, TOOL_VERSION } from '../core/links.js';
import { MinprivError, type ScanResult, type Severity, severityRank } from '../core/types.js';
import { formatKubeVersion, LATEST_PSS_VERSION } from '../core/version.js';
import { parseConfig, SCANNER_KEYS } from '../engine/config.js';
import { scan } from '../engine/scan.js';
import { renderJsonChunks } from '../report/json.js';
import { renderSarifChunks } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import type { FindingProvider } from '../review/check.js';
import yamlSyntax from '../rules/yaml-syntax.js';
import { SCANNER_TOOLS, type ScannerTool } from '../scanners/types.js';
import { readPaths } from '../sources/paths.js';
import type { Command, CommandIO } from './io.js';
import { scanInThreads, scanThreadCount, threadedFiles } from './scan-threads.js';
import { argsError, type FailOn, type RunSettings, runSettings, SHARED_HELP, SHARED_OPTIONS, type SharedFlags } from './settings.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export const SCAN_HELP = `usage: minpriv scan [options] [PATH...|-]

Scan Kubernetes manifests: files, folders (recursively, *.yaml and *.yml) or - for standard input.
With no PATH, the current folder is scanned. The nearest .github/minpriv.yml (in the current folder
or above) configures the scan as it configures the app: profile, rules, failOn, include/exclude.

options:
${SHARED_HELP}
  --format F            text | json | sarif (default: text)
  --output FILE         write the report to FILE instead of standard output
  --show-suppressed     list suppressed findings too (text format; json and sarif always include them)
  --threads N           scan on N threads (default: MINPRIV_SCAN_THREADS, else the number of cores; 0 or 1:
                        one). Used only when no rule reads other objects and no external scanner runs,
                        for inputs of a few MB or more; the report is the same
  --scanner TOOL        also run an external scanner on the files: ${SCANNER_TOOLS.join(' | ')} (repeatable);
                        the config's \`scanners\` block enables them too. A tool not installed is a notice
  -h, --help            show this help

exit status: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage, config or I/O error.
`;

interface ScanArgs {
  paths: string[];
  scanners: ScannerTool[];
  format: Format;
  output?: string;
  showSuppressed: boolean;
  threads?: string;
  flags: SharedFlags;
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
        ...SHARED_OPTIONS,
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        'show-suppressed': { type: 'boolean' },
        scanner: { type: 'string', multiple: true },
        threads: { type: 'string' },
      },
    });
  try {
    parsed = parse(argv);
  } catch (err) {
    throw argsError(err);
  }
  const v = parsed.values;
  // As `scannerFlags` of scanners/provider.ts, which is loaded only when a scanner runs.
  const invalid = (v.scanner ?? []).find((t) => !(SCANNER_TOOLS as readonly string[]).includes(t));
  if (invalid !== undefined) throw new MinprivError('USAGE', `invalid value for --scanner: "${invalid}" (expected ${SCANNER_TOOLS.join(', ')})`);
  const out: ScanArgs = {
    paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    scanners: [...new Set(v.scanner ?? [])] as ScannerTool[],
    format: oneOf('format', v.format, FORMATS, 'text'),
    showSuppressed: v['show-suppressed'] ?? false,
    ...(v.threads !== undefined ? { threads: v.threads } : {}),
    flags: v,
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
  let settings: RunSettings;
  let threads: number;
  try {
    args = parseScanArgs(argv);
    if (args.help) {
      io.stdout.write(SCAN_HELP);
      return 0;
    }
    settings = runSettings(args.flags, io.cwd);
    threads = scanThreadCount(args.threads, io.env);
  } catch (err) {
    const usage = err instanceof MinprivError && err.code === 'USAGE';
    io.stderr.write(`minpriv: ${err instanceof Error ? err.message : String(err)}${usage ? ' (see minpriv scan --help)' : ''}\n`);
    return 2;
  }
  try {
    const providers = await scannerProviders(settings, args.scanners);
    const alone = providers.length === 0;
    // Without scanners (which read the files again), each file is read as it is scanned.
    const read = await readPaths(args.paths, { cwd: io.cwd, maxBytes: settings.maxBytes, stdin: io.stdin, selects: settings.selects, lazy: alone });
    // Reports need findings only: let each file's parse go once it is scanned, and keep of each finding what a
    // report prints (scanners place their results with the parses and merge into whole findings).
    const options = { ...settings.scan, contextFiles: read.context };
    const disk = alone ? threadedFiles(read.files, options, threads) : undefined;
    const output = disk
      ? await scanInThreads(read.files, disk, options, threads)
      : alone
        ? scan(read.files, { ...options, keepParsed: false, reportOnly: true })
        : await (await import('../review/check.js')).check(read.files, options, providers);
    const result: ScanResult = { ...output, notices: [...read.notices, ...output.notices] };
    const color = useColor(io, args.output !== undefined);
    const report = render(result, args, settings, [...output.rules, yamlSyntax], color, io.cwd, docsUrlFromEnv(io.env));
    if (args.output !== undefined) {
      const target = args.output;
      await writeChunks(path.resolve(io.cwd, target), report).catch((err: NodeJS.ErrnoException) => {
        const why = err.code === 'ENOENT' ? 'no such folder' : err.code === 'EACCES' ? 'permission denied' : err.message;
        throw new MinprivError('IO', `cannot write ${target}: ${why}`, { cause: err });
      });
    } else await writeOut(io.stdout, report);
    // Files not scanned at all (over the byte cap) are said on stderr too when the report is not text on the terminal.
    const unscanned = result.notices.filter((n) => n.kind === 'skipped' && n.error === true);
    if (unscanned.length > 0 && (args.format !== 'text' || args.output !== undefined)) {
      for (const n of unscanned) io.stderr.write(`minpriv: warning: ${n.file}: ${n.message}\n`);
    }
    return failsAt(result, settings.failOn) ? 1 : 0;
  } catch (err) {
    io.stderr.write(`minpriv: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
};

/**
 * The scanners the config enables and the flags add; the config file is the user's own, so its paths and
 * arguments count. The scanners' code (and execa) is loaded only when one is enabled.
 */
async function scannerProviders(settings: RunSettings, tools: readonly ScannerTool[]): Promise<FindingProvider[]> {
  let raw: unknown = null;
  // runSettings read and validated the file already.
  if (settings.configPath) raw = load(readFileSync(settings.configPath, 'utf8'));
  if (tools.length === 0) {
    const parsed = parseConfig(raw);
    if (!parsed.ok || !SCANNER_KEYS.some((key) => parsed.config.scanners[key].enabled)) return [];
  }
  const { enableScanners, providersFromConfig } = await import('../scanners/provider.js');
  const parsed = parseConfig(enableScanners(raw, tools));
  return parsed.ok ? providersFromConfig(parsed.config, { trusted: true }) : [];
}

/** The report as chunks: JSON and SARIF are written as they are made, never as one string. */
function render(
  result: ScanResult,
  args: ScanArgs,
  run: RunSettings,
  rules: Parameters<typeof renderSarifChunks>[1]['rules'],
  color: boolean,
  root: string,
  docsUrl: string | undefined,
): Iterable<string> {
  if (args.format === 'json') {
    const settings = {
      profile: run.scan.profile as string,
      pssVersion: formatKubeVersion(run.scan.pssVersion ?? LATEST_PSS_VERSION),
      failOn: run.failOn,
    };
    return renderJsonChunks(result, { toolVersion: TOOL_VERSION, settings });
  }
  if (args.format === 'sarif') return renderSarifChunks(result, { toolVersion: TOOL_VERSION, rules, root, ...(docsUrl ? { docsUrl } : {}) });
  return [renderText(result, { color, showSuppressed: args.showSuppressed })];
}

/**
 * Write the chunks to standard output, waiting for it to drain when its buffer is full (a pipe to a slow
 * reader), so the chunks are not all queued at once; a stream that fails stops the wait with its error.
 */
async function writeOut(out: CommandIO['stdout'], chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (out.write(chunk) === false && out instanceof EventEmitter) await once(out, 'drain');
  }
}

/** Write the chunks to a file (created or truncated), one write per chunk. */
async function writeChunks(file: string, chunks: Iterable<string>): Promise<void> {
  const handle = await open(file, 'w');
  try {
    for (const chunk of chunks) await handle.write(chunk);
  } finally {
    await handle.close();
  }
}
