import { defineRule, type Report } from '../core/rule.js';
import { codeList, isOn } from './helpers.js';
import hostPathVolumes from './host-path-volumes.js';
import { hostPathOf, podVolumes, removeVolumeFix, volumeTypes } from './volumes.js';

/** PSA `restrictedVolumes`: the only volume sources allowed at the restricted level. */
export const ALLOWED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

export default defineRule({
  id: 'restricted-volume-types',
  meta: {
    title: 'Pod uses a volume type outside the restricted set',
    description:
      'Pods may use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes; an unknown volume source counts as forbidden.',
    rationale:
      'Other volume sources either reach into the node (hostPath) or mount storage directly with credentials and drivers the cluster administrator does not control (nfs, iscsi, rbd, cephfs, gitRepo, flexVolume, in-tree cloud disks).',
    remediation:
      'Replace the volume with a persistentVolumeClaim bound to a PersistentVolume or StorageClass the administrator provides, or with a configMap, secret, emptyDir, projected or csi volume; a hostPath volume and its mounts are removed by the suggested fix, other types need a storage decision so they have no automatic fix.',
    severity: 'medium',
    category: 'pod-security',
    standards: {
      pss: { level: 'restricted', control: 'restrictedVolumes' },
      trivy: ['KSV-0028'],
    },
    fixable: true,
    overrides: 'host-path-volumes',
  },
  check: (ctx) => {
    for (const v of podVolumes(ctx.workload)) {
      const bad = volumeTypes(v).filter((t) => !ALLOWED_VOLUME_TYPES.has(t));
      const first = bad[0];
      if (first === undefined) continue;
      const where = first === 'hostPath' ? hostPathOf(v) : '';
      const report: Report = { path: [...v.path, first], message: `pod uses ${codeList(bad)} volume \`${v.name}\`${where}` };
      // Only a hostPath volume has a fix that needs no storage decision.
      if (bad.length === 1 && first === 'hostPath') report.fix = removeVolumeFix(ctx.workload, v);
      // A hostPath volume breaks the baseline too: its severity and suppressions carry over.
      if (isOn(v.value.hostPath)) Object.assign(report, { severity: hostPathVolumes.meta.severity, alsoFor: [hostPathVolumes.id] });
      ctx.report(report);
    }
  },
});
