import type { Finding, Notice, SourceFile } from '../core/types.js';
import { type ScanOptions, type ScanOutput, scan } from '../engine/scan.js';

/**
 * A source of findings besides minpriv's own rules (an external scanner). It gets the scanned files and
 * minpriv's findings, and returns findings to merge in (matching ones enrich minpriv's, the others are
 * added) and notices (a tool that is missing, crashed or timed out).
 */
export interface FindingProvider {
  name: string;
  provide(input: { files: readonly SourceFile[]; scanned: ScanOutput }): Promise<{ findings: Finding[]; notices: Notice[] }>;
}

/** Stage 2: minpriv's rules, then every provider in turn. */
export async function check(files: readonly SourceFile[], options: ScanOptions, providers: readonly FindingProvider[] = []): Promise<ScanOutput> {
  const out = scan(files, options);
  await provide(files, out, providers);
  return out;
}

/** The providers' findings and notices, added to minpriv's scan `out` (a provider may move its findings to `suppressed`). */
export async function provide(files: readonly SourceFile[], out: ScanOutput, providers: readonly FindingProvider[]): Promise<void> {
  for (const p of providers) {
    let got: { findings: Finding[]; notices: Notice[] };
    try {
      got = await p.provide({ files, scanned: out });
    } catch (err) {
      // A gap in coverage, never a silent pass: it counts as an error under onError.
      out.notices.push({ kind: 'scanner', file: '', message: `${p.name} failed: ${err instanceof Error ? err.message : String(err)}`, error: true });
      continue;
    }
    for (const f of got.findings) (f.suppressed ? out.suppressed : out.findings).push(f);
    out.notices.push(...got.notices);
  }
}
