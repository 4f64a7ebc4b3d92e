import { describe, expect, it } from 'vitest';
import type { Finding, ScanResult } from '../../src/core/types.js';
import { jsonFinding, renderJson } from '../../src/report/json.js';
import { toSarif } from '../../src/report/sarif.js';
import { alsoReportedText, renderText } from '../../src/report/text.js';

const merged: Finding = {
  ruleId: 'privileged-container',
  severity: 'critical',
  title: 'Privileged container',
  message: 'container `app` sets `securityContext.privileged: true`',
  file: 'k8s/web.yaml',
  line: 12,
  column: 11,
  endLine: 12,
  path: ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'],
  container: 'app',
  fingerprint: 'fp-privileged',
  sources: ['minpriv', 'trivy', 'kubescape'],
  alsoReportedBy: [
    { tool: 'trivy', id: 'KSV-0017' },
    { tool: 'kubescape', id: 'C-0057' },
  ],
};
const toolOnly: Finding = {
  ruleId: 'trivy/KSV-0014',
  severity: 'high',
  title: 'Root file system is not read-only',
  message: "Container 'app' of Deployment 'web' should set 'securityContext.readOnlyRootFilesystem' to true",
  file: 'k8s/web.yaml',
  line: 10,
  column: 1,
  endLine: 14,
  path: [],
  fingerprint: 'fp-ro',
  sources: ['trivy', 'kube-linter'],
  alsoReportedBy: [{ tool: 'kube-linter', id: 'no-read-only-root-fs' }],
};
const result: ScanResult = {
  findings: [merged, toolOnly],
  suppressed: [],
  notices: [
    { kind: 'scanner', file: '', message: 'Trivy 0.74.0 ran on 1 file: 2 results' },
    { kind: 'scanner', file: '', message: 'kubescape timed out after 120000 ms', error: true },
  ],
  filesScanned: 1,
  resourcesScanned: 1,
};

describe('reports of findings external scanners reported too', () => {
  it('name the tools and their ids', () => {
    expect(alsoReportedText(merged)).toBe('also: Trivy KSV-0017, Kubescape C-0057');
    expect(alsoReportedText({})).toBe('');
  });

  it('text: after the message, and scanner notices without a file', () => {
    expect(renderText(result, { color: false, showSuppressed: false }).split('\n').slice(0, 6)).toEqual([
      'k8s/web.yaml:12:11 critical privileged-container container `app` sets `securityContext.privileged: true` [also: Trivy KSV-0017, Kubescape C-0057]',
      "k8s/web.yaml:10:1  high     trivy/KSV-0014       Container 'app' of Deployment 'web' should set 'securityContext.readOnlyRootFilesystem' to true [also: kube-linter no-read-only-root-fs]",
      '',
      'notices:',
      '  notice(scanner) Trivy 0.74.0 ran on 1 file: 2 results',
      '  error(scanner) kubescape timed out after 120000 ms',
    ]);
  });

  it('json: alsoReportedBy after sources, and the error flag of a notice', () => {
    expect(Object.keys(jsonFinding(merged)).slice(-2)).toEqual(['sources', 'alsoReportedBy']);
    const doc = JSON.parse(renderJson(result, { toolVersion: '0.1.0' }));
    expect(doc.findings[1].alsoReportedBy).toEqual([{ tool: 'kube-linter', id: 'no-read-only-root-fs' }]);
    expect(doc.notices[1]).toEqual({ kind: 'scanner', file: '', message: 'kubescape timed out after 120000 ms', error: true });
  });

  it('sarif: the tools in the result properties; a failed scanner is an error notification without a location', () => {
    const run = toSarif(result, { toolVersion: '0.1.0', rules: [] }).runs[0];
    expect(run?.results.map((r) => r.properties)).toEqual([
      {
        sources: ['minpriv', 'trivy', 'kubescape'],
        alsoReportedBy: [
          { tool: 'trivy', id: 'KSV-0017' },
          { tool: 'kubescape', id: 'C-0057' },
        ],
        also: 'also: Trivy KSV-0017, Kubescape C-0057',
      },
      {
        sources: ['trivy', 'kube-linter'],
        alsoReportedBy: [{ tool: 'kube-linter', id: 'no-read-only-root-fs' }],
        also: 'also: kube-linter no-read-only-root-fs',
      },
    ]);
    expect(run?.invocations[0]?.toolExecutionNotifications).toEqual([
      { level: 'note', message: { text: 'scanner: Trivy 0.74.0 ran on 1 file: 2 results' } },
      { level: 'error', message: { text: 'scanner: kubescape timed out after 120000 ms' } },
    ]);
  });
});
