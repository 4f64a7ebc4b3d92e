import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';
import { parseYamlFile } from '../../src/yaml/parse.js';

// A tiny YAML writer of its own (not the engine's), so the inputs vary in ways the engine did not choose.
type Node = { map: [string, Node][] } | { list: Node[] } | { scalar: string };

interface Format {
  indent: number;
  /** Offset of `-` from its parent key: 0 = flush. */
  seqIndent: number;
  eol: '\n' | '\r\n';
  comments: boolean;
  quoteKeys: boolean;
  flowLists: boolean;
}

const isScalarList = (n: Node): boolean => 'list' in n && n.list.length > 0 && n.list.every((i) => 'scalar' in i);

function emitEntries(entries: [string, Node][], col: number, f: Format, out: string[]): void {
  const pad = ' '.repeat(col);
  entries.forEach(([k, v], i) => {
    if (f.comments && (k.length + i) % 3 === 0) out.push(`${pad}# about ${k}`);
    const key = f.quoteKeys ? `"${k}"` : k;
    if ('scalar' in v) out.push(`${pad}${key}: ${v.scalar}${f.comments && k.length % 4 === 0 ? ' # note' : ''}`);
    else if ('map' in v && v.map.length === 0) out.push(`${pad}${key}: {}`);
    else if ('list' in v && v.list.length === 0) out.push(`${pad}${key}: []`);
    else if (f.flowLists && isScalarList(v) && 'list' in v) out.push(`${pad}${key}: [${v.list.map((s) => ('scalar' in s ? s.scalar : '')).join(', ')}]`);
    else if ('map' in v) {
      out.push(`${pad}${key}:`);
      emitEntries(v.map, col + f.indent, f, out);
    } else if ('list' in v) {
      out.push(`${pad}${key}:`);
      emitItems(v.list, col + f.seqIndent, f, out);
    }
  });
}

function emitItems(items: Node[], col: number, f: Format, out: string[]): void {
  const pad = ' '.repeat(col);
  for (const item of items) {
    if ('scalar' in item) out.push(`${pad}- ${item.scalar}`);
    else if ('map' in item) {
      const lines: string[] = [];
      emitEntries(item.map, col + 2, f, lines);
      // Leading comment lines stay above the dash; the first entry goes on the dash line.
      const first = lines.findIndex((l) => !l.trimStart().startsWith('#'));
      out.push(...lines.slice(0, first).map((l) => `${pad}${l.trimStart()}`));
      out.push(`${pad}- ${(lines[first] as string).slice(col + 2)}`, ...lines.slice(first + 1));
    }
  }
}

const s = (v: string | number | boolean): Node => ({ scalar: String(v) });
const m = (...entries: [string, Node | undefined][]): Node => ({ map: entries.filter((e): e is [string, Node] => e[1] !== undefined) });

