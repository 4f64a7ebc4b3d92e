import { getIn } from '../core/object.js';
import { defineObjectRule } from '../core/rule.js';

export default defineObjectRule({
  id: 'service-external-ips',
  appliesTo: { kinds: ['Service'] },
  meta: {
    title: 'Service sets externalIPs',
    description: 'A Service must not set `spec.externalIPs`.',
    rationale:
      'Any user who can create or edit a Service can claim any address with `externalIPs` and intercept the cluster’s traffic to it (CVE-2020-8554, unfixed in Kubernetes: clusters must block the field by admission).',
    remediation:
      'Remove `spec.externalIPs` and expose the Service through a `LoadBalancer` or an Ingress; block the field cluster-wide with the `DenyServiceExternalIPs` admission plugin or a policy.',
    severity: 'high',
    category: 'exposure',
    standards: { trivy: ['KSV-0108'] },
    fixable: true,
  },
  check: (ctx) => {
    const path = ['spec', 'externalIPs'];
    const ips = getIn(ctx.object.value, path);
    if (ips === undefined || ips === null || (Array.isArray(ips) && ips.length === 0)) return;
    const n = Array.isArray(ips) ? ips.length : 1;
    ctx.report({
      path,
      message: `Service \`${ctx.object.id.name}\` sets \`spec.externalIPs\` (${n} ${n === 1 ? 'address' : 'addresses'}), which can intercept traffic to those addresses (CVE-2020-8554)`,
      fix: {
        confidence: 'review',
        title: 'remove `externalIPs`',
        check: 'clients that reach the Service on these addresses lose it: expose it through a LoadBalancer or an Ingress instead',
        ops: [{ op: 'remove', path }],
      },
    });
  },
});
