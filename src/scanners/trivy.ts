/** Trivy `config --format json`: ids, severities and line spans; the resource only inside the message. */
import { z } from 'zod';
import { badOutput, canonicalKind, cleanPath, lowerSeverity, parseItems, parseJsonText, pathResolver, resourceOf, UNRATED_SEVERITY } from './common.js';
import type { ExternalResource, ExternalResult, ParseOutcome, PathMap, ScannerNotice, ToolSpec } from './types.js';

/**
 * One canonical form for a Trivy check id. Trivy prints `KSV-0017` since trivy-checks v2 and `KSV017` (with
 * `AVDID: AVD-KSV-0017`) before; ignore files accept all three. Short numbers are padded to four digits,
 * longer ones kept (`KSV01010` is `KSV-01010`).
 */
export function normalizeTrivyId(id: string): string {
  const m = /^(?:AVD-)?([A-Za-z]+)-?(\d+)$/.exec(id.trim());
  if (!m) return id.trim();
  return `${(m[1] as string).toUpperCase()}-${(m[2] as string).padStart(4, '0')}`;
}

/** `--skip-check-update`: use the checks bundled in the binary; the other two keep Trivy from calling check.trivy.dev. */
export function trivyArgs(extra: readonly string[] = []): string[] {
  return [
    'config',
    '--format',
    'json',
    '--quiet',
    '--skip-check-update',
    '--skip-version-check',
    '--disable-telemetry',
    '--misconfig-scanners',
    'kubernetes',
    ...extra,
    // One positional target only (`config [flags] DIR`): the temp dir holding exactly the files to scan.
    '.',
  ];
}

const Cause = z.object({
  StartLine: z.number().int().optional(),
  EndLine: z.number().int().optional(),
});

const Misconfiguration = z.object({
  ID: z.string().min(1),
  AVDID: z.string().optional(),
  Title: z.string().optional(),
  Message: z.string().optional(),
  Severity: z.string().optional(),
  Status: z.string().optional(),
  CauseMetadata: Cause.optional(),
  // The `trivy k8s` docs show `IacMetadata` where `trivy config` prints `CauseMetadata`.
  IacMetadata: Cause.optional(),
});

const Result = z.object({
  Target: z.string(),
  Misconfigurations: z.array(z.unknown()).nullish(),
});

const Report = z.object({
  Trivy: z.object({ Version: z.string().optional() }).optional(),
  Results: z.array(z.unknown()).nullish(),
});

const KIND = `([A-Za-z]+)`;
const MESSAGE_PATTERNS: { re: RegExp; container?: number; kind: number; name: number; namespace?: number }[] = [
  // Container 'nginx' of 'deployment' 'web' in 'default' namespace
  { re: new RegExp(`Container '([^']+)' of '${KIND}' '([^']+)' in '([^']*)' namespace`), container: 1, kind: 2, name: 3, namespace: 4 },
  // Container 'nginx' of Deployment 'web'
  { re: new RegExp(`Container '([^']+)' of ${KIND} '([^']+)'`), container: 1, kind: 2, name: 3 },
  // container "nginx" of deployment "web" in "default" namespace
  { re: new RegExp(`container "([^"]+)" of ${KIND} "([^"]+)" in "([^"]*)" namespace`), container: 1, kind: 2, name: 3, namespace: 4 },
  // Container nginx in deployment web (namespace: shop)
  { re: new RegExp(String.raw`Container (\S+) in ${KIND} (\S+) \(namespace: ([^)]*)\)`), container: 1, kind: 2, name: 3, namespace: 4 },
  // ConfigMap 'app' in 'shop' namespace
  { re: new RegExp(`^${KIND} '([^']+)' in '([^']*)' namespace`), kind: 1, name: 2, namespace: 3 },
  // deployment web in default namespace
  { re: new RegExp(String.raw`^${KIND} (\S+) in (\S+) namespace`), kind: 1, name: 2, namespace: 3 },
  // ClusterRole 'admin' ...
  { re: new RegExp(`^${KIND} '([^']+)'`), kind: 1, name: 2 },
];

/** Trivy has no structured resource for Kubernetes checks: read kind, name and container from the message. */
export function trivyMessageSubject(message: string): { resource?: ExternalResource; container?: string } {
  for (const p of MESSAGE_PATTERNS) {
    const m = p.re.exec(message);
    const kind = m && canonicalKind(m[p.kind] as string);
    if (!m || !kind) continue;
    const resource = resourceOf(kind, m[p.name] as string, p.namespace === undefined ? undefined : m[p.namespace]);
    return p.container === undefined ? { resource } : { resource, container: m[p.container] as string };
  }
  return {};
}

export function parseTrivyJson(text: string, paths: PathMap): ParseOutcome {
  const json = parseJsonText(text);
  if (!json.ok) return badOutput('trivy', json.why);
  const report = Report.safeParse(json.value);
  if (!report.success) return badOutput('trivy', 'not a Trivy JSON report');
  const notices: ScannerNotice[] = [];
  const resolve = pathResolver(paths);
  const results: ExternalResult[] = [];
  for (const r of parseItems(Result, report.data.Results, 'trivy Results', notices)) {
    const file = resolve(r.Target) ?? cleanPath(r.Target);
    for (const m of parseItems(Misconfiguration, r.Misconfigurations, `trivy misconfigurations of ${file}`, notices)) {
      if (m.Status !== undefined && m.Status !== 'FAIL') continue;
      const message = m.Message ?? m.Title ?? m.ID;
      const out: ExternalResult = {
        tool: 'trivy',
        toolId: m.ID,
        normalizedId: normalizeTrivyId(m.ID),
        title: m.Title ?? m.ID,
        message,
        severity: lowerSeverity(m.Severity) ?? UNRATED_SEVERITY,
        file,
        ...trivyMessageSubject(message),
      };
      const cause = m.CauseMetadata ?? m.IacMetadata;
      // Missing or 0 means Trivy did not locate it (KSV-0117 has no lines).
      if (cause?.StartLine) {
        out.line = cause.StartLine;
        out.endLine = cause.EndLine && cause.EndLine >= cause.StartLine ? cause.EndLine : cause.StartLine;
      }
      results.push(out);
    }
  }
  const version = report.data.Trivy?.Version;
  return version ? { ok: true, results, notices, version } : { ok: true, results, notices };
}

/** `trivy version --format json` prints `{"Version":"0.74.0",...}`. */
export function parseTrivyVersion(stdout: string): string | undefined {
  const json = parseJsonText(stdout);
  const v = json.ok ? z.object({ Version: z.string() }).safeParse(json.value) : undefined;
  return v?.success ? v.data.Version : undefined;
}

export const trivy: ToolSpec = {
  tool: 'trivy',
  binary: 'trivy',
  scanArgs: (_files, extra) => trivyArgs(extra),
  versionArgs: ['version', '--format', 'json'],
  parseVersion: parseTrivyVersion,
  env: {},
  // 0 unless `--exit-code` is given, findings or not.
  exitCodes: [0],
  parse: parseTrivyJson,
};
