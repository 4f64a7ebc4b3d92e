import { defineRule } from '../core/rule.js';
import type { Path } from '../core/types.js';
import { type ContainerRef, getIn } from '../core/workload.js';
import { containerSc, describe, fmt, isOn, podSc, podScPath, scPath } from './helpers.js';

const HOST_PROCESS = ['windowsOptions', 'hostProcess'];
const CHECK = 'a Windows HostProcess workload (node agent, CNI, storage driver) cannot run without it; it then needs a namespace that allows privileged pods';

export default defineRule({
  id: 'host-process',
  meta: {
    title: 'Windows HostProcess container',
    description: 'Pods and containers must not set `securityContext.windowsOptions.hostProcess: true`.',
    rationale:
      'A Windows HostProcess container runs directly on the node as a host process, with full access to the host: it is the Windows counterpart of a privileged container.',
    remediation:
      'Remove `windowsOptions.hostProcess` from the pod and container security contexts; run node-level agents only in a namespace that is meant for privileged workloads.',
    severity: 'critical',
    category: 'pod-security',
    standards: {
      pss: { level: 'baseline', control: 'windowsHostProcess' },
      trivy: ['KSV-0103'],
      kubescape: ['C-0202'],
      polaris: ['hostProcess'],
    },
    fixable: true,
  },
  check: (ctx) => {
    const w = ctx.workload;
    const found: { path: Path; value: unknown; container?: ContainerRef }[] = [];
    const podValue = getIn(podSc(w), HOST_PROCESS);
    if (isOn(podValue)) found.push({ path: podScPath(w, 'windowsOptions', 'hostProcess'), value: podValue });
    for (const c of w.containers) {
      const value = getIn(containerSc(c), HOST_PROCESS);
      if (isOn(value)) found.push({ path: scPath(c, 'windowsOptions', 'hostProcess'), value, container: c });
    }
    if (found.length === 0) return;
    // One fix for the whole pod: removing only some settings would leave HostProcess and normal containers
    // mixed, which the API server rejects. Every finding carries the same ops, so they group into one edit.
    const fix = {
      confidence: 'review' as const,
      title: 'remove `windowsOptions.hostProcess`',
      check: CHECK,
      ops: found.map((f) => ({ op: 'remove' as const, path: f.path })),
    };
    for (const f of found) {
      const where = f.container ? describe(f.container) : 'pod';
      const message = `${where} sets \`securityContext.windowsOptions.hostProcess: ${fmt(f.value)}\``;
      ctx.report(f.container ? { path: f.path, container: f.container.name, message, fix } : { path: f.path, message, fix });
    }
  },
});
