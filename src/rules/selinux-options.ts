import { defineRule } from '../core/rule.js';
import type { Path } from '../core/types.js';
import { isObj } from '../core/workload.js';
import { appliesAt, containerSc, describe, fmt, podSc, podScPath, scPath, v1 } from './helpers.js';

const TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];

export default defineRule({
  id: 'selinux-options',
  meta: {
    title: 'SELinux options are not restricted',
    description:
      'In `seLinuxOptions` of the pod and its containers, `type` must be empty or one of `container_t`, `container_init_t`, `container_kvm_t` (and `container_engine_t` from PSS 1.31), and `user` and `role` must be empty.',
    rationale: 'A custom SELinux user, role or type can lift the confinement that keeps a container away from the files and processes of the node.',
    remediation:
      'Remove `seLinuxOptions.user` and `seLinuxOptions.role`, and use one of the container types (or none); there is no automatic fix because the right label depends on the node policy.',
    severity: 'medium',
    category: 'pod-security',
    standards: {
      pss: { level: 'baseline', control: 'seLinuxOptions' },
      trivy: ['KSV-0025'],
      polaris: ['linuxHardening'],
    },
    fixable: false,
  },
  check: (ctx) => {
    const types = appliesAt(ctx.pssVersion, v1(31)) ? [...TYPES_1_0, 'container_engine_t'] : TYPES_1_0;
    const inspect = (options: unknown, base: Path, who: string, container?: string): void => {
      if (!isObj(options)) return;
      const bad: [string, unknown][] = [];
      if (options.type !== undefined && options.type !== null && !types.includes(options.type as string)) bad.push(['type', options.type]);
      for (const key of ['user', 'role']) if (options[key] !== undefined && options[key] !== null && options[key] !== '') bad.push([key, options[key]]);
      for (const [key, value] of bad) {
        const report = { path: [...base, key], message: `${who} sets \`securityContext.seLinuxOptions.${key}: ${fmt(value)}\`` };
        ctx.report(container === undefined ? report : { ...report, container });
      }
    };
    inspect(podSc(ctx.workload).seLinuxOptions, podScPath(ctx.workload, 'seLinuxOptions'), 'pod');
    for (const c of ctx.workload.containers) inspect(containerSc(c).seLinuxOptions, scPath(c, 'seLinuxOptions'), describe(c), c.name);
  },
});
