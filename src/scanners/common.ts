/** Helpers every parser shares: tolerant JSON, paths back to the repository, kinds, container slots. */
import type { z } from 'zod';
import type { Path, Severity } from '../core/types.js';
import type { ExternalResource, ParseOutcome, PathMap, ScannerNotice, ScannerTool } from './types.js';

/** Kubescape and Datree leave the severity out (or unknown): such results are reported at this one. */
export const UNRATED_SEVERITY: Severity = 'medium';

export function badOutput(tool: ScannerTool, why: string): ParseOutcome {
  return { ok: false, error: { code: 'bad-output', message: `${tool} printed output minpriv cannot read: ${why}` } };
}

/**
 * Parse the JSON document a tool printed. A banner or log line before it is skipped (tools that log to
 * stdout), so the document is taken from the first line that opens an object or array.
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; why: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, why: 'empty output' };
  try {
    return { ok: true, value: JSON.parse(trimmed) };
  } catch (e) {
    const start = /^[{[]/m.exec(trimmed)?.index ?? -1;
    const end = Math.max(trimmed.lastIndexOf('}'), trimmed.lastIndexOf(']'));
    if (start > 0 && end > start) {
      try {
        return { ok: true, value: JSON.parse(trimmed.slice(start, end + 1)) };
      } catch {
        // fall through to the first error, which names the real problem
      }
    }
    return { ok: false, why: e instanceof Error ? e.message : String(e) };
  }
}

/** Validate each item on its own: a malformed entry is skipped with a notice instead of failing the whole output. */
export function parseItems<T>(schema: z.ZodType<T>, items: readonly unknown[] | null | undefined, what: string, notices: ScannerNotice[]): T[] {
  const out: T[] = [];
  let bad = 0;
  for (const item of items ?? []) {
    const r = schema.safeParse(item);
    if (r.success) out.push(r.data);
    else bad++;
  }
  if (bad > 0) notices.push({ kind: 'scanner', message: `${what}: skipped ${bad} malformed ${bad === 1 ? 'entry' : 'entries'}` });
  return out;
}

/** A printed path with forward slashes and without a leading `./`. */
export function cleanPath(printed: string): string {
  return printed.replaceAll('\\', '/').replace(/^(\.\/)+/, '');
}

/**
 * Map a path a tool printed back to the repository path. Tools print what they were given (relative to the
 * working directory), a path relative to the scan root, or an absolute path in the temp dir.
 * `undefined` when the path is none of the scanned files.
 */
export function pathResolver(paths: PathMap): (printed: string) => string | undefined {
  const repoPaths = new Set(paths.values());
  return (printed) => {
    const p = printed.replaceAll('\\', '/');
    const rel = cleanPath(p);
    const exact = paths.get(p) ?? (repoPaths.has(rel) ? rel : undefined);
    if (exact !== undefined || rel.startsWith('/')) return exact;
    const matches = [...paths.entries()].filter(([abs]) => abs.endsWith(`/${rel}`));
    return matches.length === 1 ? (matches[0] as [string, string])[1] : undefined;
  };
}

/** `spec.containers.0.image` (Datree) → `spec.containers[0].image`. */
export function bracketPath(path: string): string {
  return path
    .split('.')
    .map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : i === 0 ? seg : `.${seg}`))
    .join('');
}

/** `a.b[0].c` → `['a', 'b', 0, 'c']`. */
export function parsePath(path: string): Path {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return out;
}

const SLOT = /^(.*?\b(?:containers|initContainers|ephemeralContainers|volumes)\[\d+\])/;

/** The container or volume a path is inside (`spec.template.spec.containers[1]`), or '' for the pod or object. */
export function pathSlot(path: string | undefined): string {
  return (path && SLOT.exec(path)?.[1]) || '';
}

/** `containers[1]` of a path: the container list and index, without the pod-spec prefix. */
export function containerSlot(path: string | undefined): string | undefined {
  return path ? /\b((?:containers|initContainers|ephemeralContainers)\[\d+\])/.exec(path)?.[1] : undefined;
}

const KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'DeploymentConfig',
  'PodTemplate',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ServiceAccount',
  'Service',
  'ConfigMap',
  'Secret',
  'Namespace',
  'Ingress',
  'NetworkPolicy',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'HorizontalPodAutoscaler',
];
const KIND_BY_LOWER = new Map(KINDS.map((k) => [k.toLowerCase(), k]));

/** Trivy writes `deployment` in some messages: give the kind its API spelling when it is a known one. */
export function canonicalKind(kind: string): string | undefined {
  return KIND_BY_LOWER.get(kind.toLowerCase());
}

/** An empty namespace (kube-linter prints `""`) is no namespace. */
export function resourceOf(kind: string, name: string, namespace?: string): ExternalResource {
  return namespace ? { kind, name, namespace } : { kind, name };
}

export function lowerSeverity(s: string | undefined): Severity | undefined {
  const v = s?.toLowerCase();
  return v === 'critical' || v === 'high' || v === 'medium' || v === 'low' ? v : undefined;
}

/** Every target as `./path`, so that a file named like a flag or a subcommand is read as a path. */
export function asPathArgs(files: readonly string[]): string[] {
  return files.map((f) => `./${f}`);
}
