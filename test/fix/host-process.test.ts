import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';

const P3 = readFileSync(join(import.meta.dirname, '../fixtures/rules/host-namespaces/fail.host-process-network.yaml'), 'utf8');

/** The same pod with HostProcess set on the container instead of the pod. */
const CONTAINER_LEVEL = `apiVersion: v1
kind: Pod
metadata:
  name: flannel
spec:
  hostNetwork: true
  containers:
    - name: flannel
      image: sigwindowstools/flannel:v0.21.5
      securityContext:
        windowsOptions:
          hostProcess: true
`;

type Obj = Record<string, unknown>;
const sc = (o: unknown): Obj => ((o as Obj | undefined)?.securityContext ?? {}) as Obj;
const hostProcessOn = (o: unknown): boolean => ((sc(o).windowsOptions ?? {}) as Obj).hostProcess === true;

/** What the API server demands of a HostProcess pod: hostNetwork on, runAsNonRoot never true. */
function hostProcessProblem(text: string): string | undefined {
  const doc = load(text) as Obj;
  const spec = ((doc.kind === 'Pod' ? doc.spec : ((doc.spec as Obj).template as Obj).spec) ?? {}) as Obj;
  const containers = (spec.containers ?? []) as Obj[];
  if (!hostProcessOn(spec) && !containers.some(hostProcessOn)) return undefined;
  if (spec.hostNetwork !== true) return 'HostProcess without hostNetwork';
  if ([spec, ...containers].some((o) => sc(o).runAsNonRoot === true)) return 'HostProcess with runAsNonRoot: true';
  return undefined;
}

function offered(path: string, text: string) {
  const options = { profile: 'pss-restricted' as const };
  const out = scan([{ path, content: text }], options);
  const file = out.files.get(path);
  if (!file) throw new Error('not scanned');
  return buildFixes(file, out.findings, { scan: options, includeReview: true }).fixes;
}

describe('fixes never break a Windows HostProcess pod (QA #4)', () => {
  for (const [name, text, count] of [
    ['pod-level hostProcess (QA p3)', P3, 2],
    ['container-level hostProcess', CONTAINER_LEVEL, 1],
  ] as const) {
    it(`${name}: every combination of offered fixes keeps hostNetwork and leaves runAsNonRoot unset`, () => {
      const fixes = offered('hp.yaml', text);
      expect(fixes.length).toBe(count);
      expect(fixes.some((f) => f.title.includes('hostNetwork') || f.title.includes('runAsNonRoot'))).toBe(false);
      for (let mask = 0; mask < 1 << fixes.length; mask++) {
        const chosen = fixes.filter((_, i) => mask & (1 << i)).map((f) => f.edit);
        expect(hostProcessProblem(applyLineEdits(text, chosen)), `fix subset ${mask}`).toBeUndefined();
      }
    });
  }

  it('once hostProcess is gone, hostNetwork and runAsNonRoot get their fixes', () => {
    const fixes = offered('hp.yaml', CONTAINER_LEVEL.replace('hostProcess: true', 'hostProcess: false'));
    expect(fixes.map((f) => f.title)).toEqual([
      'set `runAsNonRoot: true`; set pod `seccompProfile.type: RuntimeDefault`; remove `hostNetwork`; set `allowPrivilegeEscalation: false`; drop ALL capabilities',
    ]);
  });
});
