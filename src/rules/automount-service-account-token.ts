import { defineRule } from '../core/rule.js';
import { fmt, podPath } from './helpers.js';
import { findServiceAccount, isBound, podServiceAccount } from './service-account.js';

export default defineRule({
  id: 'automount-service-account-token',
  needsIndex: true,
  meta: {
    title: 'Pod mounts a service account token',
    description:
      'The pod spec must set `automountServiceAccountToken: false`, unless its ServiceAccount in the scan sets it `false` and the pod does not set it `true`. A pod whose ServiceAccount a RoleBinding or ClusterRoleBinding of the scan names is taken to use the API and is not reported.',
    rationale:
      'Kubernetes mounts an API token into every container by default. Most applications never call the API, but anyone who gets code execution in the container can use the token with every permission its ServiceAccount has.',
    remediation:
      'Set `automountServiceAccountToken: false` on the pod spec (or on the ServiceAccount). A workload that does call the API should have its own ServiceAccount with a RoleBinding for exactly what it needs.',
    severity: 'medium',
    category: 'service-account',
    standards: {
      trivy: ['KSV-0036'],
      kubescape: ['C-0034', 'C-0190', 'C-0261'],
      polaris: ['automountServiceAccountToken'],
      checkov: ['CKV_K8S_38'],
    },
    fixable: true,
  },
  check: (ctx) => {
    const w = ctx.workload;
    const own = w.podSpec?.automountServiceAccountToken;
    if (own === false) return;
    const sa = podServiceAccount(w);
    const ns = w.id.namespace;
    if (isBound(ctx.index, sa.name, ns)) return;
    const account = findServiceAccount(ctx.index, sa.name, ns);
    const path = podPath(w, 'automountServiceAccountToken');
    const fix = {
      confidence: 'review' as const,
      title: 'set `automountServiceAccountToken: false`',
      check: 'a workload that talks to the Kubernetes API (controllers, operators) needs the token',
      ops: [{ op: 'set' as const, path, value: false }],
    };
    if (own !== undefined && own !== null) {
      ctx.report({
        path,
        fix,
        message: `pod sets \`automountServiceAccountToken: ${fmt(own)}\`, so every container gets an API token for ServiceAccount \`${sa.name}\``,
      });
      return;
    }
    if (account?.value.automountServiceAccountToken === false) return;
    const why = account ? `its ServiceAccount \`${sa.name}\` does not either` : `its ServiceAccount \`${sa.name}\` is not in the scan`;
    ctx.report({
      path,
      fix,
      missing: true,
      message: `pod does not set \`automountServiceAccountToken: false\` and ${why}, so every container gets an API token`,
    });
  },
});
