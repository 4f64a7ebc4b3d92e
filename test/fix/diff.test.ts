import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/engine/fix-diff.js';

const TEN = `${Array.from({ length: 10 }, (_, i) => `l${i + 1}`).join('\n')}\n`;

describe('unifiedDiff', () => {
  it('shows an insertion below a line with 3 lines of context', () => {
    expect(unifiedDiff('f.yaml', TEN, [{ startLine: 5, endLine: 5, lines: ['l5', 'new'] }])).toBe(
      ['--- a/f.yaml', '+++ b/f.yaml', '@@ -3,6 +3,7 @@', ' l3', ' l4', ' l5', '+new', ' l6', ' l7', ' l8', ''].join('\n'),
    );
  });

  it('joins nearby edits into one hunk and keeps distant ones apart', () => {
    const near = unifiedDiff('f.yaml', TEN, [
      { startLine: 2, endLine: 2, lines: ['L2'] },
      { startLine: 6, endLine: 6, lines: [] },
    ]);
    expect(near).toBe(['--- a/f.yaml', '+++ b/f.yaml', '@@ -1,9 +1,8 @@', ' l1', '-l2', '+L2', ' l3', ' l4', ' l5', '-l6', ' l7', ' l8', ' l9', ''].join('\n'));
    const far = unifiedDiff('f.yaml', TEN, [
      { startLine: 1, endLine: 1, lines: ['L1'] },
      { startLine: 10, endLine: 10, lines: ['l10', 'l11'] },
    ]);
    expect(far).toBe(
      ['--- a/f.yaml', '+++ b/f.yaml', '@@ -1,4 +1,4 @@', '-l1', '+L1', ' l2', ' l3', ' l4', '@@ -8,3 +8,4 @@', ' l8', ' l9', ' l10', '+l11', ''].join('\n'),
    );
  });

  it('keeps carriage returns and marks a missing final newline', () => {
    expect(unifiedDiff('c.yaml', 'a\r\nb\r\n', [{ startLine: 2, endLine: 2, lines: ['b', 'c'] }])).toBe(
      ['--- a/c.yaml', '+++ b/c.yaml', '@@ -1,2 +1,3 @@', ' a\r', ' b\r', '+c\r', ''].join('\n'),
    );
    expect(unifiedDiff('n.yaml', 'a\nb', [{ startLine: 2, endLine: 2, lines: ['b', 'c'] }])).toBe(
      ['--- a/n.yaml', '+++ b/n.yaml', '@@ -1,2 +1,3 @@', ' a', '-b', '\\ No newline at end of file', '+b', '+c', '\\ No newline at end of file', ''].join(
        '\n',
      ),
    );
  });

  it('names an absolute path without the a/ and b/ prefixes', () => {
    expect(unifiedDiff('/srv/k8s/f.yaml', TEN, [{ startLine: 10, endLine: 10, lines: ['L10'] }])).toBe(
      ['--- /srv/k8s/f.yaml', '+++ /srv/k8s/f.yaml', '@@ -7,4 +7,4 @@', ' l7', ' l8', ' l9', '-l10', '+L10', ''].join('\n'),
    );
  });

  it('is empty when nothing changes', () => {
    expect(unifiedDiff('f.yaml', TEN, [{ startLine: 3, endLine: 3, lines: ['l3'] }])).toBe('');
  });
});
