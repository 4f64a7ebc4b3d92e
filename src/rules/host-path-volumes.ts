import { defineRule } from '../core/rule.js';
import { isOn } from './helpers.js';
import { hostPathOf, podVolumes, removeVolumeFix } from './volumes.js';

export default defineRule({
  id: 'host-path-volumes',
  meta: {
    title: 'Pod mounts a hostPath volume',
    description: 'Pods must not use `hostPath` volumes.',
    rationale:
      'A hostPath volume exposes a directory of the node to the container: the container runtime socket, kubelet credentials or `/etc` turn into a node takeover, and writes survive the pod.',
    remediation:
      'Replace the `hostPath` volume with a PersistentVolumeClaim, a ConfigMap, a Secret or an emptyDir, and remove its `volumeMounts`; node agents that need host files belong in a namespace meant for privileged workloads.',
    severity: 'high',
    category: 'pod-security',
    standards: {
      pss: { level: 'baseline', control: 'hostPathVolumes' },
      kubeLinter: ['sensitive-host-mounts', 'docker-sock'],
      trivy: ['KSV-0023', 'KSV-0006', 'KSV-0121'],
      kubescape: ['C-0048', 'C-0045', 'C-0074'],
      polaris: ['hostPathSet'],
      checkov: ['CKV_K8S_27'],
    },
    fixable: true,
  },
  check: (ctx) => {
    for (const v of podVolumes(ctx.workload)) {
      if (!isOn(v.value.hostPath)) continue;
      ctx.report({
        path: [...v.path, 'hostPath'],
        message: `pod mounts hostPath volume \`${v.name}\`${hostPathOf(v)}`,
        fix: removeVolumeFix(ctx.workload, v),
      });
    }
  },
});
