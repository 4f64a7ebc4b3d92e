import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';

const ROLE = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: bootstrap
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: bootstrap
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: Group
    name: system:masters
    apiGroup: rbac.authorization.k8s.io
`;

const run = (content: string) => {
  const out = scan([{ path: 'rbac.yaml', content }], { profile: 'minpriv' });
  return {
    active: out.findings.map((f) => [f.ruleId, f.line]),
    suppressed: out.suppressed.map((f) => [f.ruleId, f.line, f.suppressed]),
  };
};

describe('suppressing RBAC findings, as on workloads', () => {
  it('unsuppressed: the role, the cluster-admin binding and its system:masters subject', () => {
    expect(run(ROLE)).toEqual({
      active: [
        ['rbac-wildcard', 7],
        ['rbac-powerful-binding', 17],
        ['rbac-powerful-binding', 20],
      ],
      suppressed: [],
    });
  });

  it('by annotation on a ClusterRole and on a binding, with the reason', () => {
    const annotated = ROLE.replace(
      '  name: bootstrap\nrules:',
      '  name: bootstrap\n  annotations:\n    minpriv.dev/ignore: rbac-wildcard\n    minpriv.dev/ignore-reason: break-glass role, bound to nobody\nrules:',
    ).replace('  name: bootstrap\nroleRef:', '  name: bootstrap\n  annotations:\n    minpriv.dev/ignore: rbac-powerful-binding\nroleRef:');
    expect(run(annotated)).toEqual({
      active: [],
      suppressed: [
        ['rbac-wildcard', 10, { by: 'annotation', reason: 'break-glass role, bound to nobody' }],
        ['rbac-powerful-binding', 22, { by: 'annotation' }],
        ['rbac-powerful-binding', 25, { by: 'annotation' }],
      ],
    });
  });

  it('by comment on the offending line, or on the line above it', () => {
    const commented = ROLE.replace(
      '    resources: ["*"]',
      '    resources: ["*"] # minpriv:ignore rbac-wildcard -- installer role, deleted after bootstrap',
    ).replace(
      '  - kind: Group\n    name: system:masters',
      '  - kind: Group # minpriv:ignore rbac-powerful-binding -- emergency access, audited\n    name: system:masters',
    );
    expect(run(commented)).toEqual({
      active: [['rbac-powerful-binding', 17]],
      suppressed: [
        ['rbac-wildcard', 7, { by: 'comment', reason: 'installer role, deleted after bootstrap' }],
        ['rbac-powerful-binding', 20, { by: 'comment', reason: 'emergency access, audited' }],
      ],
    });
  });

  it("by another tool's annotation for the same concept (Kubescape's control id)", () => {
    const skipped = ROLE.replace('  name: bootstrap\nrules:', '  name: bootstrap\n  annotations:\n    kubescape.io/skip-controls: C-0187\nrules:');
    expect(run(skipped).suppressed).toMatchObject([['rbac-wildcard', 9, { by: 'external-annotation' }]]);
  });
});
