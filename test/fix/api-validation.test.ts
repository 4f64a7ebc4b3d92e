import { describe, expect, it } from 'vitest';
import { buildFixes } from '../../src/engine/fix.js';
import { fixToFixpoint } from '../../src/engine/fix-run.js';
import { scan } from '../../src/engine/scan.js';

// Cases seen on real repositories (a CSI driver): each fix here would give a manifest the API server rejects.
const CSI = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: csi-node
spec:
  selector: { matchLabels: { app: csi } }
  template:
    metadata: { labels: { app: csi } }
    spec:
      containers:
        - name: plugin
          image: csi:1.0
          securityContext:
            privileged: true
          volumeMounts:
            - name: pods
              mountPath: /var/lib/kubelet/pods
              mountPropagation: Bidirectional
      volumes:
        - name: pods
          emptyDir: {}
`;

function fixesOf(text: string) {
  const out = scan([{ path: 'ds.yaml', content: text }]);
  const file = out.files.get('ds.yaml');
  if (!file) throw new Error('no file');
  return { out, ...buildFixes(file, out.findings) };
}

describe('fixes Kubernetes would reject are not offered', () => {
  it('removing privileged while a mount keeps mountPropagation: Bidirectional is declined, with the reason', () => {
    const { out, fixes, declined } = fixesOf(CSI);
    const privileged = out.findings.find((f) => f.ruleId === 'privileged-container');
    expect(privileged).toBeDefined();
    expect(fixes.some((f) => f.resolves.includes(privileged?.fingerprint as string))).toBe(false);
    const reason = declined.find((d) => d.fingerprint === privileged?.fingerprint)?.reason ?? '';
    expect(reason).toMatch(/Kubernetes would reject the result \(DaemonSet\/csi-node: containers\[0\]\.volumeMounts\[0\]\.mountPropagation: /);
    expect(reason).toContain('Bidirectional mount propagation is available only to privileged containers');
    // The rest of the container's hardening is still offered, and every offered fix keeps `privileged: true`.
    expect(fixes.length).toBeGreaterThan(0);
    for (const f of fixes) expect(f.edit.lines.join('\n')).not.toMatch(/privileged: false/);
  });

  it('with privileged-container suppressed, allowPrivilegeEscalation: false is not added next to privileged: true', () => {
    const suppressed = CSI.replace('privileged: true', 'privileged: true # minpriv:ignore privileged-container -- CSI node plugin');
    const { out, fixes, declined } = fixesOf(suppressed);
    const ape = out.findings.find((f) => f.ruleId === 'allow-privilege-escalation');
    expect(ape).toBeDefined();
    expect(fixes.flatMap((f) => f.edit.lines).join('\n')).not.toContain('allowPrivilegeEscalation: false');
    expect(declined.find((d) => d.fingerprint === ape?.fingerprint)?.reason).toContain(
      'cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
    );
  });

  it('fix --all reaches the fixpoint: a second run finds nothing more to apply', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: win
spec:
  hostNetwork: true
  securityContext:
    windowsOptions:
      hostProcess: true
  containers:
    - name: c
      image: c:1
`;
    const once = fixToFixpoint([{ path: 'p.yaml', content: pod }], { scan: {}, includeReview: true });
    expect(once.rounds).toBeGreaterThan(1);
    const text = once.texts.get('p.yaml') as string;
    expect(text).not.toContain('hostProcess');
    expect(text).not.toContain('hostNetwork');
    const twice = fixToFixpoint([{ path: 'p.yaml', content: text }], { scan: {}, includeReview: true });
    expect(twice.fixes).toEqual([]);
  });
});
