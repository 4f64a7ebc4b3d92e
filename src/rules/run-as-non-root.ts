import { defineRule, type Report, type RuleContext } from '../core/rule.js';
import type { Path } from '../core/types.js';
import type { ContainerRef } from '../core/workload.js';
import { containerSc, describe, fmt, plural, podSc, podScPath, runsHostProcess, scPath, userNamespaced } from './helpers.js';

const CHECK = 'the image must run as a non-root user (USER in the Dockerfile or runAsUser)';

function setTrue(path: Path) {
  return { confidence: 'review' as const, title: 'set `runAsNonRoot: true`', check: CHECK, ops: [{ op: 'set' as const, path, value: true }] };
}

function report(ctx: RuleContext, path: Path, message: string, container?: string, missing?: boolean): void {
  // Kubernetes refuses `runAsNonRoot: true` on Windows HostProcess pods: the finding stays, without a fix.
  const hostProcess = runsHostProcess(ctx.workload);
  const r: Report = {
    path,
    message: hostProcess ? `${message} (a Windows HostProcess pod cannot set it: remove \`windowsOptions.hostProcess\` first)` : message,
  };
  if (container !== undefined) r.container = container;
  if (missing) r.missing = missing;
  if (!hostProcess) r.fix = setTrue(path);
  ctx.report(r);
}

export default defineRule({
  id: 'run-as-non-root',
  meta: {
    title: 'Pod may run as root',
    description:
      'The pod must set `securityContext.runAsNonRoot: true`, or else every container must; an explicit `false` anywhere fails. From PSS 1.35 a pod with `hostUsers: false` is exempt.',
    rationale:
      'With `runAsNonRoot: true` the kubelet refuses to start a container whose user is root; without it an image that defaults to root runs as root, and a container escape lands as root on the node.',
    remediation:
      'Set `securityContext.runAsNonRoot: true` at the pod level, remove any `runAsNonRoot: false`, and make sure the image has a non-root USER (or set `runAsUser`).',
    severity: 'medium',
    category: 'pod-security',
    standards: {
      pss: { level: 'restricted', control: 'runAsNonRoot' },
      kubeLinter: ['run-as-non-root'],
      trivy: ['KSV-0012'],
      kubescape: ['C-0013'],
      polaris: ['runAsRootAllowed'],
      checkov: ['CKV_K8S_23'],
    },
    fixable: true,
  },
  check: (ctx) => {
    const w = ctx.workload;
    if (userNamespaced(w, ctx.pssVersion)) return;
    const podValue = podSc(w).runAsNonRoot;
    const podUnset = podValue === undefined || podValue === null;
    if (!podUnset && podValue !== true) report(ctx, podScPath(w, 'runAsNonRoot'), `pod sets \`securityContext.runAsNonRoot: ${fmt(podValue)}\``);
    const unset: ContainerRef[] = [];
    for (const c of w.containers) {
      const value = containerSc(c).runAsNonRoot;
      if (value === undefined || value === null) {
        if (podUnset) unset.push(c);
      } else if (value !== true) {
        report(ctx, scPath(c, 'runAsNonRoot'), `${describe(c)} sets \`securityContext.runAsNonRoot: ${fmt(value)}\``, c.name);
      }
    }
    if (unset.length === 0) return;
    report(
      ctx,
      podScPath(w, 'runAsNonRoot'),
      `pod does not set \`securityContext.runAsNonRoot: true\`, and neither ${plural(unset.length, 'does', 'do')} ${unset.map(describe).join(', ')}`,
      undefined,
      true,
    );
  },
});
