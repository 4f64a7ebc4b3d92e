import { describe, expect, it } from 'vitest';
import { buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';
import { positionOf } from '../../src/yaml/locate.js';
import { parseYamlFile, releaseEvents } from '../../src/yaml/parse.js';

const TEXT = [
  'base: &b',
  '  image: nginx',
  '  ports: [80]',
  'copy: *b',
  'list:',
  '  - &x one',
  '  - *x',
  '---',
  'kind: Pod',
  'spec: {containers: [{name: app, image: nginx}]}',
  '',
].join('\n');

describe('releaseEvents', () => {
  it('derives again the events, ends, anchors and alias targets of the original parse', () => {
    const original = parseYamlFile('t.yaml', TEXT);
    const released = releaseEvents(original);
    expect(released.events).not.toBe(original.events);
    expect(released.events).toEqual(original.events);
    expect([...released.ends]).toEqual([...original.ends]);
    expect([...released.aliasTargets]).toEqual([...original.aliasTargets]);
    expect([...released.anchors]).toEqual([...original.anchors]);
    expect(released.anchors.size).toBe(2);
  });

  it('keeps text, line starts and documents, and positions stay where they were', () => {
    const original = parseYamlFile('t.yaml', TEXT);
    const released = releaseEvents(original);
    expect(released.docs).toBe(original.docs);
    expect(released.lineStarts).toBe(original.lineStarts);
    expect(released.docs[0]?.value).toEqual({
      base: { image: 'nginx', ports: [80] },
      copy: { image: 'nginx', ports: [80] },
      list: ['one', 'one'],
    });
    const root1 = (released.docs[1] as { root: number }).root;
    expect(positionOf(released, root1, ['spec', 'containers', 0, 'image'])).toMatchObject({ line: 10, column: 33, exact: true });
    const root0 = (released.docs[0] as { root: number }).root;
    expect(positionOf(released, root0, ['copy', 'image'])).toMatchObject({ line: 2, column: 3, exact: true });
  });

  it('derives the index once and keeps it', () => {
    const released = releaseEvents(parseYamlFile('t.yaml', TEXT));
    const events = released.events;
    expect(released.events).toBe(events);
    expect(released.ends).toBe(released.ends);
  });

  it('returns a failed parse as it is', () => {
    const failed = parseYamlFile('t.yaml', 'a: [1, 2\n');
    expect(failed.error?.reason).toBe('syntax');
    expect(releaseEvents(failed)).toBe(failed);
  });

  it('gives the fix engine the same verified fixes as the original parse', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      'spec:',
      '  containers:',
      '    - name: app',
      '      image: nginx',
      '      securityContext:',
      '        privileged: true',
      '',
    ].join('\n');
    const out = scan([{ path: 'p.yaml', content: text }]);
    const file = out.files.get('p.yaml');
    if (!file?.parsed) throw new Error('no parse kept');
    const kept = buildFixes(file, out.findings);
    const released = buildFixes({ ...file, parsed: releaseEvents(file.parsed) }, out.findings);
    expect(kept.fixes.length).toBe(1);
    expect(released).toEqual(kept);
    expect(released.fixes[0]?.edit).toMatchObject({ startLine: 10, endLine: 10 });
  });
});
