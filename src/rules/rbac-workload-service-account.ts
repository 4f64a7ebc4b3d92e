import type { K8sObject, ObjectIndex } from '../core/object.js';
import { defineRule } from '../core/rule.js';
import { type Severity, severityRank } from '../core/types.js';
import { isObj, type Workload } from '../core/workload.js';
import { type BindingInfo, classifyRule, type PolicyRule, type RiskId, type RiskMatch, type Scope } from '../rbac/index.js';
import { bindingName, rbacOf, risksText, subjectName } from './rbac-helpers.js';
import { findServiceAccount, type PodServiceAccount, podServiceAccount } from './service-account.js';

/** How bad a risk is for whoever holds it, cluster-wide or in one namespace. */
function riskSeverity(risk: RiskId, clusterWide: boolean): Severity {
  if (risk === 'cluster-admin-equivalent') return clusterWide ? 'critical' : 'high';
  if (risk === 'create-pods' || (risk === 'secrets-read' && !clusterWide)) return 'medium';
  return 'high';
}

const classified = new WeakMap<PolicyRule, Map<string, RiskMatch[]>>();

/** classifyRule, once per rule and scope: many workloads share a ServiceAccount, many ServiceAccounts a role. */
function risksOf(rule: PolicyRule, scope: Scope): RiskMatch[] {
  // Which namespace does not matter: the authorizer does not look at it.
  const key = 'cluster' in scope ? 'cluster' : 'namespace';
  const byScope = classified.get(rule) ?? new Map<string, RiskMatch[]>();
  classified.set(rule, byScope);
  const out = byScope.get(key) ?? classifyRule(rule, scope);
  byScope.set(key, out);
  return out;
}

/** The pod gets an API token: automounted (the pod's setting, else its ServiceAccount's), or through a projected volume. */
function hasToken(w: Workload, index: ObjectIndex, sa: PodServiceAccount): boolean {
  const own = w.podSpec.automountServiceAccountToken;
  const automount =
    own !== undefined && own !== null ? own !== false : findServiceAccount(index, sa.name, w.id.namespace)?.value.automountServiceAccountToken !== false;
  if (automount) return true;
  const volumes = Array.isArray(w.podSpec.volumes) ? w.podSpec.volumes : [];
  return volumes.some(
    (v) => isObj(v) && isObj(v.projected) && Array.isArray(v.projected.sources) && v.projected.sources.some((s) => isObj(s) && isObj(s.serviceAccountToken)),
  );
}

export default defineRule({
  id: 'rbac-workload-service-account',
  needsIndex: true,
  meta: {
    title: 'Workload runs as a powerful ServiceAccount',
    description:
      'The ServiceAccount a pod runs as (`default` when it names none) must not be granted, by the bindings of the scan or the built-in ones, any permission the other `rbac-*` rules report. Pods that get no API token are not reported.',
    rationale:
      'Whoever gets code execution in the pod holds its token and every permission bound to its ServiceAccount: a web app that runs as a cluster-admin ServiceAccount makes every bug in it a cluster takeover. The application PR is where that is decided, even when the binding lives elsewhere.',
    remediation:
      'Give the workload its own ServiceAccount bound to a Role with only what it calls, or set `automountServiceAccountToken: false` if it does not call the Kubernetes API.',
    severity: 'medium',
    category: 'rbac',
    standards: { kubescape: ['C-0267', 'C-0272'] },
    fixable: false,
  },
  check(ctx) {
    const w = ctx.workload;
    const sa = podServiceAccount(w);
    if ((w.partial && !sa.named) || !hasToken(w, ctx.index, sa)) return;
    const namespace = w.id.namespace ?? 'default';
    const found = new Map<BindingInfo<K8sObject>, { risks: Set<RiskId>; via: string; role: string }>();
    let severity: Severity = 'info';
    for (const p of rbacOf(ctx.index).rbac.permissionsOf({ kind: 'ServiceAccount', name: sa.name, namespace })) {
      const risks = risksOf(p.rule, p.scope);
      if (risks.length === 0) continue;
      const via = p.subject.kind === 'Group' ? ` (through Group \`${p.subject.name}\`)` : '';
      const entry = found.get(p.binding) ?? { risks: new Set<RiskId>(), via, role: `${p.role.kind} \`${p.role.name}\`` };
      found.set(p.binding, entry);
      for (const m of risks) {
        entry.risks.add(m.risk);
        const s = riskSeverity(m.risk, 'cluster' in p.scope);
        if (severityRank(s) > severityRank(severity)) severity = s;
      }
    }
    if (found.size === 0) return;
    const parts = [...found].map(([b, e]) => `${bindingName(b)} binds to ${e.role}${e.via}: ${risksText(e.risks)}`);
    const shown = parts.length > 3 ? [...parts.slice(0, 3), `${parts.length - 3} more bindings`] : parts;
    const who = `${subjectName({ kind: 'ServiceAccount', name: sa.name, namespace })}${sa.named ? '' : ' (the pod names none)'}`;
    ctx.report({
      path: sa.named ? sa.path : w.podSpecPath,
      ...(severityRank(severity) > severityRank('medium') ? { severity } : {}),
      message: `runs as ${who}, which ${shown.join('; and ')}`,
    });
  },
});
