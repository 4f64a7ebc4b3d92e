import type { K8sObject, ObjectIndex } from '../core/object.js';
import type { FixIntent } from '../core/types.js';
import { isObj } from '../core/workload.js';
import type { BindingInfo, BoundSubject, PolicyRule, RiskId, RiskMatch, RoleInfo, Scope } from '../rbac/index.js';
import { breakdownRule, classifyRule, covers, createRbacIndex, normalizeRules, ruleCovers } from '../rbac/index.js';
import { codeList, removeItems } from './helpers.js';

type Role = RoleInfo<K8sObject>;
type Binding = BindingInfo<K8sObject>;

const RBAC_KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount'];
const scans = new WeakMap<ObjectIndex, ReturnType<typeof build>>();

/**
 * The RBAC view of one scan, built once per scan (per object index), not per object: every rbac-* rule shares it.
 * `aggregators`: the ClusterRoles that take in a role's rules, directly or not (uncached: few roles are aggregated);
 * `reach`: the bindings to the role or to them.
 */
export function rbacOf(index: ObjectIndex): ReturnType<typeof build> {
  const s = scans.get(index) ?? build(index);
  scans.set(index, s);
  return s;
}

function build(index: ObjectIndex) {
  const objects = RBAC_KINDS.flatMap((kind) =>
    index.ofKind(kind).map((o) => ({ kind, name: o.id.name, ...(o.id.namespace ? { namespace: o.id.namespace } : {}), value: o.value, ref: o })),
  );
  const rbac = createRbacIndex(objects);
  const roles = new Map<K8sObject, Role>();
  const aggregatedBy = new Map<string, Role[]>();
  for (const r of rbac.roles) {
    if (r.ref) roles.set(r.ref, r);
    for (const name of r.aggregatedFrom) aggregatedBy.set(name, [...(aggregatedBy.get(name) ?? []), r]);
  }
  const aggregators = (role: Role): Role[] => {
    const out = new Set<Role>();
    const visit = (name: string): void => {
      for (const a of aggregatedBy.get(name) ?? []) {
        if (a === role || out.has(a)) continue;
        out.add(a);
        visit(a.name);
      }
    };
    if (role.kind === 'ClusterRole') visit(role.name);
    return [...out];
  };
  const reach = (role: Role): Binding[] => [role, ...aggregators(role)].flatMap((r) => rbac.bindingsTo(r));
  const bindings = new Map(rbac.bindings.flatMap((b) => (b.ref ? [[b.ref, b] as const] : [])));
  return { rbac, roleOf: (o: K8sObject) => roles.get(o), bindingOf: (o: K8sObject) => bindings.get(o), aggregators, reach };
}

export type Entry = { index: number; rule: PolicyRule; risks: RiskMatch[]; variants?: Map<string, RiskId[]> };
type RoleEntries = { scope: Scope; entries: Entry[]; redundant?: Map<number, number[]> };
const entryCache = new WeakMap<K8sObject, RoleEntries>();

/**
 * A role's `rules` entries with their risks, judged on the role alone (a ClusterRole as if bound cluster-wide). None for an
 * aggregated ClusterRole: the controller overwrites its rules, and the roles it aggregates are reported instead.
 */
export function roleEntries(o: K8sObject): RoleEntries {
  const cached = entryCache.get(o);
  if (cached) return cached;
  const scope: Scope = o.id.kind === 'Role' ? { namespace: o.id.namespace ?? 'default' } : { cluster: true };
  const aggregated = o.id.kind === 'ClusterRole' && isObj(o.value.aggregationRule);
  const e = { scope, entries: aggregated ? [] : normalizeRules(o.value.rules).map(({ rule, index }) => ({ index, rule, risks: classifyRule(rule, scope) })) };
  entryCache.set(o, e);
  return e;
}

