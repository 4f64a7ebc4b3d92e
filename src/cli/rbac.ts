import { parseArgs } from 'node:util';
import type { SourceFile } from '../core/types.js';
import { type DiffSubject, diffPermissions, grantedBy, hasRiskyAddition, subjectRef, type WorkloadEntry, workloadsOf } from '../rbac/diff.js';
import { compareRows, type PermissionRow, riskClassifier } from '../rbac/diff-rows.js';
import { createRbacIndex, type RequestAttrs, type SubjectRef } from '../rbac/index.js';
import { type RbacInputs, rbacInputsOf } from '../rbac/objects.js';
import { renderPermissionDiffText, subjectName, verbsPhrase } from '../report/permissions.js';
import { resolveCommit } from '../sources/git.js';
import { changedPathsBetween, type RepoFiles, readRepoFilesAt, readWorkingTreeFiles } from '../sources/repo-files.js';
import { type Command, type CommandIO, UsageError } from './io.js';

export const RBAC_HELP = `usage: minpriv rbac diff --base REF [--head REF] [options]
       minpriv rbac who-can VERB RESOURCE [-n NS] [options]
       minpriv rbac permissions KIND/[NS/]NAME [options]

Kubernetes RBAC of the repository, read statically from its YAML files (no cluster), with the
built-in roles and default bindings of an API server.

  diff          what the head grants and removes, per User, Group and ServiceAccount, compared with
                the base (whole repository at both revisions); exit 1 when a risky permission is added
  who-can       the subjects a request is allowed to: RESOURCE is \`secrets\`, \`pods/exec\`,
                \`deployments.apps\` or a non-resource URL such as \`/metrics\`
  permissions   everything a subject holds: \`ServiceAccount/shop/checkout\`, \`User/alice\`, \`Group/devs\`

options:
  --base REF        diff: base revision
  --head REF        diff: head revision (default: HEAD)
  --rev REF         who-can, permissions: read the files at this revision (default: the working tree)
  -n, --namespace NS  who-can: the request's namespace (default: any namespace the repository binds in,
                    and cluster-wide)
  --max-files N     YAML files read at most per revision (default: 5000); diff reads the changed ones always
  --format F        text | json (default: text)
  -h, --help        show this help

exit status: 0 done, 1 diff adds a risky permission, 2 usage or git error.
`;

