/** Synthetic PRs for the large-PR test and the bench: `bad` manifests have exactly one finding (privileged). */
import { addedPatch, type FakeFile } from './fake-github.js';

export function pod(name: string, privileged: boolean): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  securityContext:',
    '    runAsNonRoot: true',
    '    seccompProfile:',
    '      type: RuntimeDefault',
    '  containers:',
    '    - name: app',
    '      image: registry.example/app:1.0',
    '      securityContext:',
    '        allowPrivilegeEscalation: false',
    '        capabilities:',
    '          drop: [ALL]',
    ...(privileged ? ['        privileged: true'] : []),
    '',
  ].join('\n');
}

/** `files` new manifests, the first `bad` of them with one finding each. */
export function syntheticFiles(files: number, bad: number): FakeFile[] {
  return Array.from({ length: files }, (_, i) => {
    const content = pod(`p${i}`, i < bad);
    const filename = `apps/app-${String(i).padStart(4, '0')}.yaml`;
    return { filename, status: 'added' as const, patch: addedPatch(content), content };
  });
}
