import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FixOp, LineEdit } from '../../src/core/types.js';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { type ScanOptions, scan } from '../../src/engine/scan.js';
import { Verifier } from '../../src/engine/verify.js';
import { expectedValue } from '../../src/yaml/edit-value.js';

/** applyLineEdits as it was (splice line by line, bottom-up): the reference the linear one must equal. */
function applyBySplice(text: string, edits: readonly LineEdit[]): string {
  if (edits.length === 0) return text;
  const bom = text.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const lines: { text: string; eol: string }[] = [];
  let pos = 0;
  while (pos < body.length) {
    const nl = body.indexOf('\n', pos);
    if (nl < 0) {
      lines.push({ text: body.slice(pos), eol: '' });
      break;
    }
    const cr = nl > pos && body.charCodeAt(nl - 1) === 13;
    lines.push({ text: body.slice(pos, cr ? nl - 1 : nl), eol: cr ? '\r\n' : '\n' });
    pos = nl + 1;
  }
  const eol = lines.find((l) => l.eol !== '')?.eol ?? '\n';
  let floor = Number.POSITIVE_INFINITY;
  for (const e of [...edits].sort((a, b) => b.startLine - a.startLine)) {
    if (e.startLine < 1 || e.endLine < e.startLine || e.endLine > lines.length || e.endLine >= floor) {
      throw new RangeError(`line edit ${e.startLine}-${e.endLine} is out of range or overlaps another`);
    }
    floor = e.startLine;
    const lastEol = (lines[e.endLine - 1] as { eol: string }).eol;
    const repl = e.lines.map((t, i) => ({ text: t, eol: i === e.lines.length - 1 ? lastEol : eol }));
    if (repl.length === 0 && lastEol === '' && e.startLine > 1) (lines[e.startLine - 2] as { eol: string }).eol = '';
    lines.splice(e.startLine - 1, e.endLine - e.startLine + 1, ...repl);
  }
  return bom + lines.map((l) => l.text + l.eol).join('');
}

const outcome = (f: () => string): string => {
  try {
    return f();
  } catch (err) {
    return `threw ${(err as Error).message}`;
  }
};

describe('applyLineEdits (linear) = the line-by-line splice it replaced', () => {
  const text = fc
    .tuple(
      fc.boolean(),
      fc.array(fc.tuple(fc.constantFrom('', 'a', 'b: 1', '\r', ' x'), fc.constantFrom('\n', '\r\n')), { maxLength: 8 }),
      fc.constantFrom('', 'z', '\r'),
    )
    .map(([bom, lines, tail]) => `${bom ? '\uFEFF' : ''}${lines.map(([t, e]) => t + e).join('')}${tail}`);
  const edit = fc.record({
    startLine: fc.integer({ min: 0, max: 10 }),
    span: fc.integer({ min: -1, max: 3 }),
    lines: fc.array(fc.constantFrom('n', 'm: 2', ''), { maxLength: 3 }),
  });
  const edits = fc.array(edit, { maxLength: 4 }).map((es) => es.map((e) => ({ startLine: e.startLine, endLine: e.startLine + e.span, lines: e.lines })));

  it('same text, or the same error, for any edits (deletions of a last line without a newline included)', () => {
    let applied = 0;
    fc.assert(
      fc.property(text, edits, (t, es) => {
        const want = outcome(() => applyBySplice(t, es));
        if (!want.startsWith('threw')) applied++;
        expect(outcome(() => applyLineEdits(t, es))).toBe(want);
      }),
      { numRuns: 3000 },
    );
    expect(applied).toBeGreaterThan(100);
  });

  it('adjacent deletions at the end of a file without a final newline', () => {
    const t = 'a\nb\nc\nd';
    const es = [
      { startLine: 4, endLine: 4, lines: [] },
      { startLine: 2, endLine: 3, lines: [] },
    ];
    expect(applyLineEdits(t, es)).toBe('a');
    expect(applyLineEdits(t, es)).toBe(applyBySplice(t, es));
    expect(
      applyLineEdits('a\r\nb\r\nc', [
        { startLine: 3, endLine: 3, lines: [] },
        { startLine: 2, endLine: 2, lines: ['B'] },
      ]),
    ).toBe('a\r\nB');
  });
});

