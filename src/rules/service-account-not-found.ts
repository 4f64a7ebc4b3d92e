import { defineRule } from '../core/rule.js';
import { findServiceAccount, hasAccountIn, podServiceAccount } from './service-account.js';

export default defineRule({
  id: 'service-account-not-found',
  needsIndex: true,
  meta: {
    title: 'ServiceAccount is not defined',
    description:
      'The ServiceAccount the pod names must be defined in the scan, when the scan defines the namespace or other ServiceAccounts of it. A repository that defines neither deploys into a namespace managed elsewhere and is not reported.',
    rationale:
      'A pod that names a missing ServiceAccount is not created until someone makes it; a ServiceAccount made by hand outside the repository carries permissions no review sees.',
    remediation: 'Add the ServiceAccount to the manifests next to the workload, or fix the name in `serviceAccountName`.',
    severity: 'info',
    category: 'service-account',
    standards: { kubeLinter: ['non-existent-service-account'] },
    fixable: false,
  },
  check: (ctx) => {
    const sa = podServiceAccount(ctx.workload);
    // Every namespace has `default`, made by the API server.
    if (!sa.named || sa.name === 'default') return;
    const ns = ctx.object.id.namespace;
    if (findServiceAccount(ctx.index, sa.name, ns)) return;
    const others = hasAccountIn(ctx.index, ns);
    const namespace = ns !== undefined && ctx.index.get('Namespace', ns) !== undefined;
    if (!others && !namespace) return;
    const where = ns === undefined ? 'the scan' : `namespace \`${ns}\` of the scan`;
    ctx.report({ path: sa.path, message: `pod runs as ServiceAccount \`${sa.name}\`, which ${where} does not define` });
  },
});