const OPTIONS = {
  base: { type: 'string' },
  head: { type: 'string' },
  rev: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  'max-files': { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export const run: Command = async (argv, io) => {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (err) {
    io.stderr.write(`minpriv rbac: ${err instanceof Error ? (err.message.split('\n')[0] as string) : String(err)}\n${RBAC_HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(RBAC_HELP);
    return 0;
  }
  const [sub, ...args] = positionals;
  try {
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`invalid value for --format: "${format}" (expected text, json)`);
    const maxFiles = values['max-files'] === undefined ? undefined : Number(values['max-files']);
    if (maxFiles !== undefined && !(Number.isInteger(maxFiles) && maxFiles > 0)) throw new UsageError('--max-files takes a positive integer');
    const ctx = { io, format, maxFiles } as const;
    if (sub === 'diff' && args.length === 0 && values.base !== undefined) return await diff(ctx, values.base, values.head ?? 'HEAD');
    if (sub === 'who-can' && args.length === 2) return await whoCan(ctx, args[0] as string, args[1] as string, values);
    if (sub === 'permissions' && args.length === 1) return await permissions(ctx, args[0] as string, values.rev);
    throw new UsageError(sub === undefined ? 'missing subcommand' : `wrong arguments for "${sub}"`);
  } catch (err) {
    const usage = err instanceof UsageError;
    io.stderr.write(`minpriv rbac: ${err instanceof Error ? err.message : String(err)}\n${usage ? RBAC_HELP : ''}`);
    return 2;
  }
};

interface Ctx {
  io: CommandIO;
  format: 'text' | 'json';
  maxFiles: number | undefined;
}

async function read(ctx: Ctx, rev: string | undefined, first?: readonly string[]): Promise<RepoFiles> {
  const opts = { ...(ctx.maxFiles === undefined ? {} : { maxFiles: ctx.maxFiles }), ...(first ? { first } : {}) };
  return rev === undefined ? readWorkingTreeFiles(ctx.io.cwd, opts) : readRepoFilesAt(ctx.io.cwd, await resolveCommit(ctx.io.cwd, rev), opts);
}

function inputsOf(repo: RepoFiles): RbacInputs {
  const inputs = rbacInputsOf(repo.files as SourceFile[]);
  return { ...inputs, notes: [...repo.notes, ...inputs.notes] };
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

async function diff(ctx: Ctx, base: string, head: string): Promise<number> {
  // The files that differ between the two commits are read first and always: past `--max-files` a new binding still counts.
  const first = await changedPathsBetween(ctx.io.cwd, await resolveCommit(ctx.io.cwd, base), await resolveCommit(ctx.io.cwd, head));
  const [before, after] = [await read(ctx, base, first), await read(ctx, head, first)];
  const result = diffPermissions(inputsOf(before), inputsOf(after));
  ctx.io.stdout.write(ctx.format === 'json' ? json({ permissionDiff: result.subjects, notes: result.notes }) : renderPermissionDiffText(result));
  return hasRiskyAddition(result) ? 1 : 0;
}

/** `secrets`, `pods/exec`, `deployments.apps`, `deployments.apps/scale`, or a URL path. */
export function requestOf(verb: string, resource: string, namespace?: string): RequestAttrs {
  if (resource.startsWith('/')) return { verb, path: resource };
  const slash = resource.indexOf('/');
  const [head, subresource] = slash < 0 ? [resource, ''] : [resource.slice(0, slash), resource.slice(slash + 1)];
  const dot = head.indexOf('.');
  return {
    verb,
    apiGroup: dot < 0 ? '' : head.slice(dot + 1),
    resource: dot < 0 ? head : head.slice(0, dot),
    ...(subresource ? { subresource } : {}),
    ...(namespace ? { namespace } : {}),
  };
}

interface Holder {
  subject: DiffSubject;
  scope: 'cluster' | 'namespace';
  namespace?: string;
  grantedBy: PermissionRow['grantedBy'];
  workloads: WorkloadEntry[];
}

async function whoCan(ctx: Ctx, verb: string, resource: string, values: Values): Promise<number> {
  const inputs = inputsOf(await read(ctx, values.rev));
  const index = createRbacIndex(inputs.objects);
  const request = requestOf(verb, resource, values.namespace);
  // Without a namespace: cluster-wide grants, and RoleBindings of every namespace the repository binds in.
  const namespaces =
    values.namespace || 'path' in request ? [undefined] : [undefined, ...new Set(index.bindings.flatMap((b) => (b.namespace ? [b.namespace] : [])))];
  const holders = new Map<string, Holder>();
  for (const ns of namespaces) {
    for (const p of index.whoCan(ns === undefined ? request : { ...request, namespace: ns })) {
      const key = `${p.binding.kind}/${p.binding.namespace ?? ''}/${p.binding.name}#${p.subject.index}`;
      if (holders.has(key)) continue;
      const subject = subjectRef(p.subject);
      holders.set(key, {
        subject: diffSubject(subject),
        scope: 'cluster' in p.scope ? 'cluster' : 'namespace',
        ...('namespace' in p.scope ? { namespace: p.scope.namespace } : {}),
        grantedBy: grantedBy(p),
        workloads: workloadsOf(subject, inputs.workloads),
      });
    }
  }
  const rows = [...holders.values()].sort((a, b) => cmp(text(a.subject), text(b.subject)) || cmp(a.namespace ?? '', b.namespace ?? ''));
  if (ctx.format === 'json') {
    ctx.io.stdout.write(json({ request, subjects: rows, notes: inputs.notes }));
    return 0;
  }
  const lines = rows.length === 0 ? ['Nobody.'] : [];
  for (const r of rows) {
    const where = r.scope === 'cluster' ? 'cluster-wide' : `in namespace ${r.namespace}`;
    lines.push(`${text(r.subject)} ${where}, through ${r.grantedBy.map(grantText).join(' → ')}`);
    for (const w of r.workloads) lines.push(`    run by ${w.kind} ${w.namespace}/${w.name} (${w.file})`);
  }
  ctx.io.stdout.write(`${[...lines, ...inputs.notes.map((n) => `note: ${n}`)].join('\n')}\n`);
  return 0;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const text = (s: DiffSubject): string => subjectName(s);
const grantText = (g: PermissionRow['grantedBy'][number]): string => `${g.kind} ${g.name} (${g.file === null ? 'built-in' : `${g.file}:${g.line}`})`;
const diffSubject = (s: SubjectRef): DiffSubject => ({ kind: s.kind, name: s.name, ...(s.namespace === undefined ? {} : { namespace: s.namespace }) });

/** `ServiceAccount/NS/NAME`, `User/NAME`, `Group/NAME` (a User or Group name may itself hold slashes). */
export function subjectOf(spec: string): SubjectRef {
  const slash = spec.indexOf('/');
  const kind = spec.slice(0, slash);
  const rest = spec.slice(slash + 1);
  if (slash > 0 && rest !== '' && (kind === 'User' || kind === 'Group')) return { kind, name: rest };
  const [namespace, name] = [rest.slice(0, rest.indexOf('/')), rest.slice(rest.indexOf('/') + 1)];
  if (kind === 'ServiceAccount' && rest.includes('/') && namespace !== '' && name !== '' && !name.includes('/')) return { kind, namespace, name };
  throw new UsageError(`not a subject: "${spec}" (expected ServiceAccount/NAMESPACE/NAME, User/NAME or Group/NAME)`);
}

async function permissions(ctx: Ctx, spec: string, rev: string | undefined): Promise<number> {
  const subject = subjectOf(spec);
  const inputs = inputsOf(await read(ctx, rev));
  const classify = riskClassifier();
  const self = diffSubject(subject);
  const rows = createRbacIndex(inputs.objects)
    .permissionsOf(subject)
    .map((p) => {
      const via = subjectRef(p.subject);
      const row: PermissionRow & { via?: DiffSubject } = {
        scope: 'cluster' in p.scope ? 'cluster' : 'namespace',
        ...('namespace' in p.scope ? { namespace: p.scope.namespace } : {}),
        apiGroups: p.rule.apiGroups,
        resources: p.rule.resources,
        verbs: p.rule.verbs,
        resourceNames: p.rule.resourceNames,
        nonResourceURLs: p.rule.nonResourceURLs,
        grantedBy: grantedBy(p),
        risky: classify(p.rule, p.scope),
      };
      if (text(diffSubject(via)) !== text(self)) row.via = diffSubject(via);
      return row;
    })
    .sort(compareRows);
  const workloads = workloadsOf(subject, inputs.workloads);
  if (ctx.format === 'json') {
    ctx.io.stdout.write(json({ subject: self, permissions: rows, workloads, notes: inputs.notes }));
    return 0;
  }
  const lines = [`${text(self)}${workloads.length > 0 ? ` (run by ${workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`).join(', ')})` : ''}`];
  if (rows.length === 0) lines.push('  no permissions');
  for (const r of rows) {
    const where = r.scope === 'cluster' ? 'cluster-wide' : `namespace ${r.namespace}`;
    const on =
      r.nonResourceURLs.length > 0 ? r.nonResourceURLs.join(', ') : r.apiGroups.flatMap((g) => r.resources.map((x) => (g === '' ? x : `${x}.${g}`))).join(', ');
    const names = r.resourceNames.length > 0 ? ` named ${r.resourceNames.join(', ')}` : '';
    lines.push(
      `  ${r.risky.length > 0 ? '!' : ' '} ${where}: ${verbsPhrase(r.verbs)} on ${on}${names}${r.risky.length > 0 ? `  [${r.risky.join(', ')}]` : ''}`,
    );
    lines.push(`      ${r.via ? `as a member of ${text(r.via)}, ` : ''}granted by ${r.grantedBy.map(grantText).join(' → ')}`);
  }
  ctx.io.stdout.write(`${[...lines, ...inputs.notes.map((n) => `note: ${n}`)].join('\n')}\n`);
  return 0;
}
