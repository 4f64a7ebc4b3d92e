import { defineRule, forEachContainer } from '../core/rule.js';
import { getIn } from '../core/workload.js';
import { appliesAt, describe, fmt, v1 } from './helpers.js';

const SINCE = v1(34);
const HANDLERS = [['livenessProbe'], ['readinessProbe'], ['startupProbe'], ['lifecycle', 'postStart'], ['lifecycle', 'preStop']] as const;

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
    for (const handler of HANDLERS) {
      for (const action of ['httpGet', 'tcpSocket']) {
        const path = [...c.path, ...handler, action, 'host'];
        const value = getIn(c.value, [...handler, action, 'host']);
        if (value === undefined || value === null || value === '') continue;
        ctx.report({
          path,
          container: c.name,
          message: `${describe(c)} sets \`${[...handler, action, 'host'].join('.')}: ${fmt(value)}\``,
          fix: {
            confidence: 'review',
            title: `remove \`${handler.at(-1)}.${action}.host\``,
            check: `the ${handler.at(-1)} then targets the pod IP instead of ${fmt(value)}; an application that routes by host name needs an \`httpHeaders\` Host entry`,
            ops: [{ op: 'remove', path }],
          },
        });
      }
    }
  }),
});
