import type { ScanOptions, ScanOutput } from '../engine/scan.js';
import { scan } from '../engine/scan.js';
import type { Collected } from './collect.js';

/** What the base versions of the changed files held: the fingerprints of their findings. */
export function baseFindings(selected: Collected['selected'], scanOptions: ScanOptions): { all: Set<string>; active: Set<string> } | undefined {
  const files = selected.filter((f) => f.baseContent !== undefined).map((f) => ({ path: f.path, content: f.baseContent as string | Uint8Array }));
  if (files.length === 0) return undefined;
  // Under the head's path (a rename keeps its findings' fingerprints) and the head's settings.
  const out = scan(files, { ...scanOptions, keepParsed: false });
  const active = new Set(out.findings.map((f) => f.fingerprint));
  return { active, all: new Set([...active, ...out.suppressed.map((f) => f.fingerprint)]) };
}

/** How many findings of the base versions the head no longer has (active or suppressed). */
export function resolvedCount(baseActive: ReadonlySet<string>, head: ScanOutput): number {
  const headFps = new Set<string>();
  for (const f of head.findings) headFps.add(f.fingerprint);
  for (const f of head.suppressed) headFps.add(f.fingerprint);
  let n = 0;
  for (const fp of baseActive) if (!headFps.has(fp)) n++;
  return n;
}