/** The entries carrying any of `risks`. A cluster-admin equivalent entry is left to `rbac-wildcard`: that says it all. */
export function entriesWith(o: K8sObject, risks: readonly RiskId[]): { e: Entry; found: RiskMatch[] }[] {
  return roleEntries(o).entries.flatMap((e) => {
    const found = e.risks.filter((m) => risks.includes(m.risk));
    return found.length === 0 || e.risks.some((m) => m.risk === 'cluster-admin-equivalent') ? [] : [{ e, found }];
  });
}

/** Entries `covers` finds covered by the others, from the last up, so that each is covered by entries that stay. */
function redundant(o: K8sObject): Map<number, number[]> {
  const e = roleEntries(o);
  if (e.redundant) return e.redundant;
  e.redundant = new Map<number, number[]>();
  const kept = [...e.entries];
  for (const entry of [...e.entries].reverse()) {
    const atoms = breakdownRule(entry.rule);
    const others = kept.filter((x) => x !== entry);
    const owners = others.map((x) => x.rule);
    if (atoms.length === 0 || !covers(owners, [entry.rule]).covers) continue;
    kept.splice(kept.indexOf(entry), 1);
    const by = [...new Set(atoms.map((a) => others.find((x) => ruleCovers(x.rule, a))?.index ?? -1))].sort((x, y) => x - y);
    e.redundant.set(entry.index, by);
  }
  return e.redundant;
}

/** The fix of a finding on entry `index`: removing the entry when others already grant all of it (safe), else `fallback`. */
export function entryFix(o: K8sObject, index: number, fallback?: FixIntent): FixIntent | undefined {
  const by = redundant(o).get(index);
  if (!by) return fallback;
  const title = `remove \`rules[${index}]\`, a duplicate: ${codeList(by.map((i) => `rules[${i}]`))} already grant${by.length === 1 ? 's' : ''} all of it`;
  return { confidence: 'safe', title, ops: [{ op: 'remove', path: ['rules', index] }] };
}

/** The items of the entry's verbs or resources that carry one of `risks` on their own, for messages. */
export function carrying(o: K8sObject, e: Entry, field: 'verbs' | 'resources', risks: readonly RiskId[]): string {
  const alone = (x: string, i: number) => variant(e, `${field}${i}`, { ...e.rule, [field]: [x] }, roleEntries(o).scope);
  return codeList(e.rule[field].filter((x, i) => alone(x, i).some((r) => risks.includes(r))));
}

/** The risks of a variant of the entry (one item alone, another scope), classified once per entry: every rule asks. */
function variant(e: Entry, key: string, rule: PolicyRule, scope: Scope): RiskId[] {
  e.variants ??= new Map();
  const out = e.variants.get(key) ?? classifyRule(rule, scope).map((m) => m.risk);
  e.variants.set(key, out);
  return out;
}

/** The entry's list as written, when every item is a string (so indexes match the normalised rule). */
export function rawList(o: K8sObject, index: number, field: 'verbs' | 'resources'): string[] | undefined {
  const rules = o.value.rules;
  const entry = Array.isArray(rules) ? rules[index] : undefined;
  const list = isObj(entry) ? entry[field] : undefined;
  return Array.isArray(list) && list.every((v) => typeof v === 'string') ? (list as string[]) : undefined;
}

/** A `review` fix dropping the items `drop` selects (the entry when none would remain), if the entry then has none of `gone`. */
export function dropFix(o: K8sObject, entry: Entry, field: 'verbs' | 'resources', drop: (v: string) => boolean, gone: RiskId[], check: string) {
  const raw = rawList(o, entry.index, field);
  const idx = raw?.flatMap((v, i) => (drop(v) ? [i] : [])) ?? [];
  if (!raw || idx.length === 0) return undefined;
  const left = raw.filter((_, i) => !idx.includes(i));
  if (classifyRule({ ...entry.rule, [field]: left }, roleEntries(o).scope).some((m) => gone.includes(m.risk))) return undefined;
  const dropped = codeList([...new Set(idx.map((i) => raw[i] as string))]);
  const all = left.length === 0;
  const title = all ? `remove \`rules[${entry.index}]\`, which grants only ${dropped}` : `drop ${dropped} from \`rules[${entry.index}].${field}\``;
  const ops = all ? [{ op: 'remove' as const, path: ['rules', entry.index] }] : removeItems(['rules', entry.index, field], idx);
  return { confidence: 'review', check, title, ops } satisfies FixIntent;
}

