/** Kubescape `scan --format json` (format v2): controls per resource, YAML paths, no line numbers. */
import nodePath from 'node:path';
import { z } from 'zod';
import { pushTo } from '../core/multimap.js';
import {
  asPathArgs,
  badOutput,
  cleanPath,
  lowerSeverity,
  parseItems,
  parseJsonText,
  parsePath,
  pathResolver,
  pathSlot,
  resourceOf,
  UNRATED_SEVERITY,
} from './common.js';
import type { ExternalResource, ExternalResult, FixPath, ParseOutcome, PathMap, ScannerNotice, ToolSpec } from './types.js';

/** `--keep-local`: never submit results. Offline also needs `--use-artifacts-from <dir>` (pass it in `extra`). */
export function kubescapeArgs(files: readonly string[], extra: readonly string[] = []): string[] {
  return ['scan', '--format', 'json', '--keep-local', ...extra, ...asPathArgs(files)];
}

const PathEntry = z.object({
  failedPath: z.string().optional(),
  reviewPath: z.string().optional(),
  deletePath: z.string().optional(),
  fixPath: z.object({ path: z.string(), value: z.unknown() }).optional(),
});

const Control = z.object({
  controlID: z.string().min(1),
  name: z.string().optional(),
  severity: z.string().optional(),
  // `{status: "failed"}` in current output; a bare string in some older ones.
  status: z.union([z.string(), z.object({ status: z.string() })]).optional(),
  rules: z.array(z.object({ paths: z.array(PathEntry).nullish() })).nullish(),
});

const Result = z.object({ resourceID: z.string(), controls: z.array(z.unknown()).nullish() });

const Resource = z.object({
  resourceID: z.string(),
  object: z.unknown().optional(),
  source: z.object({ path: z.string().optional(), relativePath: z.string().optional() }).nullish(),
});

const Metadata = z.object({ kind: z.string(), metadata: z.object({ name: z.string(), namespace: z.string().optional() }) });

const Report = z.object({
  results: z.array(z.unknown()).nullish(),
  resources: z.array(z.unknown()).nullish(),
  summaryDetails: z.object({ controls: z.record(z.string(), z.object({ severity: z.string().optional() }).loose()).nullish() }).optional(),
  metadata: z.object({ scanMetadata: z.object({ kubescapeVersion: z.string().optional() }).optional() }).optional(),
});

/** `path=<hash>/api=<group>/<version>/<namespace>/<Kind>/<name>`; the core group is empty (`api=/v1//Pod/x`). */
export function parseKubescapeResourceId(id: string): ExternalResource | undefined {
  const m = /(?:^|\/)api=([^/]*)\/([^/]*)\/([^/]*)\/([^/]+)\/([^/]+)$/.exec(id);
  if (!m) return undefined;
  return resourceOf(m[4] as string, m[5] as string, m[3]);
}

function statusOf(c: z.infer<typeof Control>): string | undefined {
  return typeof c.status === 'string' ? c.status : c.status?.status;
}

