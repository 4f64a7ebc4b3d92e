import { getIn, stringMap } from '../core/object.js';
import { defineObjectRule } from '../core/rule.js';
import { codeList } from './helpers.js';

// Controllers that terminate TLS with a certificate named in an annotation rather than `spec.tls`.
const CERT_ANNOTATIONS = ['alb.ingress.kubernetes.io/certificate-arn', 'ingress.gcp.kubernetes.io/pre-shared-cert', 'networking.gke.io/managed-certificates'];

export default defineObjectRule({
  id: 'ingress-without-tls',
  appliesTo: { kinds: ['Ingress'] },
  meta: {
    title: 'Ingress serves plain HTTP',
    description: 'An Ingress must set `spec.tls`, or name its certificate in an AWS Load Balancer Controller or GKE certificate annotation.',
    rationale: 'Without TLS, credentials, session cookies and data cross the network in clear text, readable and changeable by anyone on the path.',
    remediation: 'Add `spec.tls` with the Ingress hosts and a Secret holding their certificate (cert-manager can issue and renew it through an annotation).',
    severity: 'medium',
    category: 'exposure',
    standards: { kubescape: ['C-0263'], polaris: ['tlsSettingsMissing'] },
    fixable: false,
  },
  check: (ctx) => {
    const value = ctx.object.value;
    const tls = getIn(value, ['spec', 'tls']);
    if (Array.isArray(tls) ? tls.length > 0 : tls !== undefined && tls !== null) return;
    const annotations = stringMap(value.metadata, 'annotations');
    if (CERT_ANNOTATIONS.some((a) => (annotations[a] ?? '') !== '')) return;
    const rules = getIn(value, ['spec', 'rules']);
    const hosts = Array.isArray(rules) ? rules.map((r) => getIn(r, ['host'])).filter((h): h is string => typeof h === 'string') : [];
    const what = hosts.length > 0 ? `: ${codeList(hosts)} ${hosts.length === 1 ? 'is' : 'are'} served over plain HTTP` : ', so it serves plain HTTP';
    ctx.report({ path: ['spec', 'tls'], missing: true, message: `Ingress \`${ctx.object.id.name}\` has no \`spec.tls\`${what}` });
  },
});
