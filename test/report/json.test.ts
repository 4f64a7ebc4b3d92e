import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { sampleScan } from './report-fixture.js';

describe('renderJson', () => {
  const doc = JSON.parse(renderJson(sampleScan(), { toolVersion: '9.9.9', settings: { profile: 'pss-restricted' } }));

  it('has tool, settings, summary, findings, suppressed and notices, in that order', () => {
    expect(Object.keys(doc)).toEqual(['tool', 'settings', 'summary', 'findings', 'suppressed', 'notices']);
    expect(doc.tool).toEqual({ name: 'minpriv', version: '9.9.9' });
    expect(doc.summary).toEqual({
      filesScanned: 3,
      resourcesScanned: 2,
      findings: 2,
      bySeverity: { critical: 1, high: 0, medium: 1, low: 0, info: 0 },
      suppressed: 1,
      notices: 1,
      noticesByKind: { template: 1 },
    });
  });

  it('writes each finding with a stable field order and a readable path', () => {
    const f = doc.findings[1];
    expect(Object.keys(f)).toEqual([
      'ruleId',
      'severity',
      'title',
      'message',
      'file',
      'line',
      'column',
      'endLine',
      'path',
      'resource',
      'container',
      'pss',
      'fingerprint',
      'fix',
      'sources',
    ]);
    expect(f).toMatchObject({
      ruleId: 'privileged-container',
      severity: 'critical',
      file: 'apps/web/deployment.yaml',
      line: 13,
      column: 11,
      path: 'spec.template.spec.containers[0].securityContext.privileged',
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', docIndex: 0 },
      container: 'web',
      pss: { control: 'privileged', level: 'baseline' },
      fix: { title: 'remove `privileged: true`', confidence: 'review' },
      sources: ['minpriv'],
    });
    expect(f.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps suppressed findings, with who suppressed them and why', () => {
    expect(doc.suppressed.map((f: { ruleId: string; file: string; suppression: unknown }) => [f.ruleId, f.file, f.suppression])).toEqual([
      ['allow-privilege-escalation', 'apps/agent dir/pod.yaml', { by: 'annotation', reason: 'legacy agent, tracked in OPS-12' }],
    ]);
  });

  it('lists notices', () => {
    expect(doc.notices).toEqual([
      {
        kind: 'template',
        file: 'charts/x/templates/pod.yaml',
        line: 4,
        message: 'not scanned: template (Helm/Go template syntax `{{ }}`); scan the rendered manifests instead',
      },
    ]);
  });
});
