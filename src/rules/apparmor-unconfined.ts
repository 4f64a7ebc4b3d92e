import { defineRule } from '../core/rule.js';
import type { FixIntent, Path } from '../core/types.js';
import { getIn, isObj } from '../core/workload.js';
import { containerSc, describe, fmt, podSc, podScPath, scPath } from './helpers.js';

const ANNOTATIONS = ['annotations'];
const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const CHECK = 'the process must run under the runtime default AppArmor profile (it blocks, among others, mounts and writes to /proc and /sys)';

/** A set `appArmorProfile` whose type is not RuntimeDefault or Localhost (PSA `allowedProfileType`). */
function badProfile(p: unknown): boolean {
  return p !== undefined && p !== null && !(isObj(p) && (p.type === 'RuntimeDefault' || p.type === 'Localhost'));
}

function typeText(p: unknown): string {
  if (!isObj(p)) return `\`securityContext.appArmorProfile: ${fmt(p)}\``;
  return p.type === undefined || p.type === null
    ? 'a `securityContext.appArmorProfile` without a type'
    : `\`securityContext.appArmorProfile.type: ${fmt(p.type)}\``;
}

function fieldFix(profilePath: Path): FixIntent {
  return {
    confidence: 'review',
    title: 'set `appArmorProfile.type: RuntimeDefault`',
    check: CHECK,
    ops: [{ op: 'set', path: [...profilePath, 'type'], value: 'RuntimeDefault' }],
  };
}

export default defineRule({
  id: 'apparmor-unconfined',
  meta: {
    title: 'AppArmor profile is unconfined',
    description:
      'The `appArmorProfile.type` of the pod and its containers must be `RuntimeDefault` or `Localhost` when set, and the `container.apparmor.security.beta.kubernetes.io/*` annotations must be `runtime/default`, `localhost/*` or empty.',
    rationale:
      'On AppArmor hosts the runtime default profile is what keeps a container from mounting filesystems and writing kernel settings; `unconfined` switches that off.',
    remediation:
      'Set `securityContext.appArmorProfile.type: RuntimeDefault` (or `Localhost` with a reviewed profile) and change `unconfined` AppArmor annotations to `runtime/default`.',
    severity: 'medium',
    category: 'pod-security',
    standards: {
      pss: { level: 'baseline', control: 'appArmorProfile' },
      trivy: ['KSV-0002'],
      kubescape: ['C-0055'],
      polaris: ['linuxHardening'],
    },
    fixable: true,
  },
  check: (ctx) => {
    const w = ctx.workload;
    const pod = podSc(w).appArmorProfile;
    if (badProfile(pod)) {
      const path = podScPath(w, 'appArmorProfile');
      ctx.report({ path: [...path, 'type'], message: `pod sets ${typeText(pod)}`, fix: fieldFix(path) });
    }
    for (const c of w.containers) {
      const profile = containerSc(c).appArmorProfile;
      if (!badProfile(profile)) continue;
      const path = scPath(c, 'appArmorProfile');
      ctx.report({ path: [...path, 'type'], container: c.name, message: `${describe(c)} sets ${typeText(profile)}`, fix: fieldFix(path) });
    }
    const annotations = getIn(w.podMeta, ANNOTATIONS);
    if (!isObj(annotations)) return;
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(ANNOTATION_PREFIX)) continue;
      if (value === null || value === '' || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'))) continue;
      const path = [...(w.podMetaPath ?? []), 'annotations', key];
      ctx.report({
        path,
        container: key.slice(ANNOTATION_PREFIX.length),
        message: `pod sets annotation \`${key}: ${fmt(value)}\``,
        fix: {
          confidence: 'review',
          title: 'set the AppArmor annotation to `runtime/default`',
          check: CHECK,
          ops: [{ op: 'set', path, value: 'runtime/default' }],
        },
      });
    }
  },
});
