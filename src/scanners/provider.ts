/**
 * External scanners as one finding provider: run every configured tool on the scanned files (in a PR, the
 * changed ones), merge their results in one pass (so one concept seen by three tools is one finding), enrich
 * minpriv's findings they agree with, and return the rest as findings of their own, suppressible like minpriv's.
 */
import { existsSync } from 'node:fs';
import type { K8sObject } from '../core/object.js';
import type { Finding, Notice, ResourceId, SourceFile } from '../core/types.js';
import { type MinprivConfig, SCANNER_KEYS, type ScannerConfig, type ScannerKey } from '../engine/config.js';
import type { ScanOutput } from '../engine/scan.js';
import { ignoreComments, suppressionFor } from '../engine/suppress.js';
import { findObjects } from '../k8s/objects.js';
import type { FindingProvider } from '../review/check.js';
import { positionOf } from '../yaml/locate.js';
import { DEFAULT_LIMITS, type ParsedFile, parseYamlFile } from '../yaml/parse.js';
import { parsePath } from './common.js';
import { conceptOf } from './concepts.js';
import { type ExternalRef, type Locate, type Located, mergeExternal } from './merge.js';
import { runScanner, type ScanInput } from './run.js';
import { type ExternalResource, SCANNER_TOOLS, type ScannerRun, type ScannerTool } from './types.js';

/** How to run one tool. */
export interface ScannerSetup {
  tool: ScannerTool;
  binary?: string;
  args?: readonly string[];
  timeoutMs: number;
}

export interface ScannersProviderOptions {
  /** Added to the tools' environment (tests put fake tools on PATH here). */
  env?: Readonly<Record<string, string>>;
  /** Notices to report with the results (settings that were ignored). */
  notices?: readonly Notice[];
  /** Today (ISO date), for suppressions with an expiry; default: the clock's. */
  now?: string;
}

const TOOL_OF_KEY: Readonly<Record<ScannerKey, ScannerTool>> = { kubescape: 'kubescape', trivy: 'trivy', kubeLinter: 'kube-linter', datree: 'datree' };
const KEY_OF_TOOL = Object.fromEntries(Object.entries(TOOL_OF_KEY).map(([k, t]) => [t, k])) as Record<ScannerTool, ScannerKey>;
const TOOL_NAMES: Readonly<Record<ScannerTool, string>> = { trivy: 'Trivy', kubescape: 'Kubescape', 'kube-linter': 'kube-linter', datree: 'Datree' };
const isScannerTool = (s: string): s is ScannerTool => (SCANNER_TOOLS as readonly string[]).includes(s);

export interface FromConfigOptions {
  /**
   * Honour `binary` and `args` of the config. Only for a config the user running minpriv chose (the CLI): in
   * the app the config comes from the repository, and a path or flag there would run what the repository says.
   */
  trusted?: boolean;
  /** Tools to run besides those the config enables (`--scanner trivy`). */
  extra?: readonly ScannerTool[];
  /** The host's environment, for settings of the deployment (default `process.env`). */
  hostEnv?: Readonly<Record<string, string | undefined>>;
  env?: Readonly<Record<string, string>>;
}

/**
 * The scanners provider a config asks for (none when no tool is enabled). `MINPRIV_KUBESCAPE_ARTIFACTS` in the
 * host environment (the Dockerfile sets it) points Kubescape at its pre-downloaded artifacts (`--use-artifacts-from`),
 * so that it stays offline.
 */
