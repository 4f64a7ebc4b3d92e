import { defineRule, forEachContainer } from '../core/rule.js';
import { isObj } from '../core/workload.js';
import { containerSc, describe, fmt, scPath } from './helpers.js';

export default defineRule({
  id: 'read-only-root-filesystem',
  meta: {
    title: 'Container root filesystem is writable',
    description:
      'Every container must set `securityContext.readOnlyRootFilesystem: true`. Windows pods (`spec.os.name: windows`) are exempt: Kubernetes refuses the field there.',
    rationale:
      'A writable root filesystem lets an attacker drop tools and binaries, change the application or its configuration, and persist until the container restarts.',
    remediation: 'Set `securityContext.readOnlyRootFilesystem: true`, and mount an `emptyDir` volume at each path the application writes to (`/tmp`, caches).',
    severity: 'low',
    category: 'hygiene',
    standards: {
      kubeLinter: ['no-read-only-root-fs'],
      trivy: ['KSV-0014'],
      kubescape: ['C-0017'],
      polaris: ['notReadOnlyRootFilesystem'],
      checkov: ['CKV_K8S_22'],
    },
    fixable: true,
  },
  check: forEachContainer((c, ctx) => {
    const os = ctx.workload.podSpec?.os;
    if (isObj(os) && os.name === 'windows') return;
    const value = containerSc(c).readOnlyRootFilesystem;
    if (value === true) return;
    const path = scPath(c, 'readOnlyRootFilesystem');
    const fix = {
      confidence: 'review' as const,
      title: 'set `readOnlyRootFilesystem: true`',
      check: 'an application that writes to disk needs an `emptyDir` volume mounted at `/tmp` (and at every other path it writes to)',
      ops: [{ op: 'set' as const, path, value: true }],
    };
    if (value === undefined || value === null) {
      ctx.report({ path, container: c.name, missing: true, fix, message: `${describe(c)} does not set \`securityContext.readOnlyRootFilesystem: true\`` });
    } else {
      ctx.report({ path, container: c.name, fix, message: `${describe(c)} sets \`securityContext.readOnlyRootFilesystem: ${fmt(value)}\`` });
    }
  }),
});
