import { defineRule, forEachContainer } from '../core/rule.js';
import { getIn } from '../core/workload.js';
import { codeList, containerSc, describe, listItems, plural, removeItems, scPath } from './helpers.js';

/** PSA `capabilities_allowed_1_0`: exact, case-sensitive names. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

export default defineRule({
  id: 'capabilities-baseline',
  meta: {
    title: 'Container adds a capability beyond the baseline set',
    description:
      'Containers may add only the capabilities a container runtime grants by default (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT), spelled exactly so.',
    rationale:
      'Capabilities such as SYS_ADMIN, NET_ADMIN, NET_RAW or SYS_PTRACE hand a container parts of root on the node: mounting filesystems, reconfiguring the network, spoofing packets or reading other processes.',
    remediation:
      'Remove the extra entries from `securityContext.capabilities.add`; if the workload really needs one, run it in a namespace whose policy allows it and document why.',
    severity: 'high',
    category: 'pod-security',
    standards: {
      pss: { level: 'baseline', control: 'capabilities_baseline' },
      trivy: ['KSV-0022', 'KSV-0005', 'KSV-0119', 'KSV-0120'],
      kubescape: ['C-0046'],
      polaris: ['dangerousCapabilities'],
      checkov: ['CKV_K8S_25', 'CKV_K8S_39'],
    },
    fixable: true,
  },
  check: forEachContainer((c, ctx) => {
    const bad = listItems(getIn(containerSc(c), ['capabilities', 'add'])).filter((i) => !BASELINE_CAPABILITIES.has(i.value));
    const first = bad[0];
    if (!first) return;
    const listPath = scPath(c, 'capabilities', 'add');
    const names = codeList(bad.map((b) => b.value));
    ctx.report({
      path: [...listPath, first.index],
      endAt: [...listPath, (bad.at(-1) as { index: number }).index],
      container: c.name,
      message: `${describe(c)} adds ${plural(bad.length, 'capability', 'capabilities')} ${names}`,
      fix: {
        confidence: 'review',
        title: `stop adding ${names}`,
        check: `the process must not need ${names}`,
        ops: removeItems(
          listPath,
          bad.map((b) => b.index),
        ),
      },
    });
  }),
});
