import { describe, expect, it } from 'vitest';
import type { VerifiedFix } from '../../src/core/types.js';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';
import { type ReviewComment, renderSuggestion } from '../../src/report/suggestion.js';
import { builtinRegistry } from '../../src/rules/index.js';

const PATH = 'apps/web.yaml';
const TEXT = [
  'apiVersion: v1', // 1
  'kind: Pod', // 2
  'metadata:', // 3
  '  name: web', // 4
  'spec:', // 5
  '  securityContext:', // 6
  '    runAsNonRoot: true', // 7
  '    seccompProfile:', // 8
  '      type: RuntimeDefault', // 9
  '  containers:', // 10
  '  - name: web', // 11
  '    image: nginx:1.27', // 12
  '    securityContext:', // 13
  '      capabilities: {}', // 14
  '  - name: tool', // 15
  '    image: busybox:1.36', // 16
  '    securityContext:', // 17
  '      allowPrivilegeEscalation: false', // 18
  '      capabilities:', // 19
  '        drop: ["ALL"]', // 20
  '        add: ["NET_RAW"]', // 21
  '',
].join('\n');

function fixesOf(text: string) {
  const options = { profile: 'pss-restricted' as const };
  const out = scan([{ path: PATH, content: text }], options);
  const file = out.files.get(PATH);
  if (!file) throw new Error('not scanned');
  return { findings: out.findings, ...buildFixes(file, out.findings, { scan: options }) };
}

/** What "Commit suggestion" does: the selected lines become the suggestion block's content. */
function commitSuggestion(text: string, c: ReviewComment): string {
  const m = /\n(`{3,})suggestion\n([\s\S]*?)\n?\1(?:\n|$)/.exec(c.body);
  if (!m) throw new Error('no suggestion block');
  const replacement = m[2] === '' ? [] : (m[2] as string).split('\n');
  const lines = text.split('\n');
  const start = c.start_line ?? c.line;
  lines.splice(start - 1, c.line - start + 1, ...replacement);
  return lines.join('\n');
}

describe('renderSuggestion', () => {
  const { findings, fixes } = fixesOf(TEXT);
  const byStart = (n: number): VerifiedFix => {
    const f = fixes.find((x) => x.edit.startLine === n);
    if (!f) throw new Error(`no fix at ${n}: ${fixes.map((x) => x.edit.startLine).join(',')}`);
    return f;
  };

  it('builds one fix per container, each with its own lines', () => {
    expect(fixes.map((f) => [f.edit.startLine, f.edit.endLine, f.confidence])).toEqual([
      [14, 14, 'safe'],
      [21, 21, 'review'],
    ]);
  });

  it('committing each suggestion gives exactly the verified file', () => {
    for (const fix of fixes) {
      const c = renderSuggestion(fix, findings, [{ start: 1, end: 21 }]);
      if (!c) throw new Error('no comment');
      expect(commitSuggestion(TEXT, c)).toBe(applyLineEdits(TEXT, [fix.edit]));
    }
  });

  it('a one-line fix has `line` only; the body names every finding, why, the doc and the suggestion', () => {
    const c = renderSuggestion(byStart(14), findings, [{ start: 10, end: 16 }], { rationale: (id) => builtinRegistry.get(id)?.meta.rationale });
    expect(c).toEqual({
      path: PATH,
      line: 14,
      side: 'RIGHT',
      body: expect.any(String),
    });
    const body = c?.body ?? '';
    expect(body).toContain('- `allow-privilege-escalation` (medium): container `web` does not set `securityContext.allowPrivilegeEscalation: false`');
    expect(body).toContain('- `capabilities-restricted` (medium): container `web` does not set `securityContext.capabilities.drop: ["ALL"]`');
    expect(body).toContain('Resolves 2 findings:');
    expect(body).toContain('https://github.com/minpriv/minpriv/blob/main/docs/rules/allow-privilege-escalation.md');
    expect(body).toContain('Without it a process can gain more privileges than its parent');
    expect(body).toContain('```suggestion\n      capabilities:\n        drop:\n        - ALL\n      allowPrivilegeEscalation: false\n```');
    expect(body).not.toContain('Check first');
  });

  it('review fixes say what to check first, and extra text comes last', () => {
    const c = renderSuggestion(byStart(21), findings, [{ start: 15, end: 22 }], { extraBody: '<!-- minpriv:abc -->' });
    const body = c?.body ?? '';
    expect(body).toContain('**Check first:** the process must not need `NET_RAW`');
    expect(body.endsWith('\n\n<!-- minpriv:abc -->')).toBe(true);
    expect(body).toContain('```suggestion\n```');
  });

  it('multi-line selections carry start_line and start_side', () => {
    const fix: VerifiedFix = { ...byStart(14), edit: { startLine: 13, endLine: 14, lines: ['    securityContext:', '      runAsNonRoot: true'] } };
    expect(renderSuggestion(fix, findings, [{ start: 10, end: 20 }])).toMatchObject({ line: 14, start_line: 13, start_side: 'RIGHT', side: 'RIGHT' });
  });

  it('returns undefined when the lines are not inside one hunk', () => {
    const fix: VerifiedFix = { ...byStart(14), edit: { startLine: 13, endLine: 14, lines: ['x', 'y'] } };
    expect(renderSuggestion(fix, findings, [{ start: 1, end: 12 }])).toBeUndefined();
    expect(
      renderSuggestion(fix, findings, [
        { start: 10, end: 13 },
        { start: 14, end: 20 },
      ]),
    ).toBeUndefined();
    expect(renderSuggestion(fix, findings, [])).toBeUndefined();
  });

  it('uses a longer fence when the replacement contains backticks', () => {
    const fix: VerifiedFix = { ...byStart(14), edit: { startLine: 14, endLine: 14, lines: ['      note: "```"'] } };
    const body = renderSuggestion(fix, findings, [{ start: 1, end: 30 }])?.body ?? '';
    expect(body).toContain('\n````suggestion\n      note: "```"\n````');
  });
});