export function providersFromConfig(config: Pick<MinprivConfig, 'scanners'>, options: FromConfigOptions = {}): FindingProvider[] {
  const hostEnv = options.hostEnv ?? process.env;
  const tools = new Set<ScannerTool>(options.extra ?? []);
  for (const key of SCANNER_KEYS) if (config.scanners[key].enabled) tools.add(TOOL_OF_KEY[key]);
  if (tools.size === 0) return [];
  const notices: Notice[] = [];
  const setups = [...tools].map((tool): ScannerSetup => {
    const key = KEY_OF_TOOL[tool];
    const c: ScannerConfig & { frameworks?: string[] } = config.scanners[key];
    const setup: ScannerSetup = { tool, timeoutMs: c.timeoutSeconds * 1000 };
    const args: string[] = [];
    if (options.trusted) {
      if (c.binary !== undefined) setup.binary = c.binary;
      args.push(...c.args);
    } else if (c.binary !== undefined || c.args.length > 0) {
      notices.push({
        kind: 'scanner',
        file: '',
        message: `\`scanners.${key}\`: \`binary\` and \`args\` are ignored here (the app runs ${TOOL_NAMES[tool]} from its own PATH with minpriv's arguments only)`,
      });
    }
    const artifacts = hostEnv.MINPRIV_KUBESCAPE_ARTIFACTS;
    // The image without scanners sets the variable too: a folder that is not there is no artifacts.
    if (tool === 'kubescape' && artifacts && existsSync(artifacts)) args.push('--use-artifacts-from', artifacts);
    // Cobra finds the subcommand after the flags: `scan --format json ... framework nsa,mitre ./file.yaml`.
    if (tool === 'kubescape' && (c.frameworks ?? []).length > 0) args.push('framework', (c.frameworks as string[]).join(','));
    if (args.length > 0) setup.args = args;
    return setup;
  });
  return [scannersProvider(setups, options.env ? { notices, env: options.env } : { notices })];
}

/** What the scan knows of one file: its parse and objects (parsed again when the scan let them go). */
interface FileView {
  parsed: ParsedFile;
  objects: readonly K8sObject[];
  comments?: ReturnType<typeof ignoreComments>;
  /** Made on first use, once per file: results are placed and suppressed by lookups, not by a walk over every object. */
  lookup?: ViewLookup;
}

interface ViewLookup {
  /** Objects with a kind by lower-case kind and name, in file order. */
  byName: Map<string, K8sObject[]>;
  /** Objects with a kind and their line spans, in file order. */
  spans: { o: K8sObject; line: number; endLine: number }[];
  /** Every object by its id (document and base path). */
  byId: Map<string, K8sObject>;
}

const idKey = (id: ResourceId) => `${id.docIndex}\u0000${id.basePath.join('\u0000')}`;

function lookupOf(v: FileView): ViewLookup {
  if (v.lookup) return v.lookup;
  const lookup: ViewLookup = { byName: new Map(), spans: [], byId: new Map() };
  for (const o of v.objects) {
    const key = idKey(o.id);
    // The first object of an id, as `find` would return.
    if (!lookup.byId.has(key)) lookup.byId.set(key, o);
    if (o.id.kind === '') continue;
    const nameKey = `${o.id.kind.toLowerCase()}\u0000${o.id.name}`;
    const list = lookup.byName.get(nameKey);
    if (list) list.push(o);
    else lookup.byName.set(nameKey, [o]);
    const span = objectSpan(v, o);
    if (span) lookup.spans.push({ o, line: span.line, endLine: span.endLine });
  }
  v.lookup = lookup;
  return lookup;
}

function viewOf(file: SourceFile, scanned: ScanOutput): FileView | undefined {
  const s = scanned.files.get(file.path);
  if (!s || s.template) return undefined;
  if (s.parsed) return s.parsed.error ? undefined : { parsed: s.parsed, objects: s.objects };
  // The scan passed the file within its limits already: only the size cap could differ here.
  const parsed = parseYamlFile(file.path, file.content, { ...DEFAULT_LIMITS, maxBytes: Number.MAX_SAFE_INTEGER });
  const found = findObjects(parsed, false, DEFAULT_LIMITS);
  return found.kind === 'parsed' ? { parsed, objects: found.objects } : undefined;
}

const sameNamespace = (a: string | undefined, b: string | undefined): boolean => (a || 'default') === (b || 'default') || a === undefined || b === undefined;

function objectSpan(v: FileView, o: K8sObject): { line: number; endLine: number } | undefined {
  const root = v.parsed.docs[o.id.docIndex]?.root;
  return root === undefined ? undefined : positionOf(v.parsed, root, o.id.basePath);
}

