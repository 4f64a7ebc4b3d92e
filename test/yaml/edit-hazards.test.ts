import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';

const ROOT = join(import.meta.dirname, '../fixtures/edit');

interface Expectation {
  /** `startLine-endLine confidence` of every offered fix. */
  fixes: string[];
  /** `ruleId@line: reason` of every declined finding. */
  declined: string[];
}

/** Per hazard, what the engine must offer and what it must refuse (written out, not computed). */
const CASES: Record<string, Expectation> = {
  comments: { fixes: ['15-15 safe', '19-19 safe'], declined: [] },
  'blank-lines': { fixes: ['11-11 review', '17-17 safe', '20-20 review'], declined: [] },
  crlf: { fixes: ['10-10 safe'], declined: [] },
  'multi-document': { fixes: ['15-15 review', '30-30 review'], declined: [] },
  'list-flush': { fixes: ['10-10 review', '15-15 review'], declined: [] },
  'list-indented': { fixes: ['10-10 review', '15-15 review'], declined: [] },
  'indent-4': { fixes: ['12-12 safe', '14-14 review'], declined: [] },
  'quoted-keys': { fixes: ['10-10 safe'], declined: [] },
  'partial-security-context': { fixes: ['9-9 safe', '17-17 safe', '22-23 safe'], declined: [] },
  bom: { fixes: ['8-8 review'], declined: [] },
  'tabs-in-strings': { fixes: ['12-12 review'], declined: [] },
  'kind-list': { fixes: ['17-17 review', '25-28 review'], declined: [] },
  'no-final-newline': { fixes: ['10-10 review'], declined: [] },
  // The one-line flow mapping of line 9 is edited in place; the multi-line flow list stays declined.
  'flow-declined': {
    fixes: ['9-9 safe', '18-18 review'],
    declined: ['capabilities-restricted@15: a multi-line flow-style list would need rewriting'],
  },
  'flow-mapping': { fixes: ['10-10 safe', '14-14 safe', '16-17 review'], declined: [] },
  'alias-declined': {
    fixes: ['18-18 safe'],
    declined: [
      'allow-privilege-escalation@9: the value is anchored (shared through aliases)',
      'capabilities-restricted@9: the value is anchored (shared through aliases)',
      'allow-privilege-escalation@13: the value is behind an alias',
      'capabilities-restricted@13: the value is behind an alias',
      'allow-privilege-escalation@16: the mapping has a merge key (`<<`)',
      'capabilities-restricted@16: the mapping has a merge key (`<<`)',
    ],
  },
  'block-scalar-declined': { fixes: ['22-22 review'], declined: ['allow-privilege-escalation@14: the value is a block scalar'] },
  'dash-line': { fixes: ['10-14 review'], declined: [] },
  'dash-line-declined': { fixes: [], declined: ['host-ports@18: the key shares its line with a list item dash'] },
  // A comment indented deeper than the new key closes the block above it (a deploy script's `sed` marker):
  // the new pod securityContext goes after it, not between the block and its marker.
  'trailing-comment': { fixes: ['22-22 review'], declined: [] },
  // A blank line and a comment at the key's indentation start a section of the same mapping: keys go at its end.
  'section-comment': { fixes: ['22-22 review'], declined: [] },
  // A comment at column 0 after the last line belongs to the document, not to the pod spec: insert before it.
  'end-comment': { fixes: ['12-12 review'], declined: [] },
  'multi-line-scalar-declined': { fixes: ['9-9 review', '12-12 review'], declined: ['seccomp-profile-required@8: the value spans several lines'] },
};

describe('edit layer: one fixture per formatting hazard', () => {
  for (const [hazard, want] of Object.entries(CASES)) {
    it(hazard, () => {
      const input = readFileSync(join(ROOT, hazard, 'input.yaml'), 'utf8');
      const expected = readFileSync(join(ROOT, hazard, 'expected.yaml'), 'utf8');
      const path = `${hazard}/input.yaml`;
      const options = { profile: 'pss-restricted' as const };
      const out = scan([{ path, content: input }], options);
      const file = out.files.get(path);
      if (!file) throw new Error('not scanned');
      const result = buildFixes(file, out.findings, { scan: options });
      expect(result.fixes.map((f) => `${f.edit.startLine}-${f.edit.endLine} ${f.confidence}`)).toEqual(want.fixes);
      const byFp = new Map(out.findings.map((f) => [f.fingerprint, f]));
      expect(result.declined.map((d) => `${byFp.get(d.fingerprint)?.ruleId}@${byFp.get(d.fingerprint)?.line}: ${d.reason}`)).toEqual(want.declined);
      const fixed = applyLineEdits(
        input,
        result.fixes.map((f) => f.edit),
      );
      expect(fixed).toBe(expected);
      // Applying again finds nothing left to fix except what was declined.
      const again = scan([{ path, content: fixed }], options);
      const declined = new Set(result.declined.map((d) => d.fingerprint));
      expect(again.findings.filter((f) => f.fix && !declined.has(f.fingerprint)).map((f) => f.ruleId)).toEqual([]);
    });
  }

  it('keeps CRLF line endings on every line, new ones included', () => {
    const out = readFileSync(join(ROOT, 'crlf', 'expected.yaml'), 'utf8');
    expect(out.split('\r\n').length - 1).toBe(17);
    expect(out.replace(/\r\n/g, '').includes('\n')).toBe(false);
  });

  it('keeps the BOM', () => {
    const bytes = readFileSync(join(ROOT, 'bom', 'expected.yaml'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('keeps a missing final newline', () => {
    expect(readFileSync(join(ROOT, 'no-final-newline', 'expected.yaml'), 'utf8').endsWith('type: RuntimeDefault')).toBe(true);
  });
});
