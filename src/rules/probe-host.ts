import { defineRule, forEachContainer } from '../core/rule.js';
import { getIn, isObj } from '../core/workload.js';
import { appliesAt, describe, fmt, v1 } from './helpers.js';

const SINCE = v1(34);
const HANDLERS = [['livenessProbe'], ['readinessProbe'], ['startupProbe'], ['lifecycle', 'postStart'], ['lifecycle', 'preStop']] as const;
const ACTIONS = [
  { action: 'httpGet', host: ['httpGet', 'host'] },
  { action: 'tcpSocket', host: ['tcpSocket', 'host'] },
] as const;

export default defineRule({
  id: 'probe-host',
  meta: {
    title: 'Probe or lifecycle hook targets another host',
    description: 'The `httpGet.host` and `tcpSocket.host` of probes and of `postStart`/`preStop` hooks must be empty or unset (PSS 1.34 and later).',
    rationale:
      'The kubelet runs probes and hooks from the node: a `host` field makes it send requests to any address the node can reach, including node-local services and cloud metadata endpoints.',
    remediation: 'Remove the `host` field so the kubelet probes the pod IP; send a `Host` header through `httpGet.httpHeaders` if the application needs one.',
    severity: 'medium',
    category: 'pod-security',
    standards: { pss: { level: 'baseline', control: 'hostProbesAndHostLifecycle' } },
    fixable: true,
    since: SINCE,
  },
  check: forEachContainer((c, ctx) => {
    if (!appliesAt(ctx.pssVersion, SINCE)) return;
    // Nearly every container has no host here: look it up first, build paths and fixes only to report.
    for (const handler of HANDLERS) {
      const node = getIn(c.value, handler);
      if (!isObj(node)) continue;
      for (const { action, host } of ACTIONS) {
        const value = getIn(node, host);
        if (value === undefined || value === null || value === '') continue;
        const name = handler.at(-1);
        const path = [...c.path, ...handler, action, 'host'];
        ctx.report({
          path,
          container: c.name,
          message: `${describe(c)} sets \`${[...handler, action, 'host'].join('.')}: ${fmt(value)}\``,
          fix: {
            confidence: 'review',
            title: `remove \`${name}.${action}.host\``,
            check: `the ${name} then targets the pod IP instead of ${fmt(value)}; an application that routes by host name needs an \`httpHeaders\` Host entry`,
            ops: [{ op: 'remove', path }],
          },
        });
      }
    }
  }),
});
