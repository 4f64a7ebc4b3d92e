import { defineRule } from '../core/rule.js';
import { podServiceAccount } from './service-account.js';

export default defineRule({
  id: 'default-service-account',
  meta: {
    title: 'Pod runs as the default ServiceAccount',
    description:
      'The pod spec must name a ServiceAccount of its own in `serviceAccountName`; unset or `default` runs the pod as the namespace’s `default` ServiceAccount.',
    rationale:
      'Every pod of a namespace that names no ServiceAccount shares `default`, so a permission granted to one of them is granted to all, and their API calls cannot be told apart in audit logs.',
    remediation:
      'Create a ServiceAccount for the workload (with `automountServiceAccountToken: false` unless it calls the API) and set `serviceAccountName` to it in the pod spec.',
    severity: 'low',
    category: 'service-account',
    standards: {
      kubeLinter: ['default-service-account'],
      kubescape: ['C-0189'],
      checkov: ['CKV_K8S_41'],
    },
    fixable: false,
  },
  check: (ctx) => {
    const sa = podServiceAccount(ctx.workload);
    if (sa.name !== 'default') return;
    if (sa.named)
      ctx.report({ path: sa.path, message: 'pod sets `serviceAccountName: default`, the ServiceAccount shared by every pod of the namespace that names none' });
    else
      ctx.report({
        path: sa.path,
        missing: true,
        message: 'pod does not set `serviceAccountName`, so it runs as `default`, the ServiceAccount shared by every pod of the namespace that names none',
      });
  },
});
