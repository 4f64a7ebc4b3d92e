import { defineRule } from '../core/rule.js';
import { getIn } from '../core/workload.js';
import { containerSc, describe, fmt, isOn, podSc, podScPath, scPath } from './helpers.js';

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
    const fix = (path: readonly (string | number)[]) => ({
      confidence: 'review' as const,
      title: 'remove `windowsOptions.hostProcess`',
      check: CHECK,
      ops: [{ op: 'remove' as const, path }],
    });
    const podValue = getIn(podSc(ctx.workload), ['windowsOptions', 'hostProcess']);
    if (isOn(podValue)) {
      const path = podScPath(ctx.workload, 'windowsOptions', 'hostProcess');
      ctx.report({ path, message: `pod sets \`securityContext.windowsOptions.hostProcess: ${fmt(podValue)}\``, fix: fix(path) });
    }
    for (const c of ctx.workload.containers) {
      const value = getIn(containerSc(c), ['windowsOptions', 'hostProcess']);
      if (!isOn(value)) continue;
      const path = scPath(c, 'windowsOptions', 'hostProcess');
      ctx.report({ path, container: c.name, message: `${describe(c)} sets \`securityContext.windowsOptions.hostProcess: ${fmt(value)}\``, fix: fix(path) });
    }
  },
});
