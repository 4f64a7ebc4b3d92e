/**
 * `npx tsx bench/run.ts rbac-diff` (part of `npm run bench`): the permission diff of two synthetic repositories of 2,000 roles, 5,000 bindings and
 * 10,000 subjects (and 2,500 workloads), at 1/4, 1/2 and full size. The head widens 1% of the roles, adds 1% new bindings
 * and drops 1%. Prints the time of the whole diff (parse included) and of the diff alone, and the time per item
 * (role + binding + subject): a flat per-item time is linear scaling.
 */
import type { SourceFile } from '../src/core/types.js';
import { diffPermissions, permissionDiffOf } from '../src/rbac/diff.js';
import { rbacInputsOf } from '../src/rbac/objects.js';

const RESOURCES = ['pods', 'configmaps', 'services', 'secrets', 'deployments', 'jobs', 'events', 'ingresses', 'leases', 'pods/log'];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** Deterministic, so every run measures the same repositories. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pick<T>(rand: () => number, list: readonly T[], n: number): T[] {
  const out = new Set<T>();
  while (out.size < n) out.add(list[Math.floor(rand() * list.length)] as T);
  return [...out];
}

interface Repo {
  base: SourceFile[];
  head: SourceFile[];
  items: number;
}

function rule(rand: () => number): string {
  return `  - apiGroups: ["", apps, batch]\n    resources: [${pick(rand, RESOURCES, 2).join(', ')}]\n    verbs: [${pick(rand, VERBS, 3).join(', ')}]\n`;
}

function repoOf(scale: number): Repo {
  const rand = prng(42);
  const roles = 2000 * scale;
  const bindings = 5000 * scale;
  const namespaces = Math.max(1, 100 * scale);
  const ns = (i: number): string => `ns-${i % namespaces}`;
  const roleDocs: string[] = [];
  for (let i = 0; i < roles; i++) {
    const cluster = i % 5 === 0;
    const meta = cluster ? `{name: role-${i}}` : `{name: role-${i}, namespace: ${ns(i)}}`;
    roleDocs.push(
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${cluster ? 'ClusterRole' : 'Role'}\nmetadata: ${meta}\nrules:\n${rule(rand)}${rule(rand)}${rule(rand)}`,
    );
  }
  const bindingDoc = (i: number, role: number): string => {
    const cluster = role % 5 === 0;
    const kind = cluster && i % 2 === 0 ? 'ClusterRoleBinding' : 'RoleBinding';
    const where = kind === 'RoleBinding' ? (cluster ? ns(i) : ns(role)) : undefined;
    // Two subjects per binding, 10,000 subjects at full size: ServiceAccounts mostly, some users and groups.
    const subjects = [0, 1].map((k) => {
      const id = 2 * i + k;
      if (id % 10 === 0) return `{kind: User, name: user-${id}}`;
      if (id % 10 === 1) return `{kind: Group, name: group-${id}}`;
      return `{kind: ServiceAccount, name: sa-${id}, namespace: ${where ?? ns(id)}}`;
    });
    const meta = where ? `{name: binding-${i}, namespace: ${where}}` : `{name: binding-${i}}`;
    return `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: ${meta}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${cluster ? 'ClusterRole' : 'Role'}, name: role-${role}}\nsubjects: [${subjects.join(', ')}]\n`;
  };
  const bindingDocs: string[] = [];
  for (let i = 0; i < bindings; i++) bindingDocs.push(bindingDoc(i, i % roles));
  const workloadDocs: string[] = [];
  for (let i = 0; i < bindings / 2; i++) {
    const id = 4 * i + 2;
    workloadDocs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${i}, namespace: ${ns(id)}}\nspec:\n  template:\n    spec:\n      serviceAccountName: sa-${id}\n      containers: [{name: app, image: example/app:1}]\n`,
    );
  }
  // 50 documents a file, as a GitOps repository groups them.
  const filesOf = (prefix: string, docs: readonly string[]): SourceFile[] => {
    const out: SourceFile[] = [];
    for (let i = 0; i < docs.length; i += 50) out.push({ path: `${prefix}/${i / 50}.yaml`, content: docs.slice(i, i + 50).join('---\n') });
    return out;
  };
  const headRoles = roleDocs.map((d, i) => (i % 100 === 7 ? `${d}  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get, list]\n` : d));
  const headBindings = bindingDocs.filter((_, i) => i % 100 !== 3);
  for (let i = 0; i < bindings / 100; i++) headBindings.push(bindingDoc(bindings + i, (i * 37) % roles));
  return {
    base: [...filesOf('roles', roleDocs), ...filesOf('bindings', bindingDocs), ...filesOf('apps', workloadDocs)],
    head: [...filesOf('roles', headRoles), ...filesOf('bindings', headBindings), ...filesOf('apps', workloadDocs)],
    items: roles + bindings + 2 * bindings,
  };
}

const RUNS = 5;

/** Median milliseconds of `runs` runs. */
function median(fn: () => void, runs = RUNS): number {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)] as number;
}

const SIZES = [
  ['1/4', 0.25],
  ['1/2', 0.5],
  ['full', 1],
] as const;

export async function run(): Promise<string> {
  // Warm the JIT on a small repository first, so the 1/4 row does not pay for compilation.
  {
    const warm = repoOf(0.25);
    permissionDiffOf(warm.base, warm.head);
  }
  const rows: string[] = [];
  const perItem: { whole: number; pure: number }[] = [];
  for (const [label, scale] of SIZES) {
    process.stderr.write(`bench: rbac-diff ${label}\n`);
    const repo = repoOf(scale);
    const base = rbacInputsOf(repo.base);
    const head = rbacInputsOf(repo.head);
    let subjects = 0;
    const whole = median(() => {
      subjects = permissionDiffOf(repo.base, repo.head).subjects.length;
    });
    const pure = median(() => diffPermissions(base, head));
    perItem.push({ whole: (whole * 1000) / repo.items, pure: (pure * 1000) / repo.items });
    const per = (us: number): string => `${us.toFixed(1)} µs`;
    const last = perItem[perItem.length - 1] as { whole: number; pure: number };
    rows.push(
      `| ${label} | ${2000 * scale} / ${5000 * scale} / ${10000 * scale} | ${subjects} | ${whole.toFixed(0)} ms | ${per(last.whole)} | ${pure.toFixed(0)} ms | ${per(last.pure)} |`,
    );
  }
  const first = perItem[0] as { whole: number; pure: number };
  const full = perItem[perItem.length - 1] as { whole: number; pure: number };
  const guard = `Per-item cost, full size over 1/4 (1.00× = linear): parse + diff ${(full.whole / first.whole).toFixed(2)}×, diff alone ${(full.pure / first.pure).toFixed(2)}×.`;
  process.stderr.write(`bench: ${guard}\n`);
  return [
    '## RBAC permission diff (`bench/rbac-diff.bench.ts`)',
    '',
    `Command: \`npx tsx bench/run.ts rbac-diff\`. \`permissionDiffOf()\` (parse both trees, resolve bindings, diff who can do what) and \`diffPermissions()\` alone (inputs already parsed) on two synthetic repositories of 2,000 roles, 5,000 bindings, 10,000 subjects and 2,500 workloads, cut to 1/4, 1/2 and full size, in files of 50 documents; the head widens 1 % of the roles, adds 1 % new bindings and drops 1 %. Median of ${RUNS} runs after a warm-up; per item: per role, binding and subject.`,
    '',
    '| size | roles / bindings / subjects | subjects changed | parse + diff | per item | diff alone | per item |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    guard,
  ].join('\n');
}
