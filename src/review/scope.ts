import { type Finding, severityRank } from '../core/types.js';
import type { LineSpan } from '../diff/scope.js';
import type { ScannedFile } from '../engine/scan.js';
import { documentLines } from '../yaml/locate.js';
import { groupByFile } from './fixes.js';

/** The lines of the document a finding belongs to; each document's span is computed once (it has many findings). */
export function documentSpans(files: ReadonlyMap<string, ScannedFile>): (f: Finding) => LineSpan | undefined {
  const spans = new Map<string, Map<number, LineSpan | undefined>>();
  return (f) => {
    if (!f.resource) return undefined;
    const file = files.get(f.file);
    const doc = file?.parsed?.docs[f.resource.docIndex];
    if (!doc || !file?.parsed) return undefined;
    const byDoc = spans.get(f.file) ?? new Map<number, LineSpan | undefined>();
    spans.set(f.file, byDoc);
    if (!byDoc.has(f.resource.docIndex)) byDoc.set(f.resource.docIndex, documentLines(file.parsed, doc.root));
    return byDoc.get(f.resource.docIndex);
  };
}

/** Per file, the `max` most severe findings (in their order) and, for each file over the cap, how many were left out. */
export function capPerFile(findings: readonly Finding[], max: number): { shown: Finding[]; hidden: { file: string; total: number }[] } {
  const perFile = new Map<string, number>();
  for (const f of findings) perFile.set(f.file, (perFile.get(f.file) ?? 0) + 1);
  const over = [...perFile].filter(([, n]) => n > max);
  if (over.length === 0) return { shown: [...findings], hidden: [] };
  const keep = new Set<Finding>();
  const byFile = groupByFile(findings);
  for (const [file] of over) {
    const ranked = (byFile.get(file) ?? []).map((f, i) => ({ f, i }));
    ranked.sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.i - b.i);
    for (const { f } of ranked.slice(0, max)) keep.add(f);
  }
  const capped = new Set(over.map(([file]) => file));
  return {
    shown: findings.filter((f) => !capped.has(f.file) || keep.has(f)),
    hidden: over.map(([file, total]) => ({ file, total })),
  };
}

export function hiddenNotes(hidden: readonly { file: string; total: number }[], max: number): string[] {
  return hidden.map(
    (h) =>
      `\`${h.file}\` has ${h.total.toLocaleString('en-US')} findings: the ${max} most severe are shown and fixed here, the other ${(h.total - max).toLocaleString('en-US')} ${h.total - max === 1 ? 'is' : 'are'} counted in the totals (\`maxFindingsPerFile\`).`,
  );
}
