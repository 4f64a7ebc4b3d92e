import { describe, expect, it } from 'vitest';
import { generateDocs, staleDocs } from '../../scripts/gen-docs.js';
import { allRules } from '../../src/rules/index.js';

describe('generated rule docs', () => {
  it('docs/rules on disk match the rule metadata and fixtures', () => {
    expect(staleDocs(), 'docs/rules is stale: run `npm run docs`').toEqual([]);
  });

  it('one page per rule plus the index', () => {
    const docs = generateDocs();
    expect([...docs.keys()].sort()).toEqual([...allRules.map((r) => `docs/rules/${r.id}.md`), 'docs/rules/README.md'].sort());
  });

  it('a page carries the metadata, the crosswalk ids and a tested failing example with its findings', () => {
    const page = generateDocs().get('docs/rules/proc-mount-restricted.md') ?? '';
    const lines = page.split('\n');
    expect(lines[2]).toBe('# proc-mount-restricted: Container unmasks /proc (restricted)');
    expect(lines).toContain('| Pod Security Standards | restricted · `procMount_restricted` (from v1.35) |');
    expect(lines).toContain('| Replaces at the restricted level | [`proc-mount`](proc-mount.md) |');
    expect(lines).toContain('| Trivy | `KSV-0027` |');
    expect(lines).toContain('**Fix confidence:** minpriv suggests a verified fix, confidence `review` (check the note in the suggestion first).');
    expect(lines).toContain('Failing (`test/fixtures/rules/proc-mount-restricted/fail.user-namespace.yaml`):');
    expect(lines).toContain('- line 20: container `buildah` sets `securityContext.procMount: Unmasked`');
    expect(lines).toContain('Passing (`test/fixtures/rules/proc-mount-restricted/pass.default.yaml`):');
  });

  it('a rule without a fix says so', () => {
    const page = generateDocs().get('docs/rules/selinux-options.md') ?? '';
    expect(page).toContain('**Fix confidence:** No automatic fix: see "How to fix".');
  });
});