/** The object a result is about: by identity, else (Trivy without a resource) the innermost object holding its line. */
function objectFor(v: FileView, resource: ExternalResource | undefined, line: number | undefined): K8sObject | undefined {
  const lookup = lookupOf(v);
  if (resource) {
    const hits = (lookup.byName.get(`${resource.kind.toLowerCase()}\u0000${resource.name}`) ?? []).filter((o) =>
      sameNamespace(o.id.namespace, resource.namespace),
    );
    const hit = hits.find((o) => o.id.namespace === resource.namespace) ?? hits[0];
    if (hit || line === undefined) return hit;
  }
  if (line === undefined) return undefined;
  let best: { o: K8sObject; size: number } | undefined;
  for (const span of lookup.spans) {
    if (line < span.line || line > span.endLine) continue;
    if (!best || span.endLine - span.line < best.size) best = { o: span.o, size: span.endLine - span.line };
  }
  return best?.o;
}

/** Where results without a line (or without a resource) are, from the scan's parse of `files`. */
export function scanLocator(files: readonly SourceFile[], scanned: ScanOutput): Locate {
  const views = new Map<string, FileView>();
  for (const f of files) {
    const v = viewOf(f, scanned);
    if (v) views.set(f.path, v);
  }
  return locator(views);
}

function locator(views: ReadonlyMap<string, FileView>): Locate {
  return (file: string, resource: ExternalResource | undefined, path: string | undefined, line: number | undefined): Located | undefined => {
    const v = views.get(file);
    const o = v && objectFor(v, resource, line);
    const root = o && v.parsed.docs[o.id.docIndex]?.root;
    if (!v || !o || root === undefined) return undefined;
    const pos = positionOf(v.parsed, root, path ? [...o.id.basePath, ...parsePath(path)] : o.id.basePath);
    return { line: pos.line, column: pos.column, endLine: pos.endLine, resource: o.id };
  };
}

/** The ids every tool gives the finding's concept: other tools' annotations for it suppress it too. */
function standardsOf(refs: readonly ExternalRef[]): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  const add = (tool: ScannerTool, id: string) => {
    const key = KEY_OF_TOOL[tool];
    if (!out[key]) out[key] = new Set();
    out[key].add(id);
  };
  for (const r of refs) {
    add(r.tool, r.id);
    const concept = conceptOf(r.tool, r.id);
    for (const tool of SCANNER_TOOLS) for (const id of concept?.[tool] ?? []) add(tool, id);
  }
  return Object.fromEntries(Object.entries(out).map(([k, ids]) => [k, [...ids]]));
}

/**
 * Suppress a finding with minpriv's mechanisms, named by its rule id, `tool/ID` or the tool's bare id, and with
 * the tools' own annotations for its concept (`ignore-check.kube-linter.io/…`, `kubescape.io/skip-controls`, `datree.skip/…`).
 */
function suppress(f: Finding, refs: readonly ExternalRef[], views: ReadonlyMap<string, FileView>, now: string, own: boolean): void {
  const v = views.get(f.file);
  if (!v) return;
  v.comments ??= ignoreComments(v.parsed.text, v.parsed.lineStarts);
  const object = f.resource && lookupOf(v).byId.get(idKey(f.resource));
  const ruleIds = [...new Set([f.ruleId, ...(f.alsoFor ?? []), ...refs.flatMap((r) => [`${r.tool}/${r.id}`, r.id])])];
  const sup = suppressionFor({ ruleIds, standards: standardsOf(refs), line: f.line, container: f.container, now }, object, v.comments);
  // minpriv's own findings said so already when their scan met the expired suppression.
  if (sup && 'expired' in sup) {
    if (!own) f.message += ` (${sup.expired})`;
  } else if (sup) f.suppressed = sup;
}

function runNotice(run: ScannerRun, files: number): Notice {
  if (run.error) {
    const n: Notice = { kind: 'scanner', file: '', message: run.error.message };
    // A missing tool is skipped, as documented; a tool that ran and failed must not pass silently.
    if (run.error.code !== 'not-installed') n.error = true;
    return n;
  }
  const version = run.version ? ` ${run.version}` : '';
  const results = run.results.length === 1 ? '1 result' : `${run.results.length} results`;
  return { kind: 'scanner', file: '', message: `${TOOL_NAMES[run.tool]}${version} ran on ${files === 1 ? '1 file' : `${files} files`}: ${results}` };
}

/**
 * One provider for every tool of `setups`: they run side by side on the files minpriv scanned as Kubernetes
 * manifests (complete objects only: a patch lacks the fields the tools would report missing), then merge once.
 * Findings the tools agree with get `alsoReportedBy` and the tools in `sources` (in place: they are the scan's).
 */
