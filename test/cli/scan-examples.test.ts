import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScan } from './scan-helpers.js';

/*
 * The example GitOps repository (examples/gitops) pinned finding by finding.
 * When a rule is added or changed, refresh these lists: run
 *   npx tsx src/cli/main.ts scan --show-suppressed examples/gitops
 * and check every changed line by hand before pasting it here.
 */
const ROOT = path.resolve('.');
const short = (f: { ruleId: string; file: string; line: number }) => `${f.ruleId} ${f.file.replace('examples/gitops/', '')}:${f.line}`;

async function scanExample(profile: string) {
  const r = await runScan(['--format', 'json', '--profile', profile, 'examples/gitops'], { cwd: ROOT });
  return { code: r.code, json: JSON.parse(r.stdout) };
}

describe('examples/gitops', () => {
  it('pss-restricted: the exact findings', async () => {
    const { code, json } = await scanExample('pss-restricted');
    expect(code).toBe(1);
    expect(json.findings.map(short)).toEqual([
      'seccomp-profile-required apps/nightly-report/cronjob.yaml:17',
      'run-as-non-root apps/orders-api/base/deployment.yaml:16',
      'seccomp-profile-required apps/orders-api/base/deployment.yaml:16',
      'allow-privilege-escalation apps/orders-api/base/deployment.yaml:18',
      'capabilities-restricted apps/orders-api/base/deployment.yaml:18',
      'allow-privilege-escalation apps/orders-api/base/deployment.yaml:25',
      'capabilities-restricted apps/orders-api/base/deployment.yaml:25',
      'run-as-non-root infrastructure/log-shipper/daemonset.yaml:19',
      'seccomp-profile-required infrastructure/log-shipper/daemonset.yaml:19',
      'host-namespaces infrastructure/log-shipper/daemonset.yaml:20',
      'allow-privilege-escalation infrastructure/log-shipper/daemonset.yaml:26',
      'capabilities-restricted infrastructure/log-shipper/daemonset.yaml:26',
      'privileged-container infrastructure/log-shipper/daemonset.yaml:27',
      'run-as-non-root infrastructure/node-debug/pod.yaml:7',
      'seccomp-profile-required infrastructure/node-debug/pod.yaml:7',
      'host-namespaces infrastructure/node-debug/pod.yaml:9',
      'allow-privilege-escalation infrastructure/node-debug/pod.yaml:14',
      'run-as-user-root infrastructure/node-debug/pod.yaml:15',
      'capabilities-restricted infrastructure/node-debug/pod.yaml:16',
      'capabilities-restricted infrastructure/node-debug/pod.yaml:17',
      'restricted-volume-types infrastructure/node-debug/pod.yaml:23',
    ]);
    expect(json.suppressed.map(short)).toEqual([
      'restricted-volume-types infrastructure/log-shipper/daemonset.yaml:37',
      'restricted-volume-types infrastructure/log-shipper/daemonset.yaml:40',
    ]);
    expect(json.notices.map((n: { kind: string; file: string; line: number }) => `${n.kind} ${n.file.replace('examples/gitops/', '')}:${n.line}`)).toEqual([
      'partial apps/orders-api/overlays/production/scale-and-limits.yaml:3',
    ]);
  });

  it('pss-baseline: the exact findings', async () => {
    const { json } = await scanExample('pss-baseline');
    expect(json.findings.map(short)).toEqual([
      'host-namespaces infrastructure/log-shipper/daemonset.yaml:20',
      'privileged-container infrastructure/log-shipper/daemonset.yaml:27',
      'host-namespaces infrastructure/node-debug/pod.yaml:9',
      'capabilities-baseline infrastructure/node-debug/pod.yaml:17',
      'host-path-volumes infrastructure/node-debug/pod.yaml:23',
    ]);
    expect(json.suppressed.map(short)).toEqual([
      'host-path-volumes infrastructure/log-shipper/daemonset.yaml:37',
      'host-path-volumes infrastructure/log-shipper/daemonset.yaml:40',
    ]);
  });

  it('the hardened app passes the restricted profile on its own', async () => {
    const r = await runScan(['examples/gitops/apps/storefront'], { cwd: ROOT });
    expect([r.code, r.stdout]).toEqual([0, 'no findings in 3 files, 1 resource with a pod spec.\n']);
  });
});
