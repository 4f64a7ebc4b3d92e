import { isObj } from '../core/object.js';
import { pathToString } from '../core/types.js';
import { isWorkload } from '../core/workload.js';
import { kubeletRejects, validatePodSpec, validatePolicyRule } from '../k8s/validate.js';
import { objectsOfDocument, toObject } from '../k8s/workload.js';

/**
 * What the API server (or the kubelet, at container start) would refuse in one YAML document, as
 * "object: path: message" lines: the pod specs of its workloads (k8s/validate.ts, ported from
 * pkg/apis/core/validation) and the rules of its Roles and ClusterRoles (pkg/apis/rbac/validation).
 * A fix is verified against it: it may leave what was already there, never add to it.
 */
export function apiProblems(doc: unknown, kubelet = true): Set<string> {
  const out = new Set<string>();
  for (const { value, basePath } of objectsOfDocument(doc)) {
    const o = toObject(value, '', 0, basePath, false);
    const who = `${o.id.kind}/${o.id.name}`;
    if (isWorkload(o)) {
      const errors = [...validatePodSpec(o.podSpec, o.podMeta, { kind: o.id.kind }), ...(kubelet ? kubeletRejects(o.podSpec) : [])];
      for (const e of errors) out.add(`${who}: ${pathToString(e.path)}: ${e.message}`);
    }
    if ((o.id.kind === 'Role' || o.id.kind === 'ClusterRole') && Array.isArray(value.rules)) {
      value.rules.forEach((r, i) => {
        if (!isObj(r)) return;
        for (const e of validatePolicyRule(r, o.id.kind === 'Role')) out.add(`${who}: rules[${i}].${pathToString(e.path)}: ${e.message}`);
      });
    }
  }
  return out;
}

/**
 * The first problem `after` has that `before` did not, or undefined. `kubelet`: also what the kubelet
 * refuses at container start (`runAsNonRoot` with an effective `runAsUser: 0`). That one is checked on
 * the fixes of a file together (what `minpriv fix` writes), not on each fix alone: a pod-level
 * `runAsNonRoot: true` is right once the container's `runAsUser: 0` fix is applied with it.
 */
export function addedApiProblem(before: unknown, after: unknown, kubelet = false): string | undefined {
  return problemAdded(apiProblems(before, kubelet), after, kubelet);
}

/**
 * addedApiProblem with the problems of `before` worked out already (a verifier checks many edits of one
 * document), or worked out only when `after` has any (a function: most fixed documents have none).
 */
export function problemAdded(before: ReadonlySet<string> | (() => ReadonlySet<string>), after: unknown, kubelet = false): string | undefined {
  const found = apiProblems(after, kubelet);
  if (found.size === 0) return undefined;
  const known = typeof before === 'function' ? before() : before;
  for (const p of found) if (!known.has(p)) return p;
  return undefined;
}
