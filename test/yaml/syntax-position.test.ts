import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';

const syntax = (content: string | Uint8Array) => scan([{ path: 'bad.yaml', content }]).findings.filter((f) => f.ruleId === 'yaml-syntax');

describe('yaml-syntax positions', () => {
  it('points at the start of a mis-indented key, not at its colon', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: x',
      'spec:',
      '  containers:',
      '  - name: a',
      '    image: b',
      '     securityContext: {}',
      '',
    ].join('\n');
    const [f] = syntax(text);
    expect(f).toMatchObject({ line: 9, column: 6 });
  });

  it('counts lines as editors do: a lone CR does not start a line past the end of the file', () => {
    const found = syntax(Uint8Array.from([13, 1]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 1 });
  });
});
