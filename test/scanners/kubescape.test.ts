import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKubescapeJson, parseKubescapeResourceId } from '../../src/scanners/kubescape.js';

const FIX = path.join(import.meta.dirname, '../fixtures/scanners/kubescape');
/** The fixtures are maps resourceID → result object (real); the CLI envelope around them is built here. */
const fragments = (name: string): { resourceID: string }[] => Object.values(JSON.parse(readFileSync(path.join(FIX, name), 'utf8')));
const ROOT = '/tmp/minpriv-scan-ks';
const repoPath = (resourceID: string) => `k8s/${resourceID.split('/').at(-1)}.yaml`;
const OBJECTS: Record<string, unknown> = {
  'path=2868267070/api=/v1//Pod/vttablet-{{uid}}': {
    kind: 'Pod',
    metadata: { name: 'vttablet-{{uid}}' },
    spec: { containers: [{ name: 'vttablet' }, { name: 'mysqlctld' }] },
  },
  'path=2039255473/api=apps/v1//Deployment/nfs-server': {
    kind: 'Deployment',
    metadata: { name: 'nfs-server', namespace: 'storage' },
    spec: { template: { spec: { containers: [{ name: 'nfs-server' }] } } },
  },
};

function envelope(results: { resourceID: string }[], extra: Record<string, unknown> = {}): string {
  const resources = results.map((r) => ({
    resourceID: r.resourceID,
    source: { path: ROOT, relativePath: repoPath(r.resourceID), fileType: 'YAML' },
    ...(OBJECTS[r.resourceID] ? { object: OBJECTS[r.resourceID] } : {}),
  }));
  return JSON.stringify({ generationTime: '2026-08-22T00:00:00Z', results, resources, ...extra });
}

const failed = fragments('allResourcesResults.failed.json');
const paths = new Map(failed.map((r) => [`${ROOT}/${repoPath(r.resourceID)}`, repoPath(r.resourceID)]));

describe('parseKubescapeResourceId', () => {
  it.each([
    ['path=2039255473/api=apps/v1//Deployment/nfs-server', { kind: 'Deployment', name: 'nfs-server' }],
    ['path=1424254096/api=/v1//Pod/nginx', { kind: 'Pod', name: 'nginx' }],
    ['path=1/api=rbac.authorization.k8s.io/v1/shop/Role/reader', { kind: 'Role', name: 'reader', namespace: 'shop' }],
    ['not-an-id', undefined],
  ])('%s', (id, expected) => {
    expect(parseKubescapeResourceId(id)).toEqual(expected);
  });
});

