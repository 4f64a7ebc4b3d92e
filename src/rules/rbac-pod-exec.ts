import { defineObjectRule } from '../core/rule.js';
import { carrying, dropFix, entriesWith, entryFix, grantees } from './rbac-helpers.js';

export default defineObjectRule({
  id: 'rbac-pod-exec',
  appliesTo: { kinds: ['Role', 'ClusterRole'] },
  needsIndex: true,
  meta: {
    title: 'RBAC rule allows exec into pods or the kubelet API',
    description:
      'A rule entry must not allow `create` or `get` on `pods/exec`, `pods/attach` or `pods/portforward`, nor `get` or `create` on `nodes/proxy` (also through `*` and `*/<subresource>`).',
    rationale:
      'Exec and attach run commands in a pod with its ServiceAccount and mounts. A WebSocket exec is authorised as `get` (before Kubernetes 1.35 `get` alone is enough). `nodes/proxy` reaches the kubelet API, which runs commands in every pod of the node and bypasses audit logging and admission.',
    remediation:
      'Remove these subresources from roles that workloads hold; give people exec through a separate, audited role. Monitoring agents need `nodes/metrics` and `nodes/stats`, not `nodes/proxy`.',
    severity: 'high',
    category: 'rbac',
    standards: { trivy: ['KSV-0053', 'KSV-0054', 'KSV-0047'], kubescape: ['C-0002', 'C-0063', 'C-0279'], checkov: ['CKV2_K8S_2'] },
    fixable: true,
    fixUnit: 'rule-entry',
  },
  check(ctx) {
    const o = ctx.object;
    const hits = entriesWith(o, ['pod-exec', 'nodes-proxy']);
    if (hits.length === 0) return;
    const who = grantees(ctx.index, o);
    const check = 'no monitoring agent bound to this role scrapes the kubelet through the API server proxy (grant `nodes/metrics` and `nodes/stats` instead)';
    for (const { e, found } of hits) {
      const at = `\`rules[${e.index}]\``;
      const exec = found.find((m) => m.risk === 'pod-exec');
      const proxy = found.find((m) => m.risk === 'nodes-proxy');
      const kubelet = `${carrying(o, e, 'verbs', ['nodes-proxy'])} on ${carrying(o, e, 'resources', ['nodes-proxy'])}: the kubelet API of every node, which runs commands in any pod there and bypasses audit logging and admission`;
      if (exec) {
        const getOnly = !e.rule.verbs.includes('create') && !e.rule.verbs.includes('*') ? ' (`get` is enough over WebSocket before Kubernetes 1.35)' : '';
        // `*` carries both risks at one path: one finding says both.
        const also = proxy?.index === exec.index ? `; it also grants ${kubelet}` : '';
        const grant = `${carrying(o, e, 'verbs', ['pod-exec'])} on ${carrying(o, e, 'resources', ['pod-exec'])}`;
        ctx.report({
          path: ['rules', e.index, 'resources', exec.index],
          message: `${at} lets its holders run commands in pods: ${grant}${getOnly}${also}${who.to(e, ['pod-exec'])}`,
          fix: entryFix(o, e.index),
        });
      }
      if (proxy && proxy.index !== exec?.index) {
        const drop = dropFix(o, e, 'resources', (r) => r === 'nodes/proxy', ['nodes-proxy'], check);
        ctx.report({
          path: ['rules', e.index, 'resources', proxy.index],
          message: `${at} grants ${kubelet}${who.to(e, ['nodes-proxy'])}`,
          fix: entryFix(o, e.index, drop),
        });
      }
    }
  },
});