export function subjectName(s: Pick<BoundSubject, 'kind' | 'name' | 'namespace'>): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount \`${s.namespace || '?'}/${s.name}\`` : `${s.kind} \`${s.name}\``;
}

export function bindingName(b: Binding): string {
  const where = b.builtin ? 'built-in' : (b.ref?.id.file ?? '?');
  return `${b.kind} \`${b.namespace ? `${b.namespace}/` : ''}${b.name}\` (${where})`;
}

export function firstFew(items: readonly string[], max = 3, noun = 'more'): string {
  const head = items.length === 0 ? 'no subject' : items.slice(0, max).join(', ');
  return items.length > max ? `${head} and ${items.length - max} ${noun}` : head;
}

/**
 * Who gets the role's rules through the scan's bindings. `clusterWide`: some binding grants them everywhere (or none names
 * the ClusterRole, which is made for that); `where`: in words. `to`: "; granted to … by …" for one entry, counting
 * RoleBindings only when the entry's `risks` reach into a namespace.
 */
export function grantees(index: ObjectIndex, o: K8sObject): { clusterWide: boolean; where: string; to(e: Entry, risks?: readonly RiskId[]): string } {
  const s = rbacOf(index);
  const role = s.roleOf(o);
  const bindings = role ? s.reach(role) : [];
  const clusterWide = o.id.kind === 'ClusterRole' && (bindings.length === 0 || bindings.some((b) => b.kind === 'ClusterRoleBinding'));
  const phrase = (b: Binding): string =>
    `to ${firstFew(b.subjects.map(subjectName))} by ${bindingName(b)}${b.role !== role && 'name' in b.role ? ` through ClusterRole \`${b.role.name}\`` : ''}`;
  const to = (e: Entry, risks?: readonly RiskId[]): string => {
    // Every namespace gives the same answer: the authorizer does not look at the request's namespace.
    const inNamespace = !risks || variant(e, 'namespace', e.rule, { namespace: 'any' }).some((r) => risks.includes(r));
    const kept = bindings.filter((b) => inNamespace || b.kind === 'ClusterRoleBinding');
    const more = kept.length > 2 ? ` and ${kept.length - 2} more bindings` : '';
    return kept.length > 0 ? `; granted ${kept.slice(0, 2).map(phrase).join(', ')}${more}` : '';
  };
  const nss = o.id.kind === 'Role' ? (o.id.namespace ? [o.id.namespace] : []) : [...new Set(bindings.map((b) => b.namespace ?? ''))];
  const where = clusterWide ? 'in every namespace' : nss.length === 0 ? 'in its namespace' : `in namespace${nss.length > 1 ? 's' : ''} ${codeList(nss)}`;
  return { clusterWide, where, to };
}

const RISK_TEXT: Record<RiskId, string> = {
  'cluster-admin-equivalent': 'every verb on every resource, like cluster-admin',
  'wildcard-verbs': 'every verb (`*`)',
  'wildcard-resources': 'every resource (`*`)',
  'secrets-read': 'reading Secrets',
  'pod-exec': 'exec into pods',
  'nodes-proxy': 'the kubelet API (`nodes/proxy`)',
  'create-pods': 'creating pods',
  'escalate-bind': 'escalating or binding roles',
  impersonate: 'impersonation',
  'sa-token-create': 'minting ServiceAccount tokens',
  'csr-approve': 'approving certificates',
  'webhook-config-write': 'writing admission webhooks',
  'pv-create': 'creating PersistentVolumes',
};

/** The risks as words: cluster-admin equivalence says it all. */
export function risksText(risks: Iterable<RiskId>): string {
  const all = new Set(risks);
  return all.has('cluster-admin-equivalent') ? RISK_TEXT['cluster-admin-equivalent'] : [...all].map((r) => RISK_TEXT[r]).join(', ');
}
