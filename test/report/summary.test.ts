import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { configErrorSummary, renderCheckOutput } from '../../src/report/summary.js';
import { planReviewSync as runPipeline } from '../../src/review/plan.js';
import ape from '../../src/rules/allow-privilege-escalation.js';
import privileged from '../../src/rules/privileged-container.js';

// 300 pods whose names carry multibyte characters (the limits are in bytes, not characters); every fix lies
// outside the one-line hunk, so all 300 belong in the check run. Every third pod is privileged (critical).
function bigPr() {
  const files = Array.from({ length: 300 }, (_, i) => {
    const sc = i % 3 === 2 ? '        privileged: true\n' : '        runAsUser: 1000\n';
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pöd-ü-${i}\nspec:\n  containers:\n    - name: cöntainer-ß-${'é'.repeat(20)}\n      image: i\n      securityContext:\n${sc}`;
    return { path: `apps/${String(i).padStart(3, '0')}.yaml`, status: 'modified' as const, content: text, patch: '@@ -4 +4 @@\n-  name: x\n+  name: y' };
  });
  const config = { ...DEFAULT_CONFIG, profile: 'pss-restricted' } as typeof DEFAULT_CONFIG;
  return runPipeline({ config, ruleset: [privileged, ape], changes: { files } });
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('check-run output of a 300-fix PR', () => {
  const r = bigPr();
  const { summary, text } = r;
  const rows = summary.split('\n').filter((l) => /^\| \d+ \| `/.test(l));
  const fileOf = (row: string, i: number) =>
    summary
      .slice(0, summary.indexOf(row))
      .match(/### `([^`]+)`/g)
      ?.at(-1) ?? `none ${i}`;

  it('keeps summary and text each within 65,535 bytes', () => {
    expect(r.stats.findings).toBe(400);
    expect(r.title).toBe('400 findings: 100 critical, 300 medium · 300 verified fixes');
    expect(r.text.startsWith('## Fixes not posted as suggestions')).toBe(true);
    expect(bytes(summary)).toBeLessThanOrEqual(65_535);
    expect(bytes(text)).toBeGreaterThan(60_000);
    expect(bytes(text)).toBeLessThanOrEqual(65_535);
    expect(summary).not.toContain('```diff');
    expect(summary).toMatch(
      /> \*\*Summary truncated\*\* to GitHub's 65535-byte limit: \d+ more table rows and lines not shown\. Every finding is still an annotation\.$/,
    );
  });

  it('every row that promises a diff has it in the text, and every other fix row says how to get it', () => {
    let promised = 0;
    let local = 0;
    rows.forEach((row, i) => {
      const file = (fileOf(row, i).match(/`([^`]+)`/) ?? [])[1] ?? '';
      const heading = `### **\`${file}\`** line 10:`;
      if (row.endsWith('| diff in details below |')) {
        promised++;
        expect(text).toContain(heading);
      } else {
        local++;
        expect(row.endsWith('| fix available: run `minpriv fix` locally (see details) |')).toBe(true);
        expect(text).not.toContain(heading);
      }
    });
    expect(promised + local).toBe(rows.length);
    // Blocks of review fixes carry their check-first note: about half of the 300 fit.
    expect(promised).toBeGreaterThan(150);
    expect(local).toBeGreaterThan(0);
  });

  it('puts the critical fixes first, never cuts a block, and says how many were left out and how to get them', () => {
    const blocks = text.match(/^### \*\*`apps\/\d+\.yaml`\*\*/gm) ?? [];
    expect(blocks.slice(0, 100).every((b, i) => b === `### **\`apps/${String(3 * i + 2).padStart(3, '0')}.yaml\`**`)).toBe(true);
    expect((text.match(/^```/gm) ?? []).length).toBe(2 * blocks.length);
    const left = 300 - blocks.length;
    expect(left).toBeGreaterThan(0);
    expect(summary).toContain(`- ${left} more verified fixes did not fit in the check run: run \`minpriv fix --dry-run <file>\` on their files`);
    expect(
      text.endsWith(
        `> **${left} more fixes not shown** (GitHub's 65535-byte limit for this text; their rows say "fix available"). To get every diff, run \`minpriv fix --dry-run <file>\` on their files, or \`minpriv review --base <base branch>\` in a checkout of this branch.`,
      ),
    ).toBe(true);
  });

  it('tiny limits still give valid output whose rows promise nothing that is missing', () => {
    const out = renderCheckOutput(r.model, {}, 400, 450);
    expect(bytes(out.summary)).toBeLessThanOrEqual(400);
    expect(bytes(out.text)).toBeLessThanOrEqual(450);
    expect(out.summary).toContain('Summary truncated');
    expect(out.summary).not.toContain('diff in details below');
    expect(out.text).toContain('> **300 more fixes not shown**');
  });
});

describe('configErrorSummary (QA2 #14)', () => {
  it('links the JSON Schema by URL and shows each bad value next to its key', () => {
    const s = configErrorSummary([{ key: 'failOn', message: 'expected one of `high`, `low`; did you mean `high`?', value: '"hgih"' }]);
    expect(s).toContain('(see the [JSON Schema](https://github.com/minpriv/minpriv/blob/main/schema/minpriv.schema.json))');
    expect(s).toContain('| `failOn: "hgih"` | expected one of `high`, `low`; did you mean `high`? |');
  });

  it('unparsable YAML gets its own heading with the position, and no key table', () => {
    const s = configErrorSummary([{ key: '(file)', message: 'unexpected end of the stream', yaml: { line: 3, column: 7 } }]);
    expect(s.split('\n').slice(0, 3)).toEqual([
      '`.github/minpriv.yml` is not valid YAML, so nothing was scanned.',
      '',
      '> line 3, column 7: unexpected end of the stream',
    ]);
    expect(s).not.toContain('| Key |');
  });
});
