/** Run one external scanner over some files, offline, in a private temp dir; every failure is a typed error. */
import { constants } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import nodePath from 'node:path';
import { execa } from 'execa';
import { TOOL_SPECS } from './tools.js';
import type { ScannerError, ScannerNotice, ScannerRun, ScannerTool } from './types.js';

export interface RunOptions {
  /** Executable name or path; default the tool's name, looked up on PATH. */
  binary?: string;
  timeoutMs: number;
  /** Extra arguments, placed before the targets (e.g. `--config`, `--use-artifacts-from`). */
  args?: readonly string[];
  /** Added to the inherited environment (and to the tool's own offline settings). */
  env?: Readonly<Record<string, string>>;
}

export interface ScanInput {
  path: string;
  content: string | Uint8Array;
}

const MAX_OUTPUT = 64 * 1024 * 1024;

async function isExecutableFile(p: string): Promise<boolean> {
  try {
    if (!(await stat(p)).isFile()) return false;
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of the executable: a configured path (resolved against the current directory), or the first hit on PATH. */
export async function findBinary(binary: string, pathEnv: string | undefined): Promise<string | undefined> {
  if (binary.includes('/') || binary.includes('\\')) {
    const abs = nodePath.resolve(binary);
    return (await isExecutableFile(abs)) ? abs : undefined;
  }
  for (const dir of (pathEnv ?? '').split(nodePath.delimiter)) {
    if (dir === '' || !nodePath.isAbsolute(dir)) continue;
    const candidate = nodePath.join(dir, binary);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** A repository path that stays inside the temp dir once joined to it; `undefined` for anything else (PR paths are untrusted). */
export function safeRelativePath(p: string): string | undefined {
  const norm = p.replaceAll('\\', '/');
  if (norm === '' || norm.includes('\0') || norm.startsWith('/') || /^[A-Za-z]:/.test(norm)) return undefined;
  const segments = norm.split('/');
  return segments.some((s) => s === '' || s === '.' || s === '..') ? undefined : norm;
}

function failed(tool: ScannerTool, error: ScannerError, notices: ScannerNotice[] = []): ScannerRun {
  return { tool, results: [], notices, error };
}

function tail(text: string, max = 400): string {
  const t = text.trim();
  return t.length > max ? `…${t.slice(-max)}` : t;
}

/** Write the files under `dir` keeping their repository paths; returns temp path → repository path. */
async function stage(dir: string, files: readonly ScanInput[], notices: ScannerNotice[]): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const f of files) {
    const rel = safeRelativePath(f.path);
    if (rel === undefined) {
      notices.push({ kind: 'scanner', message: `not passed to the scanner (unsafe path): ${JSON.stringify(f.path)}` });
      continue;
    }
    const abs = nodePath.join(dir, rel);
    await mkdir(nodePath.dirname(abs), { recursive: true, mode: 0o700 });
    await writeFile(abs, f.content, { mode: 0o600 });
    paths.set(abs, rel);
  }
  return paths;
}

/**
 * Run `tool` over `files`. The files are written to a private temp dir (0700) under their repository paths and
 * the tool runs there, so it prints repository paths. Nothing is read from stdin; stderr is kept for errors.
 */
export async function runScanner(tool: ScannerTool, files: readonly ScanInput[], opts: RunOptions): Promise<ScannerRun> {
  const spec = TOOL_SPECS[tool];
  const binary = await findBinary(opts.binary ?? spec.binary, opts.env?.PATH ?? process.env.PATH);
  if (binary === undefined) return failed(tool, { code: 'not-installed', message: `${tool} not installed: skipped` });

  const notices: ScannerNotice[] = [];
  // realpath: tools that print absolute paths print the resolved one (macOS /var → /private/var).
  const dir = await realpath(await mkdtemp(nodePath.join(tmpdir(), 'minpriv-scan-')));
  try {
    await chmod(dir, 0o700);
    const paths = await stage(dir, files, notices);
    if (paths.size === 0) return { tool, results: [], notices };
    const r = await execa(binary, spec.scanArgs([...paths.values()], opts.args ?? []), {
      cwd: dir,
      reject: false,
      timeout: opts.timeoutMs,
      stdin: 'ignore',
      env: { ...spec.env, ...opts.env },
      maxBuffer: MAX_OUTPUT,
    });
    if (r.timedOut) return failed(tool, { code: 'timeout', message: `${tool} timed out after ${opts.timeoutMs} ms` }, notices);
    if (r.exitCode === undefined) {
      if (r.code === 'ENOENT') return failed(tool, { code: 'not-installed', message: `${tool} not installed: skipped` }, notices);
      const how = r.signal ? `was killed by ${r.signal}` : `could not run (${r.code ?? r.shortMessage})`;
      return failed(tool, { code: 'crashed', message: `${tool} ${how}${r.stderr ? `: ${tail(r.stderr)}` : ''}` }, notices);
    }
    if (!spec.exitCodes.includes(r.exitCode)) {
      return failed(tool, { code: 'crashed', message: `${tool} exited with code ${r.exitCode}${r.stderr ? `: ${tail(r.stderr)}` : ''}` }, notices);
    }
    const parsed = spec.parse(r.stdout, paths);
    if (!parsed.ok) {
      // A findings exit code with nothing on stdout is the tool failing (kube-linter uses 1 for both).
      if (r.exitCode !== 0 && r.stdout.trim() === '') {
        return failed(tool, { code: 'crashed', message: `${tool} exited with code ${r.exitCode}${r.stderr ? `: ${tail(r.stderr)}` : ''}` }, notices);
      }
      return failed(tool, parsed.error, notices);
    }
    const run: ScannerRun = { tool, results: parsed.results, notices: [...notices, ...parsed.notices] };
    if (parsed.version !== undefined) run.version = parsed.version;
    return run;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The tool's version from its offline version command; `undefined` when absent, failing, or not offline (Datree). */
export async function scannerVersion(tool: ScannerTool, opts: Omit<RunOptions, 'args'>): Promise<string | undefined> {
  const spec = TOOL_SPECS[tool];
  if (spec.versionArgs === undefined) return undefined;
  const binary = await findBinary(opts.binary ?? spec.binary, opts.env?.PATH ?? process.env.PATH);
  if (binary === undefined) return undefined;
  const r = await execa(binary, [...spec.versionArgs], {
    reject: false,
    timeout: opts.timeoutMs,
    stdin: 'ignore',
    env: { ...spec.env, ...opts.env },
  });
  return r.exitCode === 0 ? spec.parseVersion(r.stdout) : undefined;
}