const scArb = fc.option(
  fc.record(
    {
      privileged: fc.boolean(),
      allowPrivilegeEscalation: fc.boolean(),
      runAsNonRoot: fc.boolean(),
      runAsUser: fc.constantFrom(0, 1000),
      readOnlyRootFilesystem: fc.boolean(),
      drop: fc.constantFrom(['ALL'], ['NET_RAW'], []),
      add: fc.constantFrom(['NET_BIND_SERVICE'], ['NET_RAW', 'CHOWN'], ['SYS_ADMIN']),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const containerArb = fc.record({ sc: scArb, hostPort: fc.boolean(), env: fc.boolean() });

const podScArb = fc.option(
  fc.record(
    { runAsNonRoot: fc.boolean(), seccomp: fc.constantFrom('RuntimeDefault', 'Unconfined'), runAsUser: fc.constantFrom(0, 1000) },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const docArb = fc.record({
  kind: fc.constantFrom('Pod', 'Deployment', 'Job'),
  containers: fc.array(containerArb, { minLength: 1, maxLength: 3 }),
  initContainers: fc.array(containerArb, { maxLength: 2 }),
  podSc: podScArb,
  hostNetwork: fc.boolean(),
});

const formatArb: fc.Arbitrary<Format> = fc
  .record({
    indent: fc.constantFrom(2, 4),
    flush: fc.boolean(),
    eol: fc.constantFrom('\n' as const, '\r\n' as const),
    comments: fc.boolean(),
    quoteKeys: fc.boolean(),
    flowLists: fc.boolean(),
  })
  .map((r) => ({ indent: r.indent, seqIndent: r.flush ? 0 : r.indent, eol: r.eol, comments: r.comments, quoteKeys: r.quoteKeys, flowLists: r.flowLists }));

type Doc = typeof docArb extends fc.Arbitrary<infer T> ? T : never;
type Container = Doc['containers'][number];

function containerNode(c: Container, name: string, i: number): Node {
  const sc = c.sc;
  const caps = sc && (sc.drop || sc.add) ? m(['drop', sc.drop && { list: sc.drop.map(s) }], ['add', sc.add && { list: sc.add.map(s) }]) : undefined;
  const scNode = sc
    ? m(
        ['privileged', sc.privileged === undefined ? undefined : s(sc.privileged)],
        ['allowPrivilegeEscalation', sc.allowPrivilegeEscalation === undefined ? undefined : s(sc.allowPrivilegeEscalation)],
        ['runAsNonRoot', sc.runAsNonRoot === undefined ? undefined : s(sc.runAsNonRoot)],
        ['runAsUser', sc.runAsUser === undefined ? undefined : s(sc.runAsUser)],
        ['readOnlyRootFilesystem', sc.readOnlyRootFilesystem === undefined ? undefined : s(sc.readOnlyRootFilesystem)],
        ['capabilities', caps],
      )
    : undefined;
  return m(
    ['name', s(`${name}${i}`)],
    ['image', s(`registry.example/${name}:1.${i}`)],
    ['ports', c.hostPort ? { list: [m(['containerPort', s(8080)], ['hostPort', s(8080)])] } : undefined],
    ['env', c.env ? { list: [m(['name', s('MODE')], ['value', s('"fast"')])] } : undefined],
    ['securityContext', scNode],
  );
}

function render(docs: Doc[], f: Format): string {
  const texts = docs.map((d, n) => {
    const pod = m(
      ['hostNetwork', d.hostNetwork ? s(true) : undefined],
      [
        'securityContext',
        d.podSc &&
          m(
            ['runAsNonRoot', d.podSc.runAsNonRoot === undefined ? undefined : s(d.podSc.runAsNonRoot)],
            ['runAsUser', d.podSc.runAsUser === undefined ? undefined : s(d.podSc.runAsUser)],
            ['seccompProfile', d.podSc.seccomp && m(['type', s(d.podSc.seccomp)])],
          ),
      ],
      ['initContainers', d.initContainers.length ? { list: d.initContainers.map((c, i) => containerNode(c, 'init', i)) } : undefined],
      ['containers', { list: d.containers.map((c, i) => containerNode(c, 'app', i)) }],
    );
    const spec = d.kind === 'Pod' ? pod : m(['template', m(['metadata', m(['labels', m(['app', s('x')])])], ['spec', pod])]);
    const root = m(
      ['apiVersion', s(d.kind === 'Pod' ? 'v1' : d.kind === 'Job' ? 'batch/v1' : 'apps/v1')],
      ['kind', s(d.kind)],
      ['metadata', m(['name', s(`w${n}`)])],
      ['spec', spec],
    );
    const lines: string[] = [];
    emitEntries((root as { map: [string, Node][] }).map, 0, f, lines);
    return lines.join(f.eol) + f.eol;
  });
  return texts.join(`---${f.eol}`);
}

const OPTIONS = { profile: 'pss-restricted' as const };
const PATH = 'gen.yaml';

function fixAll(text: string) {
  const out = scan([{ path: PATH, content: text }], OPTIONS);
  const file = out.files.get(PATH);
  if (!file) throw new Error('not scanned');
  const r = buildFixes(file, out.findings, { scan: OPTIONS });
  return {
    out,
    r,
    fixed: applyLineEdits(
      text,
      r.fixes.map((x) => x.edit),
    ),
  };
}

const active = (text: string): Finding[] => scan([{ path: PATH, content: text }], OPTIONS).findings;

describe('fix engine properties on generated workloads', () => {
  it('every offered fix verifies on its own, all fixes leave no fixable finding, and fixing is idempotent', () => {
    fc.assert(
      fc.property(fc.array(docArb, { minLength: 1, maxLength: 3 }), formatArb, (docs, format) => {
        const text = render(docs, format);
        expect(parseYamlFile(PATH, text).error).toBeUndefined();
        const { out, r, fixed } = fixAll(text);
        // The generator writes no hazards (aliases, flow mappings, block scalars): nothing may be declined.
        expect(r.declined).toEqual([]);
        const before = new Set(out.findings.map((f) => f.fingerprint));
        for (const fix of r.fixes) {
          const one = applyLineEdits(text, [fix.edit]);
          expect(parseYamlFile(PATH, one).error).toBeUndefined();
          const after = active(one).map((f) => f.fingerprint);
          expect(after.filter((fp) => fix.resolves.includes(fp))).toEqual([]);
          expect(after.filter((fp) => !before.has(fp))).toEqual([]);
          // Lines outside the edit are untouched.
          const a = text.split(format.eol);
          const b = one.split(format.eol);
          const delta = fix.edit.lines.length - (fix.edit.endLine - fix.edit.startLine + 1);
          expect(b.slice(0, fix.edit.startLine - 1)).toEqual(a.slice(0, fix.edit.startLine - 1));
          expect(b.slice(fix.edit.endLine + delta)).toEqual(a.slice(fix.edit.endLine));
        }
        // No two fixes share or touch lines.
        const ranges = r.fixes.map((f) => f.edit).sort((x, y) => x.startLine - y.startLine);
        for (let i = 1; i < ranges.length; i++)
          expect((ranges[i] as { startLine: number }).startLine).toBeGreaterThan((ranges[i - 1] as { endLine: number }).endLine + 1);
        expect(active(fixed).filter((f) => f.fix)).toEqual([]);
        expect(fixAll(fixed).fixed).toBe(fixed);
        // Line endings stay as generated.
        if (format.eol === '\r\n') expect(fixed.replace(/\r\n/g, '').includes('\n')).toBe(false);
      }),
      { numRuns: 100, seed: 20260811 },
    );
  });
});
