import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatreeJson } from '../../src/scanners/datree.js';

const FIX = path.join(import.meta.dirname, '../fixtures/scanners/datree');
const read = (name: string) => readFileSync(path.join(FIX, name), 'utf8');
const TMP = '/tmp/minpriv-scan-dt';

describe('parseDatreeJson', () => {
  const paths = new Map([[`${TMP}/manifests/File1`, 'manifests/File1']]);
  const expected = [
    ['manifests/File1', 'CONTAINERS_MISSING_IMAGE_VALUE_VERSION', 10, 20, 'spec.template.spec.containers[0].image'],
    ['manifests/File1', 'CONTAINERS_MISSING_MEMORY_LIMIT_KEY', 95, 15, 'spec.template.spec.containers[0].resources.limits'],
    ['manifests/File1', 'WORKLOAD_INVALID_LABELS_VALUE', 7, 12, 'metadata.labels.owner'],
    ['manifests/File1', 'CONTAINERS_MISSING_LIVENESSPROBE_KEY', 22, 11, 'spec.template.spec.containers[0]'],
  ];

  it.each(['json_output.json', 'json_output_verbose.json'])('reads %s: 4 results with line, column and path', (name) => {
    const out = parseDatreeJson(read(name), paths);
    if (!out.ok) throw new Error(out.error.message);
    expect(out.version).toBeUndefined();
    expect(out.notices).toEqual([]);
    expect(out.results.map((r) => [r.file, r.toolId, r.line, r.column, r.path])).toEqual(expected);
    expect(out.results.every((r) => r.endLine === r.line && r.severity === 'medium' && r.container === undefined)).toBe(true);
    expect(out.results[1]).toMatchObject({
      tool: 'datree',
      normalizedId: 'CONTAINERS_MISSING_MEMORY_LIMIT_KEY',
      title: 'Ensure each container has a configured memory limit',
      message: 'Missing property object `limits.memory` - value should be within the accepted boundaries recommended by the organization',
      resource: { kind: 'Deployment', name: 'rss-site' },
    });
  });

  it('skips skipped occurrences and reports files that failed validation', () => {
    const text = JSON.stringify({
      policyValidationResults: [
        {
          fileName: 'a.yaml',
          ruleResults: [{ identifier: 'X', occurrencesDetails: [{ metadataName: 'w', kind: 'Pod', isSkipped: true, failureLocations: [] }] }],
        },
      ],
      yamlValidationResults: [{ fileName: 'b.yaml' }],
      k8sValidationResults: null,
    });
    expect(parseDatreeJson(text, new Map())).toEqual({
      ok: true,
      results: [],
      notices: [{ kind: 'scanner', message: 'datree: 1 file(s) failed YAML or Kubernetes validation and were not checked' }],
    });
  });

  it('turns output it cannot read into a bad-output error', () => {
    const out = parseDatreeJson('{"policyValidationResults": "x"}', paths);
    expect(!out.ok && out.error.code).toBe('bad-output');
  });
});