describe('expectedValue copies only the paths its ops touch', () => {
  const doc = () => ({
    spec: { containers: [{ name: 'a', securityContext: { privileged: true } }, { name: 'b' }], volumes: [{ name: 'v' }, { name: 'w' }] },
    metadata: { name: 'x', labels: { app: 'x' } },
  });
  const ops: FixOp[] = [
    { op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'privileged'], value: false },
    { op: 'remove', path: ['spec', 'volumes', 0] },
    { op: 'add-item', path: ['spec', 'containers', 1, 'securityContext', 'capabilities', 'drop'], value: 'ALL' },
    { op: 'set', path: ['spec', 'securityContext', 'runAsNonRoot'], value: true },
  ];

  it('gives what a whole copy gives, leaves the document as it was, and shares what no op touches', () => {
    const original = doc();
    const copied = expectedValue(doc(), ops, true);
    const cow = expectedValue(original, ops, false) as ReturnType<typeof doc>;
    expect(cow).toEqual(copied);
    expect(cow.spec.volumes).toEqual([{ name: 'w' }]);
    expect(original).toEqual(doc());
    expect(cow.metadata).toBe(original.metadata);
    expect(cow.spec.containers[0]).not.toBe(original.spec.containers[0]);
  });

  it('an op that fails fails the same way', () => {
    const bad: FixOp[] = [
      { op: 'remove', path: ['spec', 'containers', 0] },
      { op: 'set', path: ['spec', 'containers', 0, 'name'], value: 'z' },
    ];
    expect(() => expectedValue(doc(), bad, false)).toThrow('conflicting fixes: an edit inside a removed item');
    expect(() => expectedValue(doc(), bad, true)).toThrow('conflicting fixes: an edit inside a removed item');
  });

  it('a document with aliases is copied whole: an edit through one path shows through the other', () => {
    const shared = { privileged: true };
    const aliased = { a: { securityContext: shared }, b: { securityContext: shared } };
    const op: FixOp[] = [{ op: 'set', path: ['a', 'securityContext', 'privileged'], value: false }];
    const whole = expectedValue(aliased, op, true) as typeof aliased;
    expect(whole.b.securityContext.privileged).toBe(false);
    expect(shared.privileged).toBe(true);
    // Path copy alone would miss it: the reason the verifier asks for the whole copy where a document has an alias.
    expect((expectedValue(aliased, op, false) as typeof aliased).b.securityContext.privileged).toBe(true);
  });
});

describe('documents with one fix checked from the fixes verified together (the seeded path)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const pod = (name: string, privileged = 'true') =>
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      '  containers:',
      '  - name: c',
      '    image: c:1',
      '    securityContext:',
      `      privileged: ${privileged}`,
      '',
    ].join('\n');

  /** buildFixes seeded (the fix run's way) and not (each fix verified on its document), and how often a document was verified alone. */
  function both(content: string, options: ScanOptions) {
    const out = scan([{ path: 'p.yaml', content }], options);
    const file = out.files.get('p.yaml');
    if (!file) throw new Error('not scanned');
    const alone = vi.spyOn(Verifier.prototype, 'verifyInDocument');
    const seeded = buildFixes(file, out.findings, { scan: options, keepChecked: true, seed: { findings: out.findings, suppressed: out.suppressed } });
    const seededAlone = alone.mock.calls.length;
    alone.mockClear();
    const plain = buildFixes(file, out.findings, { scan: options });
    const plainAlone = alone.mock.calls.length;
    alone.mockRestore();
    const { checked, ...result } = seeded;
    return {
      result,
      plain,
      checked,
      seededAlone,
      plainAlone,
      fixed: applyLineEdits(
        content,
        plain.fixes.map((f) => f.edit),
      ),
    };
  }

  it("no document is verified alone when the fixes verify together, and the scan of that check is the fixed file's", () => {
    const r = both(`${pod('a')}---\n${pod('b')}---\n${pod('c')}`, { profile: 'pss-baseline' });
    expect(r.result).toEqual(r.plain);
    expect(r.result.fixes.length).toBe(3);
    expect(r.plainAlone).toBe(3);
    expect(r.seededAlone).toBe(0);
    expect(r.fixed).not.toContain('privileged: true');
    expect(r.checked?.text).toBe(r.fixed);
    expect(r.checked?.scan.findings.filter((f) => f.ruleId === 'privileged-container')).toEqual([]);
  });

  it('one fix alone in its file: the same fix, and its check is the next scan', () => {
    const r = both(pod('a'), { profile: 'pss-baseline' });
    expect(r.result).toEqual(r.plain);
    expect(r.result.fixes.length).toBe(1);
    expect(r.seededAlone).toBe(0);
    expect(r.fixed).not.toContain('privileged: true');
    expect(r.checked?.text).toBe(r.fixed);
  });

  it('falls back to each document alone where the fixes do not verify together: same declines, same reasons', () => {
    // Two documents with one identity: the first one's fix leaves the twin's finding, so the file check fails.
    const r = both(`${pod('a')}---\n${pod('a')}---\n${pod('b')}`, { profile: 'pss-baseline' });
    expect(r.result).toEqual(r.plain);
    expect(r.result.fixes).toEqual([]);
    expect(r.result.declined.map((d) => d.reason)).toEqual([
      'the fixes of this file do not verify together: `privileged-container` is still reported after the fix',
      'the fixes of this file do not verify together: `privileged-container` is still reported after the fix',
    ]);
    expect(r.seededAlone).toBe(2);
    expect(r.checked).toBeUndefined();
  });

  it('falls back where a document alone could read differently: a suppression comment above it, anchors in the file', () => {
    const comment = both(`${pod('a')}---\n# minpriv:ignore run-as-non-root\n${pod('b')}`, { profile: 'pss-baseline' });
    expect(comment.result).toEqual(comment.plain);
    expect(comment.result.fixes.length).toBe(2);
    expect(comment.plainAlone).toBe(2);
    expect(comment.seededAlone).toBe(1);
    const anchors = both(`${pod('a').replace('privileged: true', 'privileged: &p true')}---\n${pod('b')}`, { profile: 'pss-restricted' });
    expect(anchors.result).toEqual(anchors.plain);
    expect(anchors.result.declined.length).toBeGreaterThan(0);
    expect(anchors.seededAlone).toBe(anchors.plainAlone);
    expect(anchors.seededAlone).toBeGreaterThan(0);
  });
});
