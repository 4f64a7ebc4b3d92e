import type { SourceFile } from '../core/types.js';
import { breakdownRule, ruleCovers } from './covers.js';
import { type Atom, compressAtoms, type GrantedBy, type PermissionRow, riskClassifier, scopeKey } from './diff-rows.js';
import { type ObjectRef, type RbacInputs, rbacInputsOf, type WorkloadRef } from './objects.js';
import { createRbacIndex, type RbacIndex, type RbacIndexOptions } from './resolver.js';
import { type PolicyRule, ruleKey } from './rule.js';
import { ALL_AUTHENTICATED, ALL_SERVICE_ACCOUNTS, type BoundSubject, serviceAccountUsername, subjectKey } from './subjects.js';
import { isResolved, type Permission, type SubjectRef } from './types.js';

export type { GrantedBy, PermissionRow } from './diff-rows.js';

/** A subject as the diff names it: a ServiceAccount always with its namespace. */
export interface DiffSubject {
  kind: SubjectRef['kind'];
  name: string;
  namespace?: string;
}

export interface WorkloadEntry {
  kind: string;
  namespace: string;
  name: string;
  file: string;
}

/** What one subject gains and loses, and the workloads that run as it (or, for a ServiceAccount group, as its members). */
export interface SubjectDiff {
  subject: DiffSubject;
  added: PermissionRow[];
  removed: PermissionRow[];
  workloads: WorkloadEntry[];
}

/** `subjects` is what `review --format json` prints as `permissionDiff`; `notes` say what the inputs left out. */
export interface PermissionDiff {
  subjects: SubjectDiff[];
  notes: string[];
}

type Index = RbacIndex<ObjectRef>;
type Perm = Permission<ObjectRef>;

/** The permission diff of two versions of a repository's files (every file of each, not only the changed ones). */
export function permissionDiffOf(baseFiles: readonly SourceFile[], headFiles: readonly SourceFile[]): PermissionDiff {
  return diffPermissions(rbacInputsOf(baseFiles), rbacInputsOf(headFiles));
}

/** True when some subject gains a permission that `classifyRule` finds risky: the `rbac.failOnNewRisky` gate. */
export function hasRiskyAddition(diff: PermissionDiff): boolean {
  return diff.subjects.some((s) => s.added.some((r) => r.risky.length > 0));
}

/**
 * Per subject named by a binding at base or head: a permission is added when the head grants it to the subject itself and
 * nothing the subject holds at base covers it (`covers` semantics, per scope: a cluster-wide grant covers every namespace);
 * removed the other way round. Grants through a group are listed under the group, once, not under each member; they still
 * count as held when judging a member's own grants. A subject whose own grants are the same rules in the same scopes on
 * both sides is skipped without a breakdown. Built-in roles and default bindings are part of both sides.
 */
export function diffPermissions(base: RbacInputs, head: RbacInputs, options: RbacIndexOptions = {}): PermissionDiff {
  const before = createRbacIndex(base.objects, options);
  const after = createRbacIndex(head.objects, options);
  const classify = riskClassifier();
  const subjects: SubjectDiff[] = [];
  for (const subject of subjectsOf([before, after])) {
    // Grants naming the subject itself: its ServiceAccount username, with no group. Most subjects keep them unchanged.
    const self: SubjectRef =
      subject.kind === 'ServiceAccount' ? { kind: 'User', name: serviceAccountUsername(subject.namespace ?? '', subject.name) } : subject;
    const ownBefore = before.permissionsOf(self, { implicitGroups: false });
    const ownAfter = after.permissionsOf(self, { implicitGroups: false });
    if (sameGrants(ownBefore, ownAfter)) continue;
    const was = subject.kind === 'Group' ? ownBefore : before.permissionsOf(subject);
    const is = subject.kind === 'Group' ? ownAfter : after.permissionsOf(subject);
    const added = uncovered(ownAfter, was);
    const removed = uncovered(ownBefore, is);
    if (added.length === 0 && removed.length === 0) continue;
    subjects.push({
      subject: { kind: subject.kind, name: subject.name, ...(subject.namespace === undefined ? {} : { namespace: subject.namespace }) },
      added: compressAtoms(added, classify),
      removed: compressAtoms(removed, classify),
      workloads: workloadsOf(subject, head.workloads),
    });
  }
  return { subjects, notes: [...prefixed('base', base.notes), ...prefixed('head', head.notes), ...unresolvedNote(after)] };
}

const grantKey = (p: Perm): string => `${scopeKey(p.scope)}\0${keyOf(p.rule)}`;

function sameGrants(a: readonly Perm[], b: readonly Perm[]): boolean {
  const left = new Set(a.map(grantKey));
  const right = new Set(b.map(grantKey));
  return left.size === right.size && [...left].every((k) => right.has(k));
}

const ruleKeys = new WeakMap<PolicyRule, string>();
function keyOf(rule: PolicyRule): string {
  let k = ruleKeys.get(rule);
  if (k === undefined) {
    k = ruleKey(rule);
    ruleKeys.set(rule, k);
  }
  return k;
}

