import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/core/rule.js';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';
import { allRules } from '../../src/rules/index.js';

const rules = allRules.filter((r) => r.id === 'rbac-secrets-read') as Rule[];
const role = (body: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: certgen\n  namespace: ingress\nrules:\n${body}`;

/** The fix each finding declares ([line, confidence, title, check]), and the text after every verified fix. */
function fixOf(content: string) {
  const options = { ruleset: rules };
  const out = scan([{ path: 'r.yaml', content }], options);
  const file = out.files.get('r.yaml');
  if (!file) throw new Error('not scanned');
  const { fixes, declined } = buildFixes(file, out.findings, { scan: options });
  return {
    declared: out.findings.map((f) => [f.line, f.fix?.confidence, f.fix?.title, f.fix?.check]),
    text: applyLineEdits(
      content,
      fixes.map((f) => f.edit),
    ),
    declined: declined.map((d) => d.reason),
  };
}

const CHECK = 'nothing bound to this role reads Secrets through the API (a pod that needs one can mount it); an operator that manages Secrets needs this';

// QA D2 (repro 3): ingress-nginx's admission certgen gets and creates its certificate Secret; argocd-server updates Secrets.
describe('rbac-secrets-read takes away reading Secrets, never writing them', () => {
  it('`secrets` alone with a write verb: only the read verbs go', () => {
    const content = role('- apiGroups:\n  - ""\n  resources:\n  - secrets\n  verbs:\n  - get\n  - create\n');
    expect(fixOf(content)).toEqual({
      declared: [[10, 'review', 'drop `get` from `rules[0].verbs` (`create` on `secrets` stays)', `${CHECK}; \`create\` on \`secrets\` stays`]],
      text: role('- apiGroups:\n  - ""\n  resources:\n  - secrets\n  verbs:\n  - create\n'),
      declined: [],
    });
  });

  it('`secrets` next to other resources: the others keep every verb, `secrets` moves to a rule of its own with the write verbs', () => {
    const content = role('  - apiGroups: [""]\n    resources: ["secrets", "configmaps"]\n    verbs: ["create", "list", "update"]\n');
    const got = fixOf(content);
    expect(got.declared).toEqual([
      [
        8,
        'review',
        'drop `secrets` from `rules[0].resources` and add a rule with only `create`, `update` on `secrets`',
        `${CHECK}; \`create\`, \`update\` on \`secrets\` stay`,
      ],
    ]);
    expect(got.declined).toEqual([]);
    expect(got.text).toBe(
      role(
        '  - apiGroups: [""]\n    resources: ["configmaps"]\n    verbs: ["create", "list", "update"]\n  - apiGroups:\n      - ""\n    resources:\n      - secrets\n    verbs:\n      - create\n      - update\n',
      ),
    );
  });

  it('only read verbs: `secrets` goes as before (the rule when nothing else is left)', () => {
    expect(fixOf(role('  - apiGroups: [""]\n    resources: ["secrets"]\n    verbs: ["get", "list"]\n')).declared).toEqual([
      [8, 'review', 'remove `rules[0]`, which grants only `secrets`', CHECK],
    ]);
    expect(fixOf(role('  - apiGroups: [""]\n    resources: ["secrets", "configmaps"]\n    verbs: ["get"]\n')).text).toContain('resources: ["configmaps"]\n');
  });

  it('verb `*`: "every verb but reading" cannot be written, so no fix (the finding stays)', () => {
    expect(fixOf(role('  - apiGroups: [""]\n    resources: ["secrets"]\n    verbs: ["*"]\n')).declared).toEqual([[8, undefined, undefined, undefined]]);
  });
});
