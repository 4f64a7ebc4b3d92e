import type { Finding, FixOp, LineEdit, VerifiedFix } from '../core/types.js';
import { EditDeclined, planEdit } from '../yaml/edit.js';
import type { ScannedFile, ScanOptions } from './scan.js';
import { Verifier } from './verify.js';

const sameEdit = (a: LineEdit, b: LineEdit): boolean =>
  a.startLine === b.startLine && a.endLine === b.endLine && a.lines.length === b.lines.length && a.lines.every((l, i) => l === b.lines[i]);

/**
 * Why fixes of one file, each verified on its own, do not hold together when all are applied (for a set a
 * caller picked among `grouping: 'overlap'` alternatives), or undefined when they do. The ops of each fix
 * are planned again from the findings it resolves, so the check covers exactly what the edits claim.
 */
export function whyNotTogether(
  file: ScannedFile,
  findings: readonly Finding[],
  fixes: readonly VerifiedFix[],
  options: ScanOptions = {},
  /** The `preferLines` the fixes were built with. */
  preferLines?: ReadonlySet<number>,
): string | undefined {
  const parsed = file.parsed;
  if (!parsed || parsed.error) return 'the file does not parse';
  if (fixes.length === 0) return undefined;
  const byFp = new Map(findings.map((f) => [f.fingerprint, f]));
  const ops = new Map<number, FixOp[]>();
  for (const fix of fixes) {
    const members = fix.resolves.map((fp) => byFp.get(fp));
    const docIndex = members[0]?.resource?.docIndex;
    const doc = docIndex === undefined ? undefined : parsed.docs[docIndex];
    if (!doc || members.some((m) => !m?.fix || m.resource?.docIndex !== docIndex)) return `fix ${fix.id} resolves findings that were not given`;
    const own = members.flatMap((m) => m?.fix?.ops ?? []);
    let planned: ReturnType<typeof planEdit>;
    try {
      planned = planEdit(parsed, doc.root, doc.value, own, preferLines);
    } catch (err) {
      return err instanceof EditDeclined ? err.message : String(err);
    }
    if (!planned || !sameEdit(planned.edit, fix.edit)) return `fix ${fix.id} does not match its findings`;
    ops.set(doc.index, [...(ops.get(doc.index) ?? []), ...planned.ops]);
  }
  return new Verifier(parsed, options).verifyWholeFile({ edits: fixes.map((f) => f.edit), ops, resolves: fixes.flatMap((f) => f.resolves) });
}