/** The atoms of `grants` that no rule of `held` covers in the same scope or cluster-wide, with what grants each. */
function uncovered(grants: readonly Perm[], held: readonly Perm[]): Atom[] {
  const rules = new Map<string, PolicyRule[]>();
  const exact = new Set<string>();
  for (const p of held) {
    const sk = scopeKey(p.scope);
    const list = rules.get(sk);
    if (list) list.push(p.rule);
    else rules.set(sk, [p.rule]);
    exact.add(grantKey(p));
  }
  const atoms = new Map<string, Atom>();
  for (const p of grants) {
    const sk = scopeKey(p.scope);
    const cluster = sk === '';
    // The common case, an unchanged rule, costs a lookup rather than a breakdown.
    if (exact.has(`${sk}\0${keyOf(p.rule)}`) || exact.has(`\0${keyOf(p.rule)}`)) continue;
    const owners = cluster ? (rules.get('') ?? []) : [...(rules.get(sk) ?? []), ...(rules.get('') ?? [])];
    let refs: GrantedBy[] | undefined;
    for (const atom of breakdownRule(p.rule)) {
      // A RoleBinding answers namespaced requests only; non-resource URLs are never namespaced (rule.go `VisitRulesFor`).
      if (!cluster && atom.nonResourceURLs.length > 0) continue;
      if (owners.some((o) => ruleCovers(o, atom))) continue;
      refs ??= grantedBy(p);
      const k = `${sk}\0${keyOf(atom)}`;
      const prev = atoms.get(k);
      if (!prev) atoms.set(k, { rule: atom, scope: p.scope, grantedBy: refs });
      else prev.grantedBy = unite(prev.grantedBy, refs);
    }
  }
  return [...atoms.values()];
}

/** The binding, the role it references, and the role that writes the rule when aggregation brought it in (its rule's line). */
export function grantedBy(p: Perm): GrantedBy[] {
  const { binding, role } = p;
  const out = [refOf(binding.kind, binding.name, binding.ref)];
  const origin = p.source.origin;
  if (origin !== role) out.push(refOf(role.kind, role.name, role.ref));
  out.push(refOf(origin.kind, origin.name, origin.ref, p.source.index));
  return out;
}

function refOf(kind: string, name: string, ref: ObjectRef | undefined, ruleIndex?: number): GrantedBy {
  if (!ref) return { file: null, line: null, kind, name };
  const line = ruleIndex === undefined ? ref.line : (ref.ruleLines?.[ruleIndex] ?? ref.line);
  return { file: ref.file, line, kind, name };
}

function unite(a: GrantedBy[], b: GrantedBy[]): GrantedBy[] {
  const seen = new Set(a.map((g) => JSON.stringify(g)));
  return [...a, ...b.filter((g) => !seen.has(JSON.stringify(g)))];
}

const KIND_ORDER: Record<SubjectRef['kind'], number> = { ServiceAccount: 0, User: 1, Group: 2 };
const SA_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** Every identity a binding names, on either side. */
function subjectsOf(indexes: readonly Index[]): SubjectRef[] {
  const out = new Map<string, SubjectRef>();
  for (const index of indexes) {
    for (const binding of index.bindings) {
      for (const s of binding.subjects) {
        const key = subjectKey(s);
        if (key === undefined || out.has(key)) continue;
        out.set(key, subjectRef(s));
      }
    }
  }
  return [...out.values()].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || cmp(a.namespace ?? '', b.namespace ?? '') || cmp(a.name, b.name));
}

/** A binding subject as an identity; a User spelled `system:serviceaccount:ns:name` is that ServiceAccount. */
export function subjectRef(s: BoundSubject): SubjectRef {
  const sa = s.kind === 'User' ? SA_USER.exec(s.name) : null;
  if (sa) return { kind: 'ServiceAccount', namespace: sa[1] as string, name: sa[2] as string };
  if (s.kind === 'ServiceAccount') return { kind: 'ServiceAccount', name: s.name, namespace: s.namespace as string };
  return { kind: s.kind as 'User' | 'Group', name: s.name };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The workloads a subject's grants reach: a ServiceAccount's own, and those of every member of a ServiceAccount group. */
export function workloadsOf(subject: SubjectRef, workloads: readonly WorkloadRef[]): WorkloadEntry[] {
  let match: (w: WorkloadRef) => boolean;
  if (subject.kind === 'ServiceAccount') match = (w) => w.namespace === subject.namespace && w.serviceAccount === subject.name;
  else if (subject.kind === 'Group' && (subject.name === ALL_SERVICE_ACCOUNTS || subject.name === ALL_AUTHENTICATED)) match = () => true;
  else if (subject.kind === 'Group' && subject.name.startsWith(`${ALL_SERVICE_ACCOUNTS}:`)) {
    const ns = subject.name.slice(ALL_SERVICE_ACCOUNTS.length + 1);
    match = (w) => w.namespace === ns;
  } else return [];
  return workloads
    .filter(match)
    .map((w) => ({ kind: w.kind, namespace: w.namespace, name: w.name, file: w.file }))
    .sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.file, b.file));
}

function prefixed(side: string, notes: readonly string[]): string[] {
  return notes.map((n) => `${side}: ${n}`);
}

/** Bindings of the head that name a role defined neither in the repository nor built in: they grant nothing, until one appears. */
function unresolvedNote(index: Index): string[] {
  const dangling = index.bindings.filter((b) => !b.builtin && !isResolved(b.role));
  if (dangling.length === 0) return [];
  const list = dangling.slice(0, 5).map((b) => {
    const where = b.ref ? ` (${b.ref.file}:${b.ref.line})` : '';
    return `${b.kind} ${b.namespace ? `${b.namespace}/` : ''}${b.name} → ${b.roleRef.kind} ${b.roleRef.name}${where}`;
  });
  return [
    `head: ${dangling.length} binding(s) refer to a role that is neither in the repository nor built in, and grant nothing here: ${list.join(', ')}${dangling.length > 5 ? ', …' : ''}`,
  ];
}
