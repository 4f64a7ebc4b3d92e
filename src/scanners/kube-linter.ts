/** kube-linter `lint --format json`: check name, object identity and a message; no severity, no line, no path. */
import { z } from 'zod';
import { asPathArgs, badOutput, cleanPath, parseItems, parseJsonText, pathResolver, resourceOf, UNRATED_SEVERITY } from './common.js';
import type { ExternalResult, ParseOutcome, PathMap, ScannerNotice, ToolSpec } from './types.js';

/** Fully offline. Without `--config` it reads `.kube-linter.yaml` from the working directory (the temp dir). */
export function kubeLinterArgs(files: readonly string[], extra: readonly string[] = []): string[] {
  return ['lint', '--format', 'json', ...extra, ...asPathArgs(files)];
}

// Keys are Go field names (no json tags) except in `Checks`, which uses the config's lower-case tags.
const Report = z.object({
  Diagnostic: z.object({ Message: z.string() }),
  Check: z.string().min(1),
  Object: z.object({
    Metadata: z.object({ FilePath: z.string() }),
    K8sObject: z.object({
      Namespace: z.string().optional(),
      Name: z.string(),
      GroupVersionKind: z.object({ Kind: z.string() }),
    }),
  }),
});

const Check = z.object({ name: z.string(), description: z.string().optional() });

const Output = z.object({
  Checks: z.array(z.unknown()).nullish(),
  // `null` when nothing was found (a nil Go slice).
  Reports: z.array(z.unknown()).nullish(),
  Summary: z.object({ KubeLinterVersion: z.string().optional() }).optional(),
});

/** The container a message names: `container "app" is privileged`, `container app mounts path /x`. */
export function kubeLinterContainer(message: string): string | undefined {
  return /\bcontainer "([^"]+)"/.exec(message)?.[1] ?? /\bcontainer (\S+) mounts\b/.exec(message)?.[1];
}

export function parseKubeLinterJson(text: string, paths: PathMap): ParseOutcome {
  const json = parseJsonText(text);
  if (!json.ok) return badOutput('kube-linter', json.why);
  const output = Output.safeParse(json.value);
  if (!output.success) return badOutput('kube-linter', 'not a kube-linter JSON result');
  const notices: ScannerNotice[] = [];
  const resolve = pathResolver(paths);
  const descriptions = new Map(parseItems(Check, output.data.Checks, 'kube-linter Checks', notices).map((c) => [c.name, c.description]));
  const results: ExternalResult[] = [];
  for (const r of parseItems(Report, output.data.Reports, 'kube-linter Reports', notices)) {
    const o = r.Object.K8sObject;
    const out: ExternalResult = {
      tool: 'kube-linter',
      toolId: r.Check,
      normalizedId: r.Check,
      title: descriptions.get(r.Check) ?? r.Check,
      message: r.Diagnostic.Message,
      severity: UNRATED_SEVERITY,
      file: resolve(r.Object.Metadata.FilePath) ?? cleanPath(r.Object.Metadata.FilePath),
      resource: resourceOf(o.GroupVersionKind.Kind, o.Name, o.Namespace),
    };
    const container = kubeLinterContainer(r.Diagnostic.Message);
    if (container !== undefined) out.container = container;
    results.push(out);
  }
  const version = output.data.Summary?.KubeLinterVersion;
  return version ? { ok: true, results, notices, version } : { ok: true, results, notices };
}

export const kubeLinter: ToolSpec = {
  tool: 'kube-linter',
  binary: 'kube-linter',
  scanArgs: kubeLinterArgs,
  versionArgs: ['version'],
  parseVersion: (stdout) => stdout.trim().split('\n')[0]?.trim() || undefined,
  env: {},
  // 1 with "found N lint errors" when there are reports; 1 is also its generic error code, so the runner
  // accepts it only with a readable JSON result on stdout.
  exitCodes: [0, 1],
  parse: parseKubeLinterJson,
};
