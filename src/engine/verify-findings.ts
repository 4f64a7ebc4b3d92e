import type { Finding } from '../core/types.js';
import type { ScanOutput } from './scan.js';

/**
 * The findings of the file from a scan that already ran (active and suppressed, in scan order): what a scan
 * of the file alone with the same options finds. The caller vouches for that: no rule of the scan reads
 * other objects (`needsIndex`), and the file is not a patch (none of its objects is partial).
 */
export interface ScanSeed {
  findings: readonly Finding[];
  suppressed: readonly Finding[];
}

/**
 * Per file, its findings (active and suppressed) from minpriv's own scan, where scanning the file alone finds
 * the same, the condition the seed needs: no rule of the scan reads other objects (`needsIndex`), and no object of
 * the file is partial (a kustomize patch, or no apiVersion/kind). The review takes them before its providers
 * add to the scan or move its findings; the fix run takes them from each scan of its rounds. Verification then starts from them instead of scanning each unchanged file again.
 */
export function scanSeeds(out: ScanOutput): Map<string, ScanSeed> {
  const seeds = new Map<string, { findings: Finding[]; suppressed: Finding[] }>();
  if (out.rules.some((r) => r.needsIndex)) return seeds;
  const of = (path: string) => {
    let s = seeds.get(path);
    if (!s) {
      s = { findings: [], suppressed: [] };
      seeds.set(path, s);
    }
    return s;
  };
  for (const f of out.findings) of(f.file).findings.push(f);
  for (const f of out.suppressed) of(f.file).suppressed.push(f);
  for (const path of seeds.keys()) {
    const scanned = out.files.get(path);
    if (!scanned || scanned.objects.some((o) => o.partial)) seeds.delete(path);
  }
  return seeds;
}

export interface Fingerprints {
  active: Map<string, Finding>;
  all: Set<string>;
}

export function fingerprintsFrom(findings: readonly Finding[], suppressed: readonly Finding[]): Fingerprints {
  const active = new Map(findings.map((f) => [f.fingerprint, f]));
  return { active, all: new Set([...active.keys(), ...suppressed.map((f) => f.fingerprint)]) };
}

/** The seed's findings by document. */
export interface SeedByDoc {
  findings: Map<number, Finding[]>;
  suppressed: Map<number, Finding[]>;
}

export function byDoc(findings: readonly Finding[]): Map<number, Finding[]> {
  const out = new Map<number, Finding[]>();
  for (const f of findings) {
    const d = f.resource?.docIndex;
    if (d === undefined) continue;
    const list = out.get(d);
    if (list) list.push(f);
    else out.set(d, [f]);
  }
  return out;
}

/** A scan's findings by document; null when one is tied to no document (a document's share is then not known). */
export function findingsByDoc(out: ScanOutput): SeedByDoc | null {
  const loose = (f: Finding): boolean => f.resource?.docIndex === undefined;
  if (out.findings.some(loose) || out.suppressed.some(loose)) return null;
  return { findings: byDoc(out.findings), suppressed: byDoc(out.suppressed) };
}
