import { closeSync, type Dirent, promises as fs, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { MinprivError, type Notice, type SourceFile } from '../core/types.js';
import { kustomizationsAbove } from '../k8s/kustomize.js';

/** Shown for content read from standard input (`-`). */
export const STDIN_PATH = '<stdin>';

const SKIP_DIRS = new Set(['node_modules', '.git']);
const YAML_RE = /\.ya?ml$/i;

export interface ReadPathsOptions {
  /** Paths are shown relative to this folder. */
  cwd: string;
  /**
   * Per-file byte cap: at most `maxBytes + 1` bytes are read, so a huge file costs no memory and the
   * scan still sees that it is over the cap.
   */
  maxBytes: number;
  stdin?: AsyncIterable<unknown>;
  /** Files found by walking a folder are read only when this says so (a config's include/exclude). */
  selects?: (absPath: string) => boolean;
  /**
   * Regular files are not read now: each file's `content` reads it when asked, each time, and keeps nothing,
   * so a scan that takes one file at a time holds one file's bytes at a time. A read that fails then throws the
   * same error `readPaths` would have. Standard input, pipes and the kustomizations of `context` are read at once.
   */
  lazy?: boolean;
}

export interface ReadPathsResult {
  files: SourceFile[];
  /**
   * Kustomization files next to named files that were not themselves read: they tell the scan
   * which files are patches, and are not scanned.
   */
  context: SourceFile[];
  /** Things skipped on purpose (symlinks that leave the tree). */
  notices: Notice[];
}

/**
 * Forward-slash path of `abs` as seen from `cwd`: relative inside it. Outside it, `absolute` (the user named
 * the path absolutely) keeps it absolute, as given, rather than climbing out with `../../`.
 */
export function displayPath(cwd: string, abs: string, absolute = false): string {
  const rel = path.relative(cwd, abs);
  if (absolute && !isInside(cwd, abs)) return abs.split(path.sep).join('/');
  return (rel === '' ? path.basename(abs) : rel).split(path.sep).join('/');
}

async function readCapped(abs: string, maxBytes: number): Promise<Uint8Array> {
  const handle = await fs.open(abs, 'r');
  try {
    const stat = await handle.stat();
    // A pipe or a device (`minpriv scan <(helm template ...)`) has no size: read it to its end.
    if (!stat.isFile()) return await readStdin(handle.createReadStream({ autoClose: false }), maxBytes);
    const size = stat.size;
    const want = Math.min(size, maxBytes + 1);
    const buf = Buffer.alloc(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await handle.read(buf, got, want - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await handle.close();
  }
}

/** `readCapped`, synchronously, for a regular file. */
function readCappedSync(abs: string, maxBytes: number): Uint8Array {
  const fd = openSync(abs, 'r');
  try {
    const want = Math.min(fstatSync(fd).size, maxBytes + 1);
    // Not zero-filled: only the bytes read are handed out.
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const bytesRead = readSync(fd, buf, got, want - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Where a lazily read file is on disk: what another thread needs to read it the same way (`lazyFile`). */
export interface DiskFile {
  path: string;
  abs: string;
  maxBytes: number;
  shown: string;
}

const onDisk = new WeakMap<SourceFile, DiskFile>();

/** Where `file` is read from, if `readPaths(…, { lazy: true })` made it; undefined for content already read. */
export function diskFileOf(file: SourceFile): DiskFile | undefined {
  return onDisk.get(file);
}

/** A file whose `content` is read when asked (`ReadPathsOptions.lazy`); `shown` names it in errors. */
export function lazyFile(path: string, abs: string, maxBytes: number, shown: string): SourceFile {
  const file: SourceFile = {
    path,
    get content(): Uint8Array {
      try {
        return readCappedSync(abs, maxBytes);
      } catch (err) {
        throw ioError(err, shown);
      }
    },
  };
  onDisk.set(file, { path, abs, maxBytes, shown });
  return file;
}

async function readStdin(stdin: AsyncIterable<unknown>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array);
    // Keep consuming so the writer is not blocked, but hold no more than the cap needs.
    if (total <= maxBytes) chunks.push(buf.subarray(0, maxBytes + 1 - total));
    total += buf.byteLength;
  }
  return Buffer.concat(chunks);
}

function ioError(err: unknown, shown: string): MinprivError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : err instanceof Error ? err.message : String(err);
  return new MinprivError('IO', `${shown}: ${why}`, { cause: err });
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Read the files to scan: named files as given (whatever their extension), folders recursively
 * (`*.yaml`/`*.yml`, skipping node_modules and .git, following symlinks only while they stay inside
 * the folder), and `-` for standard input. Throws a `MinprivError` with code `IO` for a path that
 * cannot be read.
 */
export async function readPaths(inputs: readonly string[], options: ReadPathsOptions): Promise<ReadPathsResult> {
  const files: SourceFile[] = [];
  const notices: Notice[] = [];
  const seen = new Set<string>();
  const add = (shown: string, content: Uint8Array | SourceFile): void => {
    if (seen.has(shown)) return;
    seen.add(shown);
    files.push(content instanceof Uint8Array ? { path: shown, content } : content);
  };

  for (const input of inputs) {
    if (input === '-') {
      if (!options.stdin) throw new MinprivError('IO', 'standard input is not available');
      add(STDIN_PATH, await readStdin(options.stdin, options.maxBytes));
      continue;
    }
    const abs = path.resolve(options.cwd, input);
    const absolute = path.isAbsolute(input);
    let stat: Awaited<ReturnType<typeof fs.stat>>;
    try {
      stat = await fs.stat(abs);
    } catch (err) {
      throw ioError(err, input);
    }
    if (stat.isDirectory()) {
      const root = await fs.realpath(abs);
      await walk(abs, root, new Set([root]), { ...options, absolute }, add, notices);
    } else if (options.lazy && stat.isFile()) {
      const shown = displayPath(options.cwd, abs, absolute);
      add(shown, lazyFile(shown, abs, options.maxBytes, input));
    } else {
      try {
        add(displayPath(options.cwd, abs, absolute), await readCapped(abs, options.maxBytes));
      } catch (err) {
        throw ioError(err, input);
      }
    }
  }
  return { files, notices, context: await kustomizationsNextTo(files, options) };
}

async function kustomizationsNextTo(files: readonly SourceFile[], options: ReadPathsOptions): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const shown of kustomizationsAbove(files.filter((f) => f.path !== STDIN_PATH).map((f) => f.path))) {
    try {
      out.push({ path: shown, content: await readCapped(path.resolve(options.cwd, shown), options.maxBytes) });
    } catch {
      // Absent or unreadable: it was only context.
    }
  }
  return out;
}

async function walk(
  dir: string,
  root: string,
  visited: Set<string>,
  options: ReadPathsOptions & { absolute: boolean },
  add: (shown: string, content: Uint8Array | SourceFile) => void,
  notices: Notice[],
): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw ioError(err, displayPath(options.cwd, dir, options.absolute));
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const abs = path.join(dir, entry.name);
    const shown = displayPath(options.cwd, abs, options.absolute);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      let real: string;
      try {
        real = await fs.realpath(abs);
      } catch {
        continue; // A dangling link is nothing to scan.
      }
      if (!isInside(root, real)) {
        if (isDir || YAML_RE.test(entry.name) || (await fs.stat(real)).isDirectory()) {
          notices.push({ kind: 'skipped', file: shown, message: 'not scanned: symbolic link that points outside the scanned folder' });
        }
        continue;
      }
      const target = await fs.stat(real);
      isDir = target.isDirectory();
      isFile = target.isFile();
      if (isDir && visited.has(real)) continue;
      if (isDir) visited.add(real);
    }
    if (isDir) {
      if (!SKIP_DIRS.has(entry.name)) await walk(abs, root, visited, options, add, notices);
    } else if (isFile && YAML_RE.test(entry.name) && (options.selects?.(abs) ?? true)) {
      if (options.lazy) {
        add(shown, lazyFile(shown, abs, options.maxBytes, shown));
        continue;
      }
      try {
        add(shown, await readCapped(abs, options.maxBytes));
      } catch (err) {
        throw ioError(err, shown);
      }
    }
  }
}
