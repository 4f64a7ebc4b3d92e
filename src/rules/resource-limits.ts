import { getIn } from '../core/object.js';
import { defineRule, forEachContainer } from '../core/rule.js';
import { codeList, describe, plural } from './helpers.js';

const set = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

export default defineRule({
  id: 'resource-limits',
  meta: {
    title: 'Container has no memory limit or resource requests',
    description:
      'Every container and init container must set `resources.limits.memory`, `resources.requests.cpu` and `resources.requests.memory`. A request left unset defaults to the limit, so a CPU or memory limit counts as its request.',
    rationale:
      'A container without a memory limit can exhaust its node and get its neighbours killed, and one without requests is scheduled as if it needed nothing and is evicted first: one compromised or buggy pod can take down others.',
    remediation:
      'Set `resources.requests.cpu` and `resources.requests.memory` to what the container needs, and `resources.limits.memory` to the most it may use (a LimitRange in the namespace can set defaults).',
    severity: 'low',
    category: 'hygiene',
    standards: {
      kubeLinter: ['unset-cpu-requirements', 'unset-memory-requirements'],
      trivy: ['KSV-0015', 'KSV-0016', 'KSV-0018'],
      kubescape: ['C-0004', 'C-0268', 'C-0269', 'C-0271'],
      polaris: ['cpuRequestsMissing', 'memoryRequestsMissing', 'memoryLimitsMissing'],
      checkov: ['CKV_K8S_10', 'CKV_K8S_12', 'CKV_K8S_13'],
    },
    fixable: false,
  },
  check: forEachContainer((c, ctx) => {
    // Ephemeral containers may not set resources.
    if (c.list === 'ephemeralContainers') return;
    const r = c.value.resources;
    const limit = (k: string) => set(getIn(r, ['limits', k]));
    const request = (k: string) => set(getIn(r, ['requests', k])) || limit(k);
    const missing: string[][] = [];
    if (!request('cpu')) missing.push(['requests', 'cpu']);
    if (!request('memory')) missing.push(['requests', 'memory']);
    if (!limit('memory')) missing.push(['limits', 'memory']);
    const first = missing[0];
    if (!first) return;
    const names = missing.map((m) => `resources.${m.join('.')}`);
    ctx.report({
      path: [...c.path, 'resources', ...first],
      container: c.name,
      missing: true,
      message: `${describe(c)} does not set ${plural(names.length, '', 'any of ')}${codeList(names)}`,
    });
  }),
});
