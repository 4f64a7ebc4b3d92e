/**
 * Datree `test -o json` (deprecated, archived 2023; offline mode only): rule identifiers, kind and name, and a
 * line and column per failure location. No severity, no namespace.
 */
import { z } from 'zod';
import { asPathArgs, badOutput, bracketPath, cleanPath, parseItems, parseJsonText, pathResolver, resourceOf, UNRATED_SEVERITY } from './common.js';
import type { ExternalResult, ParseOutcome, PathMap, ScannerNotice, ToolSpec } from './types.js';

/**
 * `--no-record`: send nothing. `--skip-validation schema`: schema validation probes githubstatus.com and fetches
 * schemas from GitHub. `DATREE_OFFLINE=local` (in `env`) skips the token and prerun calls.
 */
export function datreeArgs(files: readonly string[], extra: readonly string[] = []): string[] {
  return ['test', '--no-record', '--output', 'json', '--skip-validation', 'schema', ...extra, ...asPathArgs(files)];
}

const Location = z.object({
  schemaPath: z.string().optional(),
  failedErrorLine: z.number().int().optional(),
  failedErrorColumn: z.number().int().optional(),
});

const Occurrence = z.object({
  metadataName: z.string(),
  kind: z.string(),
  isSkipped: z.boolean().optional(),
  failureLocations: z.array(Location).nullish(),
});

const RuleResult = z.object({
  identifier: z.string().min(1),
  name: z.string().optional(),
  messageOnFailure: z.string().optional(),
  occurrencesDetails: z.array(z.unknown()).nullish(),
});

const FileResult = z.object({ fileName: z.string(), ruleResults: z.array(z.unknown()).nullish() });

const Output = z.object({
  policyValidationResults: z.array(z.unknown()).nullish(),
  yamlValidationResults: z.array(z.unknown()).nullish(),
  k8sValidationResults: z.array(z.unknown()).nullish(),
});

export function parseDatreeJson(text: string, paths: PathMap): ParseOutcome {
  const json = parseJsonText(text);
  if (!json.ok) return badOutput('datree', json.why);
  const output = Output.safeParse(json.value);
  if (!output.success) return badOutput('datree', 'not a Datree JSON result');
  const notices: ScannerNotice[] = [];
  const invalid = (output.data.yamlValidationResults?.length ?? 0) + (output.data.k8sValidationResults?.length ?? 0);
  if (invalid > 0) notices.push({ kind: 'scanner', message: `datree: ${invalid} file(s) failed YAML or Kubernetes validation and were not checked` });
  const resolve = pathResolver(paths);
  const results: ExternalResult[] = [];
  for (const f of parseItems(FileResult, output.data.policyValidationResults, 'datree policyValidationResults', notices)) {
    const file = resolve(f.fileName) ?? cleanPath(f.fileName);
    for (const rule of parseItems(RuleResult, f.ruleResults, `datree ruleResults of ${file}`, notices)) {
      for (const occ of parseItems(Occurrence, rule.occurrencesDetails, `datree occurrences of ${rule.identifier}`, notices)) {
        if (occ.isSkipped) continue;
        const base: ExternalResult = {
          tool: 'datree',
          toolId: rule.identifier,
          normalizedId: rule.identifier,
          title: rule.name ?? rule.identifier,
          message: rule.messageOnFailure ?? rule.name ?? rule.identifier,
          severity: UNRATED_SEVERITY,
          file,
          resource: resourceOf(occ.kind, occ.metadataName),
        };
        const locations = occ.failureLocations?.length ? occ.failureLocations : [{}];
        for (const loc of locations as z.infer<typeof Location>[]) {
          const out: ExternalResult = { ...base };
          if (loc.failedErrorLine) {
            out.line = loc.failedErrorLine;
            out.endLine = loc.failedErrorLine;
            if (loc.failedErrorColumn) out.column = loc.failedErrorColumn;
          }
          if (loc.schemaPath) out.path = bracketPath(loc.schemaPath);
          results.push(out);
        }
      }
    }
  }
  return { ok: true, results, notices };
}

export const datree: ToolSpec = {
  tool: 'datree',
  binary: 'datree',
  scanArgs: datreeArgs,
  // `datree version` asks the (closed) Datree backend for a message: no offline version command.
  parseVersion: (stdout) => stdout.trim().split('\n')[0]?.trim() || undefined,
  env: { DATREE_OFFLINE: 'local' },
  // 1 = error, 2 = violations found (`main.go`: DEFAULT_ERR_EXIT_CODE, VIOLATIONS_FOUND_EXIT_CODE).
  exitCodes: [0, 2],
  parse: parseDatreeJson,
};
