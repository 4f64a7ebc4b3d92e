import { describe, expect, it } from 'vitest';
import { defineRule } from '../../src/core/rule.js';
import type { FixOp } from '../../src/core/types.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { planReviewSync as runPipeline } from '../../src/review/plan.js';
import privileged from '../../src/rules/privileged-container.js';

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: i\n      securityContext:\n        privileged: true\n';
const added = (text: string) => {
  const lines = text.replace(/\n$/, '').split('\n');
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
};
const boom = defineRule({
  id: 'boom',
  meta: { ...privileged.meta, title: 'Boom', standards: {} },
  check: () => {
    throw new Error('kaput');
  },
});

describe('runPipeline', () => {
  it('a rule that throws is a notice in the summary and, with no finding, onError decides', () => {
    const input = { changes: { files: [{ path: 'p.yaml', status: 'added' as const, content: POD, patch: added(POD) }] }, ruleset: [boom] };
    const failing = runPipeline({ ...input, config: DEFAULT_CONFIG });
    expect(failing.conclusion).toBe('failure');
    expect(failing.title).toBe('No findings in 1 changed manifest · 1 error');
    expect(failing.summary).toContain('- `p.yaml:1` (rule-error): rule boom failed on Pod/p: kaput');
    expect(runPipeline({ ...input, config: { ...DEFAULT_CONFIG, onError: 'neutral' } }).conclusion).toBe('neutral');
  });

  it('removed files are not scanned; a file without a patch gets annotations but no comment', () => {
    const r = runPipeline({
      config: DEFAULT_CONFIG,
      ruleset: [privileged],
      changes: {
        files: [
          { path: 'gone.yaml', status: 'removed' },
          { path: 'moved.yaml', status: 'renamed', previousPath: 'old.yaml', content: POD },
        ],
      },
    });
    expect(r.stats).toMatchObject({ filesChanged: 2, filesRemoved: 1, filesScanned: 1, findings: 1, fixes: 1, comments: 0 });
    expect(r.annotations.map((a) => [a.path, a.start_line])).toEqual([['moved.yaml', 10]]);
    expect(r.comments).toEqual([]);
    expect(r.text).toContain('(not inline: GitHub gave no diff for this file)');
  });

  it('files a source could not read are listed as skipped, count as errors, and keep their threads open', () => {
    const r = runPipeline({
      config: DEFAULT_CONFIG,
      ruleset: [privileged],
      prior: [{ id: 'T1', path: 'huge.yaml', fingerprints: ['abc'], outdated: false }],
      changes: {
        files: [{ path: 'huge.yaml', status: 'modified' }],
        skipped: [{ path: 'huge.yaml', reason: '2000000 bytes, over the 1048576-byte limit', error: true }],
      },
    });
    expect(r.conclusion).toBe('failure');
    expect(r.summary).toContain('### Skipped files\n\n- `huge.yaml`: 2000000 bytes, over the 1048576-byte limit');
    expect(r.threadsToResolve).toEqual({ gone: [], superseded: [] });
  });

  it('a pure rename brings no old finding into scope, except under changed-files (QA #12)', () => {
    const changes = { files: [{ path: 'moved.yaml', status: 'renamed' as const, previousPath: 'old.yaml', content: POD, patch: '' }] };
    for (const scope of ['changed-lines', 'changed-resources'] as const) {
      const r = runPipeline({ config: { ...DEFAULT_CONFIG, scope }, ruleset: [privileged], changes });
      expect([r.conclusion, r.stats.findings, r.stats.outOfScope]).toEqual(['success', 0, 1]);
    }
    const files = runPipeline({ config: { ...DEFAULT_CONFIG, scope: 'changed-files' }, ruleset: [privileged], changes });
    expect([files.conclusion, files.stats.findings, files.comments.length]).toEqual(['failure', 1, 0]);
    expect(files.text).toContain('(not inline: GitHub reports a rename with no changed lines)');
    const local = runPipeline({ config: { ...DEFAULT_CONFIG, scope: 'changed-files' }, ruleset: [privileged], changes: { ...changes, source: 'git' } });
    expect(local.text).toContain('(not inline: git reports a rename with no changed lines)');
    expect(local.summary).not.toContain('GitHub');
  });

  it('suppressed findings are counted, not shown', () => {
    const text = POD.replace('        privileged: true', '        privileged: true # minpriv:ignore privileged-container -- lab only');
    const r = runPipeline({
      config: DEFAULT_CONFIG,
      ruleset: [privileged],
      changes: { files: [{ path: 'p.yaml', status: 'added', content: text, patch: added(text) }] },
    });
    expect(r.conclusion).toBe('success');
    expect(r.stats.suppressed).toBe(1);
    expect(r.summary).toContain('- 1 finding suppressed (with a reason, by annotation or comment).');
  });

  it('posts the finer fixes that fit one hunk, safe ones first, when the merged fix does not fit (QA #8)', () => {
    const keys = Array.from({ length: 15 }, (_, i) => `  k${i + 1}: v${i + 1}`);
    const text = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', ...keys, '  containers:', '    - name: c', '      image: i', ''].join('\n');
    // Line 8 (`k3`) changed; the hunk is lines 5-11.
    const patch = ['@@ -5,7 +5,7 @@', ' spec:', '   k1: v1', '   k2: v2', '-  k3: old', '+  k3: v3', '   k4: v4', '   k5: v5', '   k6: v6'].join('\n');
    const rule = (id: string, confidence: 'safe' | 'review', check: (spec: Record<string, unknown>) => FixOp[] | undefined) =>
      defineRule({
        id,
        meta: { ...privileged.meta, title: id, standards: {} },
        check: (ctx) => {
          const ops = check(ctx.workload.podSpec ?? {});
          if (ops) ctx.report({ path: ops[0]?.path ?? [], message: id, fix: { confidence, title: id, ops } });
        },
      });
    const ruleset = [
      // Changes lines 6 and 10: its span (6-10) holds line 8, but its changed lines do not touch it.
      rule('drop-k1-k5', 'review', (s) =>
        s.k1 === undefined
          ? undefined
          : [
              { op: 'remove', path: ['spec', 'k5'] },
              { op: 'remove', path: ['spec', 'k1'] },
            ],
      ),
      rule('set-k3', 'safe', (s) => (s.k3 === 'z' ? undefined : [{ op: 'set', path: ['spec', 'k3'], value: 'z' }])),
      rule('set-k15', 'safe', (s) => (s.k15 === 'zz' ? undefined : [{ op: 'set', path: ['spec', 'k15'], value: 'zz' }])),
    ];
    const r = runPipeline({ config: DEFAULT_CONFIG, ruleset, changes: { files: [{ path: 'p.yaml', status: 'modified', content: text, patch }] } });
    expect(r.comments.map((c) => [c.start_line, c.line, c.body.split('\n')[0]])).toEqual([[undefined, 8, '**minpriv** · safe fix: set-k3']]);
    // Safe and review fixes are never one suggestion: set-k15 (safe) stays apart from drop-k1-k5 (review).
    expect(r.fixes.map((f) => `${f.edit.startLine}-${f.edit.endLine} ${f.title} ${f.confidence}`)).toEqual([
      '8-8 set-k3 safe',
      '6-10 drop-k1-k5 review',
      '20-20 set-k15 safe',
    ]);
    expect(r.text).toContain('**`p.yaml`** lines 6–10: drop-k1-k5 (not inline: it overlaps another suggestion)');
    expect(r.text).toContain('**`p.yaml`** line 20: set-k15 (not inline: its lines are not all inside one hunk of the diff)');
  });
});

