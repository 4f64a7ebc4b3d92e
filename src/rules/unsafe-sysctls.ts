import { defineRule } from '../core/rule.js';
import { atLeast, type KubeVersion } from '../core/version.js';
import { isObj } from '../core/workload.js';
import { codeList, plural, podSc, podScPath, removeItems } from './helpers.js';

/** PSA `sysctls` allowlist by the PSS version that added each group. */
const SAFE_SYSCTLS: readonly [number, readonly string[]][] = [
  [
    0,
    ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'],
  ],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

export function safeSysctls(v: KubeVersion): Set<string> {
  return new Set(SAFE_SYSCTLS.filter(([minor]) => atLeast(v, minor)).flatMap(([, names]) => names));
}

export default defineRule({
  id: 'unsafe-sysctls',
  meta: {
    title: 'Pod sets an unsafe sysctl',
    description:
      'Pods may set only the namespaced sysctls that the Pod Security Standards list as safe at the scanned version (for example `net.ipv4.ip_local_port_range` or `net.ipv4.tcp_keepalive_time`).',
    rationale:
      'Other sysctls are not isolated per pod, or can exhaust kernel resources: setting them changes or destabilises the whole node and every pod on it.',
    remediation: 'Remove the sysctl from `securityContext.sysctls`, or tune it on the nodes (for example in a node pool configuration) instead of in the pod.',
    severity: 'medium',
    category: 'pod-security',
    standards: {
      pss: { level: 'baseline', control: 'sysctls' },
      kubeLinter: ['unsafe-sysctls'],
      trivy: ['KSV-0026'],
      kubescape: ['C-0211'],
    },
    fixable: true,
  },
  check: (ctx) => {
    const list = podSc(ctx.workload).sysctls;
    if (!Array.isArray(list)) return;
    const safe = safeSysctls(ctx.pssVersion);
    const bad: { index: number; name: string }[] = [];
    list.forEach((item, index) => {
      const name = isObj(item) ? item.name : undefined;
      if (typeof name !== 'string' || !safe.has(name)) bad.push({ index, name: typeof name === 'string' ? name : JSON.stringify(name ?? null) });
    });
    const first = bad[0];
    if (!first) return;
    const listPath = podScPath(ctx.workload, 'sysctls');
    const names = codeList(bad.map((b) => b.name));
    ctx.report({
      path: [...listPath, first.index, 'name'],
      message: `pod sets unsafe ${plural(bad.length, 'sysctl', 'sysctls')} ${names}`,
      fix: {
        confidence: 'review',
        title: `remove ${plural(bad.length, 'sysctl', 'sysctls')} ${names}`,
        check: `the workload must not depend on ${names}; tune it on the nodes if it does`,
        ops: removeItems(
          listPath,
          bad.map((b) => b.index),
        ),
      },
    });
  },
});
