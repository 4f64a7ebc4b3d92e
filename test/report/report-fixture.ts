import { scan } from '../../src/engine/scan.js';
import allowPrivilegeEscalation from '../../src/rules/allow-privilege-escalation.js';
import privilegedContainer from '../../src/rules/privileged-container.js';

export const ruleset = [allowPrivilegeEscalation, privilegedContainer];

/** Two files, three findings (one suppressed by annotation), one template notice. */
export function sampleScan() {
  const deploy = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        image: nginx:1.27',
    '        securityContext:',
    '          privileged: true',
    '',
  ].join('\n');
  const agent = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: agent',
    '  annotations:',
    '    minpriv.dev/ignore: allow-privilege-escalation',
    '    minpriv.dev/ignore-reason: legacy agent, tracked in OPS-12',
    'spec:',
    '  containers:',
    '  - name: agent',
    '    image: agent:2',
    '',
  ].join('\n');
  const chart = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\nspec: {}\n{{- end }}\n';
  return scan(
    [
      { path: 'apps/web/deployment.yaml', content: deploy },
      { path: 'apps/agent dir/pod.yaml', content: agent },
      { path: 'charts/x/templates/pod.yaml', content: chart },
    ],
    { ruleset },
  );
}
