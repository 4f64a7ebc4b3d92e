import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/text.js';
import { sampleScan } from './report-fixture.js';

describe('renderText', () => {
  it('prints file:line:col severity rule-id message, grouped by file, then notices and a summary', () => {
    expect(renderText(sampleScan(), { color: false, showSuppressed: false })).toBe(
      [
        'apps/web/deployment.yaml:12:9  medium   allow-privilege-escalation container `web` does not set `securityContext.allowPrivilegeEscalation: false`',
        'apps/web/deployment.yaml:13:11 critical privileged-container       container `web` sets `securityContext.privileged: true`',
        '',
        'notices:',
        '  charts/x/templates/pod.yaml:4 notice(template) not scanned: template (Helm/Go template syntax `{{ }}`); scan the rendered manifests instead',
        '',
        '2 findings (1 critical, 1 medium) in 3 files, 2 resources with a pod spec; 1 suppressed (use --show-suppressed to list them); 1 notice: 1 template not scanned.',
        '',
      ].join('\n'),
    );
  });

  it('lists suppressed findings with who suppressed them and why when asked', () => {
    const out = renderText(sampleScan(), { color: false, showSuppressed: true });
    expect(out).toContain(
      'suppressed:\napps/agent dir/pod.yaml:10:5 medium   allow-privilege-escalation container `agent` does not set `securityContext.allowPrivilegeEscalation: false` [suppressed by annotation: legacy agent, tracked in OPS-12]\n',
    );
    expect(out).toContain('; 1 suppressed; 1 notice');
  });

  it('colours severities and locations with ANSI codes only when asked', () => {
    const coloured = renderText(sampleScan(), { color: true, showSuppressed: false });
    expect(coloured).toContain('\u001b[1m\u001b[35mcritical\u001b[39m\u001b[22m');
    expect(coloured).toContain('\u001b[33mmedium  \u001b[39m');
    expect(renderText(sampleScan(), { color: false, showSuppressed: false })).not.toContain('\u001b');
  });

  it('says so plainly when there is nothing to report', () => {
    const empty = { findings: [], suppressed: [], notices: [], filesScanned: 4, resourcesScanned: 1 };
    expect(renderText(empty, { color: false, showSuppressed: false })).toBe('no findings in 4 files, 1 resource with a pod spec.\n');
  });
});
