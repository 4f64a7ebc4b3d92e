import { defineRule, forEachContainer } from '../core/rule.js';
import { isObj } from '../core/workload.js';
import { describe, fmt } from './helpers.js';

export default defineRule({
  id: 'host-ports',
  meta: {
    title: 'Container binds a host port',
    description: 'Container ports must not set `hostPort` (unset or `0` only).',
    rationale:
      'A host port opens the port on the node itself, bypassing Services and NetworkPolicies that the cluster relies on, and it pins the pod to nodes where that port is free.',
    remediation: 'Remove `hostPort` from the container ports and reach the workload through a Service (ClusterIP, NodePort or LoadBalancer) or an Ingress.',
    severity: 'medium',
    category: 'pod-security',
    standards: {
      pss: { level: 'baseline', control: 'hostPorts' },
      trivy: ['KSV-0024'],
      kubescape: ['C-0044'],
      polaris: ['hostPortSet'],
      checkov: ['CKV_K8S_26'],
    },
    fixable: true,
  },
  check: forEachContainer((c, ctx) => {
    const ports = c.value.ports;
    if (!Array.isArray(ports)) return;
    ports.forEach((port, i) => {
      if (!isObj(port)) return;
      const value = port.hostPort;
      if (value === undefined || value === null || value === 0) return;
      const path = [...c.path, 'ports', i, 'hostPort'];
      ctx.report({
        path,
        container: c.name,
        message: `${describe(c)} sets \`ports[${i}].hostPort: ${fmt(value)}\``,
        // Review: traffic sent to the node's port (kind's port mappings, a bare-metal ingress) no longer arrives.
        fix: {
          confidence: 'review',
          title: 'remove `hostPort`',
          check: `nothing must reach this pod on port ${fmt(value)} of its node's address (a Service is the way in)`,
          ops: [{ op: 'remove', path }],
        },
      });
    });
  }),
});
