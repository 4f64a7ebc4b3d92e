import { getIn, stringMap } from '../core/object.js';
import { defineObjectRule } from '../core/rule.js';

// Cloud annotations that make a LoadBalancer internal (reachable from the VPC only) or limit its sources.
const INTERNAL: Record<string, (v: string) => boolean> = {
  'service.beta.kubernetes.io/load-balancer-source-ranges': (v) => v.trim() !== '',
  'service.beta.kubernetes.io/aws-load-balancer-internal': (v) => v !== 'false',
  'service.beta.kubernetes.io/aws-load-balancer-scheme': (v) => v === 'internal',
  'service.beta.kubernetes.io/azure-load-balancer-internal': (v) => v === 'true',
  'networking.gke.io/load-balancer-type': (v) => v === 'Internal',
  'cloud.google.com/load-balancer-type': (v) => v === 'Internal',
};

export default defineObjectRule({
  id: 'service-exposed',
  appliesTo: { kinds: ['Service'] },
  meta: {
    title: 'Service is exposed outside the cluster',
    description:
      'A Service must not be of type `NodePort`, nor of type `LoadBalancer` without `spec.loadBalancerSourceRanges` (or an internal-load-balancer or source-ranges annotation of AWS, Azure or GKE).',
    rationale:
      'A NodePort opens the port on every node, and a LoadBalancer without source ranges gets a public address: both bypass the Ingress and its TLS and authentication, and admin UIs exposed this way are a common way in.',
    remediation:
      'Use `type: ClusterIP` behind an Ingress, or restrict a LoadBalancer with `spec.loadBalancerSourceRanges` (the CIDRs that may connect) or make it internal with your cloud’s annotation.',
    severity: 'medium',
    category: 'exposure',
    standards: { kubeLinter: ['exposed-services'] },
    fixable: false,
  },
  check: (ctx) => {
    const value = ctx.object.value;
    const type = getIn(value, ['spec', 'type']);
    const name = `Service \`${ctx.object.id.name}\``;
    if (type === 'NodePort') {
      ctx.report({ path: ['spec', 'type'], message: `${name} is of type \`NodePort\`: its ports are open on every node of the cluster` });
      return;
    }
    if (type !== 'LoadBalancer') return;
    const ranges = getIn(value, ['spec', 'loadBalancerSourceRanges']);
    if (Array.isArray(ranges) && ranges.length > 0) return;
    const annotations = stringMap(value.metadata, 'annotations');
    if (Object.entries(INTERNAL).some(([k, ok]) => annotations[k] !== undefined && ok(annotations[k]))) return;
    ctx.report({
      path: ['spec', 'type'],
      missing: true,
      message: `${name} is of type \`LoadBalancer\` without \`spec.loadBalancerSourceRanges\`: any address can connect to it`,
    });
  },
});
