import { defineRule } from '../core/rule.js';
import { fmt, isOn, podPath, runsHostProcess } from './helpers.js';

const FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/** What to check before a host namespace goes: who shares it on purpose. */
const CHECKS: Record<(typeof FIELDS)[number], string> = {
  hostNetwork: "the pod must not need the node's network (node agents, CNI plugins, an ingress listening on the node)",
  hostPID: "the pod must not need to see or signal the node's processes (node agents, debuggers)",
  hostIPC: 'the pod must not share memory or IPC objects with processes on the node',
};

export default defineRule({
  id: 'host-namespaces',
  meta: {
    title: 'Pod shares a host namespace',
    description: 'Pods must not set `hostNetwork`, `hostPID` or `hostIPC` to `true`.',
    rationale:
      'A pod in the host network, PID or IPC namespace sees and can reach the node itself: every host port and interface, every process on the node, and its shared memory.',
    remediation:
      'Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to `false`); expose the workload through a Service instead of the host network. A Windows HostProcess pod cannot run without `hostNetwork: true`: remove `windowsOptions.hostProcess` first (rule `host-process`).',
    severity: 'high',
    category: 'pod-security',
    standards: {
      pss: { level: 'baseline', control: 'hostNamespaces' },
      kubeLinter: ['host-network', 'host-pid', 'host-ipc'],
      trivy: ['KSV-0009', 'KSV-0010', 'KSV-0008'],
      kubescape: ['C-0041', 'C-0038'],
      polaris: ['hostNetworkSet', 'hostPIDSet', 'hostIPCSet'],
      checkov: ['CKV_K8S_19', 'CKV_K8S_17', 'CKV_K8S_18'],
    },
    fixable: true,
  },
  check: (ctx) => {
    const spec = ctx.workload.podSpec ?? {};
    for (const field of FIELDS) {
      if (!isOn(spec[field])) continue;
      const path = podPath(ctx.workload, field);
      const message = `pod sets \`${field}: ${fmt(spec[field])}\``;
      // The API server rejects a HostProcess pod without hostNetwork: no fix until hostProcess is gone.
      if (field === 'hostNetwork' && runsHostProcess(ctx.workload)) {
        ctx.report({ path, message: `${message}, which its Windows HostProcess containers require: remove \`windowsOptions.hostProcess\` first` });
        continue;
      }
      // Review: a node agent, CNI plugin or ingress that shares a host namespace on purpose stops working without it.
      ctx.report({ path, message, fix: { confidence: 'review', title: `remove \`${field}\``, check: CHECKS[field], ops: [{ op: 'remove', path }] } });
    }
  },
});