describe('files that were not scanned (QA2 #12)', () => {
  const TEMPLATE =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  containers:\n    - name: c\n      image: i\n      securityContext:\n        privileged: true\n';
  const WORKFLOW = 'name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n';
  const file = (path: string, content: string) => ({ path, status: 'added' as const, content, patch: added(content) });

  it('a PR that only changes a Helm template says nothing was checked', () => {
    const r = runPipeline({ config: DEFAULT_CONFIG, changes: { files: [file('chart/templates/pod.yaml', TEMPLATE)] } });
    expect([r.conclusion, r.title]).toEqual(['success', 'Nothing checked: 1 file not scanned (Helm template)']);
    expect(r.stats).toMatchObject({ filesScanned: 0, filesTemplate: 1, filesNotKubernetes: 0 });
    expect(r.summary).toContain('**0 findings** in 0 scanned files');
    expect(r.summary).toContain('- 1 file not scanned (Helm template).');
  });

  it('YAML with no Kubernetes object is not a scanned manifest; the title and summary count it apart', () => {
    const r = runPipeline({
      config: DEFAULT_CONFIG,
      ruleset: [privileged],
      changes: { files: [file('ci/build.yml', WORKFLOW), file('k/pod.yaml', POD.replace('true', 'false'))] },
    });
    expect(r.title).toBe('No findings in 1 changed manifest · 1 file not scanned (no Kubernetes objects)');
    expect(r.stats).toMatchObject({ filesScanned: 1, filesTemplate: 0, filesNotKubernetes: 1 });
    expect(r.summary).toContain('- 1 file not scanned (no Kubernetes objects); no Kubernetes objects in `ci/build.yml`.');
    const both = runPipeline({ config: DEFAULT_CONFIG, changes: { files: [file('ci/build.yml', WORKFLOW), file('chart/templates/pod.yaml', TEMPLATE)] } });
    expect(both.title).toBe('Nothing checked: 2 files not scanned (1 Helm template, 1 with no Kubernetes objects)');
  });
});