describe('parseKubescapeJson', () => {
  it('reads the real failed results: one result per control and container or volume, no lines', () => {
    const out = parseKubescapeJson(envelope(failed), paths);
    if (!out.ok) throw new Error(out.error.message);
    expect(out.notices).toEqual([]);
    expect(out.results.map((r) => [r.file, r.toolId, r.resource?.kind, r.resource?.name, r.container, r.path])).toEqual([
      ['k8s/development.yaml', 'C-0054', 'Namespace', 'development', undefined, undefined],
      ['k8s/nginx.yaml', 'C-0057', 'Pod', 'nginx', undefined, 'spec.containers[0].securityContext.privileged'],
      ['k8s/nfs-server.yaml', 'C-0057', 'Deployment', 'nfs-server', 'nfs-server', 'spec.template.spec.containers[0].securityContext.privileged'],
      ['k8s/openshift-origin.yaml', 'C-0054', 'Namespace', 'openshift-origin', undefined, undefined],
      ['k8s/vttablet-{{uid}}.yaml', 'C-0048', 'Pod', 'vttablet-{{uid}}', undefined, 'spec.volumes[2].hostPath.path'],
      ['k8s/vttablet-{{uid}}.yaml', 'C-0045', 'Pod', 'vttablet-{{uid}}', 'vttablet', 'spec.containers[0].volumeMounts[0].readOnly'],
      ['k8s/vttablet-{{uid}}.yaml', 'C-0045', 'Pod', 'vttablet-{{uid}}', 'mysqlctld', 'spec.containers[1].volumeMounts[0].readOnly'],
      ['k8s/newrelic-agent.yaml', 'C-0048', 'DaemonSet', 'newrelic-agent', undefined, 'spec.template.spec.volumes[4].hostPath.path'],
      ['k8s/newrelic-agent.yaml', 'C-0048', 'DaemonSet', 'newrelic-agent', undefined, 'spec.template.spec.volumes[2].hostPath.path'],
      ['k8s/newrelic-agent.yaml', 'C-0057', 'DaemonSet', 'newrelic-agent', undefined, 'spec.template.spec.containers[0].securityContext.privileged'],
      ['k8s/newrelic-agent.yaml', 'C-0045', 'DaemonSet', 'newrelic-agent', undefined, 'spec.template.spec.containers[0].volumeMounts[1].readOnly'],
      ['k8s/sysdig-agent.yaml', 'C-0048', 'DaemonSet', 'sysdig-agent', undefined, 'spec.template.spec.volumes[0].hostPath.path'],
      ['k8s/sysdig-agent.yaml', 'C-0057', 'DaemonSet', 'sysdig-agent', undefined, 'spec.template.spec.containers[0].securityContext.privileged'],
      ['k8s/sysdig-agent.yaml', 'C-0045', 'DaemonSet', 'sysdig-agent', undefined, 'spec.template.spec.containers[0].volumeMounts[1].readOnly'],
      ['k8s/spark-cluster.yaml', 'C-0054', 'Namespace', 'spark-cluster', undefined, undefined],
      ['k8s/production.yaml', 'C-0054', 'Namespace', 'production', undefined, undefined],
    ]);
    expect(out.results.every((r) => r.line === undefined && r.tool === 'kubescape' && r.severity === 'medium')).toBe(true);
    // The object's own metadata wins over the resource id (which has no namespace here).
    expect(out.results[2]?.resource).toEqual({ kind: 'Deployment', name: 'nfs-server', namespace: 'storage' });
    expect(out.results[2]).toMatchObject({
      title: 'Privileged container',
      message: 'Privileged container: `spec.template.spec.containers[0].securityContext.privileged`',
    });
    // An empty fixPath is no fix; the four real ones are kept.
    expect(out.results[1]?.fixPaths).toBeUndefined();
    expect(out.results[10]?.fixPaths).toEqual([
      { path: 'spec.template.spec.containers[0].volumeMounts[1].readOnly', value: 'true' },
      { path: 'spec.template.spec.containers[0].volumeMounts[4].readOnly', value: 'true' },
      { path: 'spec.template.spec.containers[0].volumeMounts[2].readOnly', value: 'true' },
      { path: 'spec.template.spec.containers[0].volumeMounts[3].readOnly', value: 'true' },
    ]);
  });

  it('gives nothing for a resource whose controls all passed or were skipped', () => {
    // This fixture is one result object, not a map.
    const one = JSON.parse(readFileSync(path.join(FIX, 'resourcesResult.json'), 'utf8'));
    const out = parseKubescapeJson(envelope([one]), paths);
    expect(out).toEqual({ ok: true, results: [], notices: [] });
  });

  it('takes the severity the CLI adds, or the summary one, and the version from the metadata', () => {
    const results = [
      {
        resourceID: 'path=1/api=/v1//Pod/nginx',
        controls: [{ controlID: 'C-0057', name: 'Privileged container', severity: 'High', status: { status: 'failed' } }],
      },
      { resourceID: 'path=2/api=/v1//Pod/web', controls: [{ controlID: 'C-0017', status: { status: 'failed' } }] },
    ];
    const text = envelope(results, {
      summaryDetails: { controls: { 'C-0017': { severity: 'Low', scoreFactor: 3 } } },
      metadata: { scanMetadata: { kubescapeVersion: 'v4.0.12' } },
    });
    const out = parseKubescapeJson(text, new Map());
    if (!out.ok) throw new Error(out.error.message);
    expect(out.version).toBe('v4.0.12');
    expect(out.results.map((r) => [r.file, r.toolId, r.severity, r.title])).toEqual([
      ['k8s/nginx.yaml', 'C-0057', 'high', 'Privileged container'],
      ['k8s/web.yaml', 'C-0017', 'low', 'C-0017'],
    ]);
  });

  it('skips, with one notice, failed resources that have no source file', () => {
    const text = JSON.stringify({ results: failed.slice(0, 2), resources: [] });
    const out = parseKubescapeJson(text, paths);
    expect(out).toEqual({
      ok: true,
      results: [],
      notices: [{ kind: 'scanner', message: 'kubescape: 2 resource(s) with failed controls have no source file; skipped' }],
    });
  });

  it('resolves a relative path printed without its root', () => {
    const text = JSON.stringify({ results: [failed[1]], resources: [{ resourceID: failed[1]?.resourceID, source: { relativePath: './k8s/nginx.yaml' } }] });
    const out = parseKubescapeJson(text, paths);
    expect(out.ok && out.results.map((r) => r.file)).toEqual(['k8s/nginx.yaml']);
  });

  it('turns output it cannot read into a bad-output error', () => {
    const out = parseKubescapeJson('{"results": {}}', paths);
    expect(!out.ok && out.error).toEqual({ code: 'bad-output', message: 'kubescape printed output minpriv cannot read: not a Kubescape JSON report' });
  });
});
