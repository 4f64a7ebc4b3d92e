import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeLinterContainer, parseKubeLinterJson } from '../../src/scanners/kube-linter.js';

const FIX = path.join(import.meta.dirname, '../fixtures/scanners/kube-linter');
const read = (name: string) => readFileSync(path.join(FIX, name), 'utf8');
const TMP = '/tmp/minpriv-scan-kl';

describe('parseKubeLinterJson', () => {
  const paths = new Map([
    [`${TMP}/tests/checks/run-as-non-root.yml`, 'tests/checks/run-as-non-root.yml'],
    [`${TMP}/tests/checks/privileged-container.yml`, 'tests/checks/privileged-container.yml'],
  ]);

  it('reads run-as-non-root: 4 reports, identity from K8sObject, container from the message, no line or severity', () => {
    const out = parseKubeLinterJson(read('run-as-non-root.constructed.json'), paths);
    if (!out.ok) throw new Error(out.error.message);
    expect(out.version).toBe('0.8.3');
    expect(out.notices).toEqual([]);
    expect(out.results.map((r) => [r.file, r.toolId, r.resource, r.container, r.message])).toEqual([
      ['tests/checks/run-as-non-root.yml', 'run-as-non-root', { kind: 'Deployment', name: 'app1' }, 'app', 'container "app" is not set to runAsNonRoot'],
      [
        'tests/checks/run-as-non-root.yml',
        'run-as-non-root',
        { kind: 'DeploymentConfig', name: 'app2' },
        'app2',
        'container "app2" is not set to runAsNonRoot',
      ],
      ['tests/checks/run-as-non-root.yml', 'run-as-non-root', { kind: 'Deployment', name: 'group-zero' }, 'app3', 'container "app3" is set to runAsGroup 0'],
      [
        'tests/checks/run-as-non-root.yml',
        'run-as-non-root',
        { kind: 'DeploymentConfig', name: 'group-zero' },
        'app4',
        'container "app4" is set to runAsGroup 0',
      ],
    ]);
    expect(out.results[0]).toMatchObject({
      tool: 'kube-linter',
      normalizedId: 'run-as-non-root',
      title: 'Indicates when containers are not set to runAsNonRoot or explicitly use the root group.',
      severity: 'medium',
    });
    expect(out.results.every((r) => r.line === undefined && r.path === undefined)).toBe(true);
  });

  it('reads privileged-container: 2 reports', () => {
    const out = parseKubeLinterJson(read('privileged-container.constructed.json'), paths);
    if (!out.ok) throw new Error(out.error.message);
    expect(out.results.map((r) => [r.file, r.toolId, r.resource?.kind, r.resource?.name, r.container])).toEqual([
      ['tests/checks/privileged-container.yml', 'privileged-container', 'Deployment', 'app1', 'app'],
      ['tests/checks/privileged-container.yml', 'privileged-container', 'DeploymentConfig', 'app2', 'app'],
    ]);
  });

  it('reads `Reports: null` as no results', () => {
    expect(parseKubeLinterJson(read('no-reports.constructed.json'), paths)).toEqual({ ok: true, results: [], notices: [], version: '0.8.3' });
  });

  it('names containers from the messages of other checks', () => {
    expect(kubeLinterContainer('host system directory "/etc" is mounted on container "app"')).toBe('app');
    expect(kubeLinterContainer('container app mounts path /config on the host as writable')).toBe('app');
    expect(kubeLinterContainer("resource shares host's network namespace (via hostNetwork=true).")).toBeUndefined();
  });

  it('turns a plain-text run into a bad-output error', () => {
    const out = parseKubeLinterJson('Error: found 2 lint errors', paths);
    expect(!out.ok && out.error.code).toBe('bad-output');
  });
});