/** Walk `object` along a path; used to name the container a `containers[0]` path points at. */
function valueAt(object: unknown, path: string): unknown {
  let cur = object;
  for (const seg of parsePath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function containerName(object: unknown, slot: string): string | undefined {
  if (!/(?:containers|initContainers|ephemeralContainers)\[\d+\]$/.test(slot)) return undefined;
  const name = (valueAt(object, slot) as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

type Entry = z.infer<typeof PathEntry>;

function firstPath(e: Entry): string | undefined {
  return e.failedPath || e.reviewPath || e.deletePath || e.fixPath?.path || undefined;
}

/**
 * The CLI folds every alert of a control on a resource into one list of paths. Split it again by container or
 * volume, so that each result is about one container (as minpriv's findings are).
 */
function bySlot(entries: readonly Entry[]): Map<string, Entry[]> {
  const out = new Map<string, Entry[]>();
  for (const e of entries) {
    const p = firstPath(e);
    if (p === undefined) continue;
    const slot = pathSlot(p);
    pushTo(out, slot, e);
  }
  return out;
}

export function parseKubescapeJson(text: string, paths: PathMap): ParseOutcome {
  const json = parseJsonText(text);
  if (!json.ok) return badOutput('kubescape', json.why);
  const report = Report.safeParse(json.value);
  if (!report.success) return badOutput('kubescape', 'not a Kubescape JSON report');
  const notices: ScannerNotice[] = [];
  const resolve = pathResolver(paths);
  const resources = new Map(parseItems(Resource, report.data.resources, 'kubescape resources', notices).map((r) => [r.resourceID, r]));
  const summary = report.data.summaryDetails?.controls ?? {};
  const results: ExternalResult[] = [];
  const noFile = new Set<string>();
  for (const r of parseItems(Result, report.data.results, 'kubescape results', notices)) {
    const controls = parseItems(Control, r.controls, `kubescape controls of ${r.resourceID}`, notices).filter((c) => statusOf(c) === 'failed');
    if (controls.length === 0) continue;
    const res = resources.get(r.resourceID);
    const rel = res?.source?.relativePath;
    if (!rel) {
      noFile.add(r.resourceID);
      continue;
    }
    // `source.path` is the root `relativePath` was computed against.
    const root = res?.source?.path;
    const file = (root ? resolve(nodePath.join(root, rel)) : undefined) ?? resolve(rel) ?? cleanPath(rel);
    const meta = Metadata.safeParse(res?.object);
    const resource = meta.success ? resourceOf(meta.data.kind, meta.data.metadata.name, meta.data.metadata.namespace) : parseKubescapeResourceId(r.resourceID);
    for (const c of controls) {
      const severity = lowerSeverity(c.severity) ?? lowerSeverity(summary[c.controlID]?.severity) ?? UNRATED_SEVERITY;
      const title = c.name ?? c.controlID;
      const groups = bySlot((c.rules ?? []).flatMap((rule) => rule.paths ?? []));
      if (groups.size === 0) groups.set('', []);
      for (const [slot, entries] of groups) {
        const path = entries.map(firstPath).find((p) => p !== undefined);
        const fixPaths: FixPath[] = entries.flatMap((e) => (e.fixPath?.path ? [{ path: e.fixPath.path, value: String(e.fixPath.value ?? '') }] : []));
        const out: ExternalResult = {
          tool: 'kubescape',
          toolId: c.controlID,
          normalizedId: c.controlID.toUpperCase(),
          title,
          message: path ? `${title}: \`${path}\`` : title,
          severity,
          file,
        };
        if (resource) out.resource = resource;
        const container = meta.success ? containerName(res?.object, slot) : undefined;
        if (container !== undefined) out.container = container;
        if (path) out.path = path;
        if (fixPaths.length > 0) out.fixPaths = fixPaths;
        results.push(out);
      }
    }
  }
  if (noFile.size > 0) notices.push({ kind: 'scanner', message: `kubescape: ${noFile.size} resource(s) with failed controls have no source file; skipped` });
  const version = report.data.metadata?.scanMetadata?.kubescapeVersion;
  return version ? { ok: true, results, notices, version } : { ok: true, results, notices };
}

/** `kubescape version --format json` prints `{"version":"v4.0.12",...}` (the text form checks for updates online). */
export function parseKubescapeVersion(stdout: string): string | undefined {
  const json = parseJsonText(stdout);
  const v = json.ok ? z.object({ version: z.string() }).safeParse(json.value) : undefined;
  return v?.success ? v.data.version : undefined;
}

export const kubescape: ToolSpec = {
  tool: 'kubescape',
  binary: 'kubescape',
  scanArgs: kubescapeArgs,
  versionArgs: ['version', '--format', 'json'],
  parseVersion: parseKubescapeVersion,
  // The scan itself checks for a newer release unless this is set.
  env: { KS_SKIP_UPDATE_CHECK: 'true' },
  // 0 even with failed controls, unless a threshold flag is given (then 1).
  exitCodes: [0],
  parse: parseKubescapeJson,
};
