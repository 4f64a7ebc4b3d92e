import { defineRule } from '../core/rule.js';
import { isObj, type Obj } from '../core/workload.js';
import { appliesAt, containerSc, describe, fmt, podSc, podScPath, scPath, v1 } from './helpers.js';

const TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const TYPES_1_31 = [...TYPES_1_0, 'container_engine_t'];
const ENGINE_SINCE = v1(31);

/** The fields of `seLinuxOptions` that break the policy, in report order. */
function badFields(options: Obj, types: readonly string[]): [string, unknown][] {
  const bad: [string, unknown][] = [];
  if (options.type !== undefined && options.type !== null && !types.includes(options.type as string)) bad.push(['type', options.type]);
  for (const key of ['user', 'role']) if (options[key] !== undefined && options[key] !== null && options[key] !== '') bad.push([key, options[key]]);
  return bad;
}

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
    const types = appliesAt(ctx.pssVersion, ENGINE_SINCE) ? TYPES_1_31 : TYPES_1_0;
    // Paths and messages only for options that are set and wrong: most pods set none.
    const pod = podSc(ctx.workload).seLinuxOptions;
    if (isObj(pod)) {
      for (const [key, value] of badFields(pod, types)) {
        ctx.report({ path: podScPath(ctx.workload, 'seLinuxOptions', key), message: `pod sets \`securityContext.seLinuxOptions.${key}: ${fmt(value)}\`` });
      }
    }
    for (const c of ctx.workload.containers) {
      const options = containerSc(c).seLinuxOptions;
      if (!isObj(options)) continue;
      for (const [key, value] of badFields(options, types)) {
        ctx.report({
          path: scPath(c, 'seLinuxOptions', key),
          message: `${describe(c)} sets \`securityContext.seLinuxOptions.${key}: ${fmt(value)}\``,
          container: c.name,
        });
      }
    }
  },
});
