import { defineRule, forEachContainer, type Report } from '../core/rule.js';
import type { FixIntent, FixOp } from '../core/types.js';
import { getIn } from '../core/workload.js';
import capabilitiesBaseline, { BASELINE_CAPABILITIES } from './capabilities-baseline.js';
import { appliesAt, codeList, containerSc, describe, fmt, isWindowsExempt, listItems, plural, removeItems, runsAsNonRoot, scPath, v1 } from './helpers.js';

const CAPABILITIES = ['capabilities'];
const DROP = ['drop'];
const ADD = ['add'];
const SINCE = v1(22);

/**
 * Dropping ALL changes nothing for a process that is not root (it holds no capability to lose); a root process loses
 * what the runtime grants by default, which the entrypoints of many official images use (nginx, postgres, redis:
 * chown, then setuid to their own user; binding port 80).
 */
export const ROOT_CHECK =
  'if the image runs as root, it must not need a capability the runtime grants by default (binding a port below 1024, chown, switching user with setuid/setgid, as the entrypoints of the nginx, postgres and redis images do): run it as a non-root user, or add back `NET_BIND_SERVICE` for a low port';

/** The fix that drops ALL: safe for a container that cannot run as root, else to review. */
function dropAll(nonRoot: boolean, ops: FixOp[]): FixIntent {
  const title = 'drop ALL capabilities';
  return nonRoot ? { confidence: 'safe', title, ops } : { confidence: 'review', title, check: ROOT_CHECK, ops };
}

export default defineRule({
  id: 'capabilities-restricted',
  meta: {
    title: 'Container does not drop ALL capabilities, or adds one other than NET_BIND_SERVICE',
    description:
      'Every container must set `securityContext.capabilities.drop` to a list containing exactly `ALL` (case-sensitive) and may add back only `NET_BIND_SERVICE`.',
    rationale:
      'The default capability set of a container runtime still lets a process change file ownership, bypass file permissions, kill other processes in the pod and (with NET_RAW) forge packets; dropping everything removes that attack surface.',
    remediation: 'Set `securityContext.capabilities.drop: ["ALL"]` on every container and remove every `capabilities.add` entry other than `NET_BIND_SERVICE`.',
    severity: 'medium',
    category: 'pod-security',
    standards: {
      pss: { level: 'restricted', control: 'capabilities_restricted' },
      kubeLinter: ['drop-net-raw-capability'],
      trivy: ['KSV-0003', 'KSV-0004', 'KSV-0106'],
      kubescape: ['C-0055'],
      polaris: ['insecureCapabilities'],
      checkov: ['CKV_K8S_37', 'CKV_K8S_28'],
    },
    fixable: true,
    overrides: 'capabilities-baseline',
    since: SINCE,
  },
  check: forEachContainer((c, ctx) => {
    if (!appliesAt(ctx.pssVersion, SINCE) || isWindowsExempt(ctx.workload, ctx.pssVersion)) return;
    const caps = getIn(containerSc(c), CAPABILITIES);
    const drop = getIn(caps, DROP);
    if (!Array.isArray(drop)) {
      const dropPath = scPath(c, 'capabilities', 'drop');
      const missing = drop === undefined || drop === null;
      ctx.report({
        path: dropPath,
        container: c.name,
        missing,
        message: missing
          ? `${describe(c)} does not set \`securityContext.capabilities.drop: ["ALL"]\``
          : `${describe(c)} sets \`capabilities.drop\` to something other than a list`,
        fix: dropAll(runsAsNonRoot(ctx.workload, c), [{ op: 'set', path: dropPath, value: ['ALL'] }]),
      });
    } else if (!drop.includes('ALL')) {
      const dropPath = scPath(c, 'capabilities', 'drop');
      const lower = drop.findIndex((d) => typeof d === 'string' && d.toUpperCase() === 'ALL');
      // Rewriting `all` in place gives the minimal list; appending would leave `[all, ALL]`.
      const fix =
        lower < 0
          ? dropAll(runsAsNonRoot(ctx.workload, c), [{ op: 'add-item', path: dropPath, value: 'ALL' }])
          : {
              // `all` already drops everything at run time (containerd and CRI-O compare it case-insensitively): the spelling is all that changes.
              confidence: 'safe' as const,
              title: `write \`${fmt(drop[lower])}\` as \`ALL\` in \`capabilities.drop\``,
              ops: [{ op: 'set' as const, path: [...dropPath, lower], value: 'ALL' }],
            };
      ctx.report({
        path: dropPath,
        container: c.name,
        message: `${describe(c)} does not drop \`ALL\` capabilities${lower >= 0 ? ' (the name is case-sensitive)' : ''}`,
        fix,
      });
    }
    const add = getIn(caps, ADD);
    if (!Array.isArray(add) || add.length === 0) return;
    const addPath = scPath(c, 'capabilities', 'add');
    const bad = listItems(add).filter((i) => i.value !== 'NET_BIND_SERVICE');
    // Capabilities the baseline level forbids too keep its severity and its suppressions (one finding each way).
    const beyond = bad.filter((i) => !BASELINE_CAPABILITIES.has(i.value));
    const within = bad.filter((i) => BASELINE_CAPABILITIES.has(i.value));
    for (const group of [beyond, within]) {
      const first = group[0];
      if (!first) continue;
      const names = codeList(group.map((b) => b.value));
      const report: Report = {
        path: [...addPath, first.index],
        endAt: [...addPath, (group.at(-1) as { index: number }).index],
        container: c.name,
        message: `${describe(c)} adds ${plural(group.length, 'capability', 'capabilities')} ${names}; only \`NET_BIND_SERVICE\` may be added`,
        fix: {
          confidence: 'review',
          title: `stop adding ${names}`,
          check: `the process must not need ${names}`,
          ops: removeItems(
            addPath,
            group.map((b) => b.index),
          ),
        },
      };
      ctx.report(group === beyond ? { ...report, severity: capabilitiesBaseline.meta.severity, alsoFor: [capabilitiesBaseline.id] } : report);
    }
  }),
});
