import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, SourceFile } from '../../src/core/types.js';
import { isWorkload } from '../../src/core/workload.js';
import { type ScanOutput, scan } from '../../src/engine/scan.js';
import { readPaths } from '../../src/sources/paths.js';
import { FIXTURE_CORPUS, hasShared, SHARED_CORPUS } from '../corpus-path.js';

// Real manifests copied from public repositories: the full set (66 files) in ../shared/corpus/realworld, and the
// 30 files these tests name (same paths) in test/fixtures/corpus/realworld; see the SOURCE.md of each.
const at = (fs: Finding[], file: string) => fs.filter((f) => f.file === file).map((f) => `${f.ruleId}:${f.line}`);

const SETS = [
  { name: 'real-world corpus (full, ../shared/corpus/realworld)', root: path.join(SHARED_CORPUS, 'realworld'), count: 66, optional: true },
  { name: 'real-world corpus (subset, test/fixtures/corpus/realworld)', root: path.join(FIXTURE_CORPUS, 'realworld'), count: 30, optional: false },
];

for (const set of SETS) {
  const ROOT = set.root;
  const skip = set.optional && !hasShared('corpus/realworld', 'the full real-world corpus tests');
  let files: SourceFile[];
  let out: ScanOutput;

  describe.skipIf(skip)(set.name, () => {
    beforeAll(async () => {
      files = (await readPaths(['.'], { cwd: ROOT, maxBytes: 1024 * 1024 })).files;
      out = scan(files, { profile: 'pss-restricted' });
    });

    it(`reads all ${set.count} files and scans them together without a crash or a syntax finding`, () => {
      expect(files.length).toBe(set.count);
      expect(out.filesScanned).toBe(set.count);
      expect(out.findings.filter((f) => f.ruleId === 'yaml-syntax')).toEqual([]);
      expect(out.notices.filter((n) => n.kind === 'rule-error')).toEqual([]);
    });

    it('scans every file alone without a crash, each finding on a real line of its file', () => {
      for (const f of files) {
        const one = scan([f]);
        const lineCount = readFileSync(path.join(ROOT, f.path), 'utf8').split('\n').length;
        for (const finding of one.findings) {
          expect(finding.line, `${f.path}: ${finding.ruleId}`).toBeGreaterThanOrEqual(1);
          expect(finding.line, `${f.path}: ${finding.ruleId}`).toBeLessThanOrEqual(lineCount);
        }
      }
    });

    it('the podinfo Helm chart templates give a template notice, not findings or syntax errors', () => {
      const notices = out.notices.filter((n) => n.file.startsWith('stefanprodan__podinfo/charts/')).map((n) => `${n.kind} ${n.file}:${n.line}`);
      expect(notices).toEqual([
        'template stefanprodan__podinfo/charts/podinfo/templates/deployment.yaml:4',
        'template stefanprodan__podinfo/charts/podinfo/templates/serviceaccount.yaml:1',
      ]);
      expect(out.findings.filter((f) => f.file.startsWith('stefanprodan__podinfo/charts/'))).toEqual([]);
    });

    it('kustomize patches give no finding about fields they merely leave out', () => {
      for (const patch of [
        'kubernetes-sigs__metrics-server/manifests/components/autoscale/patch.yaml',
        'kubernetes-sigs__metrics-server/manifests/components/high-availability/patch.yaml',
        'GoogleCloudPlatform__microservices-demo/kustomize/components/without-loadgenerator/delete-loadgenerator.patch.yaml',
        'fluxcd__flux2-kustomize-helm-example/apps/production/podinfo-values.yaml',
      ]) {
        expect(at([...out.findings, ...out.suppressed], patch), patch).toEqual([]);
      }
      expect(out.notices.filter((n) => n.kind === 'partial').map((n) => n.file)).toEqual([
        'kubernetes-sigs__metrics-server/manifests/components/autoscale/patch.yaml',
        'kubernetes-sigs__metrics-server/manifests/components/high-availability/patch.yaml',
      ]);
    });

    it('the vitess pod with {{uid}} placeholders in strings is YAML and is scanned', () => {
      const file = 'kubernetes__examples/_archived/storage/vitess/vttablet-pod-template.yaml';
      expect(out.files.get(file)?.template).toBe(false);
      expect(at(out.findings, file)).toContain('restricted-volume-types:123');
    });

    it('finds the deliberately privileged workloads at their privileged lines', () => {
      expect(out.findings.filter((f) => f.ruleId === 'privileged-container').map((f) => `${f.file}:${f.line}`)).toEqual([
        'kubernetes__examples/_archived/newrelic/newrelic-daemonset.yaml:29',
        'kubernetes__examples/_archived/podsecuritypolicy/rbac/pod_priv.yaml:14',
        'kubernetes__examples/_archived/sysdig-cloud/sysdig-daemonset.yaml:44',
        'kubernetes__examples/_archived/volumes/nfs/nfs-server-deployment.yaml:26',
      ]);
      expect(at(out.findings, 'kubernetes__examples/_archived/newrelic/newrelic-daemonset.yaml').filter((r) => r.startsWith('host-namespaces'))).toEqual([
        'host-namespaces:21',
        'host-namespaces:22',
        'host-namespaces:23',
      ]);
    });

    it('hardened microservices-demo deployments fail only on the missing seccomp profile', () => {
      const demo = out.findings.filter((f) => f.file.startsWith('GoogleCloudPlatform__microservices-demo/'));
      expect(new Set(demo.map((f) => f.ruleId))).toEqual(new Set(['seccomp-profile-required']));
      expect(demo.length).toBe(12);
    });

    it('RBAC, Lists, CRDs and kustomization files have no pod spec and no findings', () => {
      for (const file of [
        'prometheus-operator__kube-prometheus/manifests/prometheus-roleSpecificNamespaces.yaml',
        'stefanprodan__podinfo/deploy/secure/common/reconciler-rbac.yaml',
        'fluxcd__flux2-kustomize-helm-example/clusters/production/apps.yaml',
        'stefanprodan__podinfo/deploy/overlays/production/kustomization.yaml',
      ]) {
        expect(out.files.get(file)?.objects.some((w) => isWorkload(w)) ?? true, file).toBe(false);
      }
    });
  });
}