export function scannersProvider(setups: readonly ScannerSetup[], options: ScannersProviderOptions = {}): FindingProvider {
  return {
    name: setups.map((s) => TOOL_NAMES[s.tool]).join(', '),
    async provide({ files, scanned }) {
      const now = options.now ?? new Date().toISOString().slice(0, 10);
      const notices: Notice[] = [...(options.notices ?? [])];
      const views = new Map<string, FileView>();
      const inputs: ScanInput[] = [];
      for (const f of files) {
        const v = viewOf(f, scanned);
        if (!v?.objects.some((o) => !o.partial && o.id.kind !== '')) continue;
        views.set(f.path, v);
        inputs.push({ path: f.path, content: f.content });
      }
      if (inputs.length === 0 || setups.length === 0) return { findings: [], notices };

      const runs = await Promise.all(
        setups.map((s) => {
          const opts: Parameters<typeof runScanner>[2] = { timeoutMs: s.timeoutMs };
          if (s.binary !== undefined) opts.binary = s.binary;
          if (s.args) opts.args = s.args;
          if (options.env) opts.env = options.env;
          return runScanner(s.tool, inputs, opts);
        }),
      );
      for (const run of runs) {
        notices.push(
          runNotice(run, inputs.length),
          ...run.notices.map((n): Notice => ({ kind: 'scanner', file: '', message: `${TOOL_NAMES[run.tool]}: ${n.message}` })),
        );
      }

      // Suppressed findings take part: a tool agreeing with one must not bring it back as a finding of its own.
      const own = [...scanned.findings, ...scanned.suppressed];
      const merged = mergeExternal(own, runs, scanned.rules, { locate: locator(views) });
      const nowSuppressed: Finding[] = [];
      merged.findings.forEach((m, i) => {
        const f = own[i] as Finding;
        const refs = merged.also.get(f.fingerprint);
        if (!refs || m === f) return;
        f.sources = m.sources;
        f.alsoReportedBy = [...(f.alsoReportedBy ?? []), ...refs.map((r) => ({ tool: r.tool, id: r.id }))];
        if (!f.suppressed) {
          // The tools' ids (and their annotations) now name this finding too.
          suppress(f, refs, views, now, true);
          if (f.suppressed) nowSuppressed.push(f);
        }
      });
      if (nowSuppressed.length > 0) {
        const moved = new Set(nowSuppressed);
        scanned.findings.splice(0, scanned.findings.length, ...scanned.findings.filter((f) => !moved.has(f)));
        scanned.suppressed.push(...nowSuppressed);
      }

      const findings = merged.extra.map((f) => {
        const refs = merged.also.get(f.fingerprint) ?? [];
        // The tool the finding is named after is in its rule id already.
        const others = refs.filter((r) => `${r.tool}/${r.id}` !== f.ruleId);
        if (others.length > 0) f.alsoReportedBy = others.map((r) => ({ tool: r.tool, id: r.id }));
        suppress(f, refs, views, now, false);
        return f;
      });
      return { findings, notices };
    },
  };
}

/**
 * A raw config with `tools` switched on (`--scanner trivy`), so that they run with the config's settings for
 * them, and through the app's own path with `review --pr`. Anything but a mapping is left for the config check.
 */
export function enableScanners(raw: unknown, tools: readonly ScannerTool[]): unknown {
  if (tools.length === 0) return raw;
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const base = raw ?? {};
  if (!isMap(base)) return raw;
  const scanners: Record<string, unknown> = isMap(base.scanners) ? { ...base.scanners } : {};
  for (const tool of tools) {
    const current = scanners[KEY_OF_TOOL[tool]];
    if (current === undefined || current === null) scanners[KEY_OF_TOOL[tool]] = { enabled: true };
    else if (isMap(current)) scanners[KEY_OF_TOOL[tool]] = { ...current, enabled: true };
  }
  return { ...base, scanners };
}

/** `--scanner` values, checked: the tools, or the first value that names none. */
export function scannerFlags(values: readonly string[] | undefined): { tools: ScannerTool[] } | { invalid: string } {
  const bad = (values ?? []).find((v) => !isScannerTool(v));
  return bad === undefined ? { tools: [...new Set((values ?? []).filter(isScannerTool))] } : { invalid: bad };
}
