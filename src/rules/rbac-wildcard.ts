import type { K8sObject } from '../core/object.js';
import { defineObjectRule } from '../core/rule.js';
import type { FixIntent } from '../core/types.js';
import { covers, type RiskMatch, ruleAllows } from '../rbac/index.js';
import { codeList } from './helpers.js';
import { type Entry, entryFix, grantees, rawList, roleEntries } from './rbac-helpers.js';

// The verbs of API requests on ordinary resources; resources with these bases also take special verbs (or `use`).
const STANDARD = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const SPECIAL = new Set(['roles', 'clusterroles', 'users', 'groups', 'serviceaccounts', 'userextras', 'uids', 'certificatesigningrequests', 'signers']);
const SPECIAL_TOO = new Set(['podsecuritypolicies', 'securitycontextconstraints', 'nodes/proxy']);

/** `*` and `*\/sub` entries, which match resources by wildcard (checked with the authorizer's own matching). */
function wildcardResources(e: Entry): string[] {
  const verb = e.rule.verbs.find((v) => v !== '*') ?? 'get';
  const apiGroup = e.rule.apiGroups.find((g) => g !== '*') ?? '';
  return e.rule.resources.filter((r) => {
    const sub = r.startsWith('*/') ? r.slice(2) : undefined;
    const probe = { verb, apiGroup, resource: 'minpriv.invalid-any', ...(sub ? { subresource: sub } : {}) };
    return r === '*' || (sub !== undefined && ruleAllows({ ...e.rule, resources: [r], resourceNames: [] }, probe));
  });
}

/** Verb `*` spelled out, when the resources take only the standard verbs: API requests keep working exactly as before. */
function explicitVerbs(o: K8sObject, e: Entry): FixIntent | undefined {
  const verbs = rawList(o, e.index, 'verbs');
  const special = (r: string) => r.startsWith('*') || SPECIAL.has(r.split('/')[0] as string) || SPECIAL_TOO.has(r);
  if (!verbs || e.rule.nonResourceURLs.length > 0 || e.rule.resources.some(special)) return undefined;
  const value = [...new Set([...STANDARD, ...verbs.filter((v) => v !== '*')])];
  if (!covers([e.rule], [{ ...e.rule, verbs: value }]).covers) return undefined;
  return {
    confidence: 'safe',
    title: `replace verb \`*\` with ${codeList(STANDARD)}: these resources take no other verb, so no API request changes (only special and future verbs go)`,
    ops: [{ op: 'set', path: ['rules', e.index, 'verbs'], value }],
  };
}

export default defineObjectRule({
  id: 'rbac-wildcard',
  appliesTo: { kinds: ['Role', 'ClusterRole'] },
  needsIndex: true,
  meta: {
    title: 'RBAC rule uses wildcards',
    description:
      'A rule entry must not grant verb `*`, resource `*` or `*/<subresource>`, or non-resource URL `*`. Verb `*` with resource `*` in API group `*` (or with non-resource URL `*`) is cluster-admin: critical for a ClusterRole.',
    rationale:
      'A wildcard grants everything that exists and everything added later: verb `*` includes `escalate`, `bind`, `impersonate` and `approve`, resource `*` includes Secrets, `pods/exec` and `nodes/proxy`, and CRDs installed next year.',
    remediation:
      'List the verbs and resources the role needs. minpriv spells out verb `*` where that changes nothing; resource `*` needs the API server to expand (`kubectl api-resources`), so list the resources yourself.',
    severity: 'high',
    category: 'rbac',
    standards: { kubeLinter: ['wildcard-in-rules'], trivy: ['KSV-0044', 'KSV-0045', 'KSV-0046', 'KSV-0112'], kubescape: ['C-0187'], checkov: ['CKV_K8S_49'] },
    fixable: true,
    fixUnit: 'rule-entry',
  },
  check(ctx) {
    const o = ctx.object;
    const { entries } = roleEntries(o);
    if (!entries.some((e) => e.risks.some(isWildcard) || wildcardResources(e).length > 0 || e.rule.nonResourceURLs.includes('*'))) return;
    const who = grantees(ctx.index, o);
    for (const e of entries) {
      const at = `\`rules[${e.index}]\``;
      const admin = e.risks.find((m) => m.risk === 'cluster-admin-equivalent');
      if (admin) {
        const what =
          admin.field === 'nonResourceURLs'
            ? 'every verb on every non-resource URL, as `cluster-admin` does'
            : o.id.kind === 'Role'
              ? `every verb on every resource of every API group ${grantees(ctx.index, o).where}: admin of the namespace`
              : 'every verb on every resource of every API group, cluster-scoped ones included: equivalent to `cluster-admin`';
        ctx.report({
          path: ['rules', e.index, admin.field, admin.index],
          severity: o.id.kind === 'ClusterRole' ? 'critical' : 'high',
          message: `${at} grants ${what}${who.to(e)}`,
          fix: entryFix(o, e.index),
        });
        continue;
      }
      const star = e.risks.find((m) => m.risk === 'wildcard-verbs');
      if (star) {
        const fix = explicitVerbs(o, e);
        const why = fix || e.rule.resources.length === 0 ? '' : ' (including special verbs such as `escalate`, `bind`, `impersonate`, `approve`)';
        const what = e.rule.resources.length > 0 ? `on ${codeList(e.rule.resources)}` : `on ${codeList(e.rule.nonResourceURLs)}`;
        ctx.report({
          path: ['rules', e.index, 'verbs', star.index],
          message: `${at} grants every verb${why} ${what}${who.to(e)}`,
          fix: entryFix(o, e.index, fix),
        });
      }
      const wild = wildcardResources(e);
      if (wild.length > 0) {
        const k = e.rule.resources.indexOf(wild[0] as string);
        const groups = codeList(e.rule.apiGroups.map((g) => (g === '' ? '""' : g)));
        const message = `${at} grants ${codeList(e.rule.verbs)} on ${codeList(wild)} in API groups ${groups}, present and future; minpriv cannot expand \`*\` without the API server's discovery (\`kubectl api-resources\`): list the resources the role needs`;
        ctx.report({ path: ['rules', e.index, 'resources', k], message: `${message}${who.to(e)}`, fix: entryFix(o, e.index) });
      }
      const url = e.rule.nonResourceURLs.indexOf('*');
      if (url >= 0 && !star && o.id.kind === 'ClusterRole') {
        const message = `${at} grants ${codeList(e.rule.verbs)} on every non-resource URL (\`/metrics\`, \`/logs\`, \`/debug/pprof\`, …): list the URLs the role needs`;
        ctx.report({ path: ['rules', e.index, 'nonResourceURLs', url], message: `${message}${who.to(e)}`, fix: entryFix(o, e.index) });
      }
    }
  },
});

function isWildcard(m: RiskMatch): boolean {
  return m.risk === 'cluster-admin-equivalent' || m.risk === 'wildcard-verbs' || m.risk === 'wildcard-resources';
}
