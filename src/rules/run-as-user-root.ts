import { defineRule } from '../core/rule.js';
import type { Path } from '../core/types.js';
import { appliesAt, containerSc, describe, podSc, podScPath, scPath, userNamespaced, v1 } from './helpers.js';

const SINCE = v1(23);

function removeRoot(path: Path) {
  return {
    confidence: 'review' as const,
    title: 'remove `runAsUser: 0`',
    check: 'the image must run as a non-root user (USER in the Dockerfile), or set a non-zero `runAsUser` instead',
    ops: [{ op: 'remove' as const, path }],
  };
}

export default defineRule({
  id: 'run-as-user-root',
  meta: {
    title: 'Pod runs as user 0',
    description: 'Neither the pod nor any container may set `securityContext.runAsUser: 0`. From PSS 1.35 a pod with `hostUsers: false` is exempt.',
    rationale:
      'User 0 is root: it owns the container filesystem, and a process that escapes the container is root on the node unless user namespaces remap it.',
    remediation: 'Remove `runAsUser: 0` and run as the non-root user of the image, or set a non-zero `runAsUser` (for example 10001).',
    severity: 'high',
    category: 'pod-security',
    standards: {
      pss: { level: 'restricted', control: 'runAsUser' },
      kubeLinter: ['run-as-non-root'],
      trivy: ['KSV-0105'],
      kubescape: ['C-0013'],
      polaris: ['runAsRootAllowed'],
    },
    fixable: true,
    since: SINCE,
  },
  check: (ctx) => {
    const w = ctx.workload;
    if (!appliesAt(ctx.pssVersion, SINCE) || userNamespaced(w, ctx.pssVersion)) return;
    if (podSc(w).runAsUser === 0) {
      const path = podScPath(w, 'runAsUser');
      ctx.report({ path, message: 'pod sets `securityContext.runAsUser: 0`', fix: removeRoot(path) });
    }
    for (const c of w.containers) {
      if (containerSc(c).runAsUser !== 0) continue;
      const path = scPath(c, 'runAsUser');
      ctx.report({ path, container: c.name, message: `${describe(c)} sets \`securityContext.runAsUser: 0\``, fix: removeRoot(path) });
    }
  },
});
