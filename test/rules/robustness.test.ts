import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import { allRules } from '../../src/rules/index.js';

// Untrusted manifests: any JSON value may sit where a rule expects a mapping, list, string or boolean.
const any = fc.jsonValue({ maxDepth: 2 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(any, arb);
const securityContext = maybe(
  fc.record(
    {
      privileged: any,
      allowPrivilegeEscalation: any,
      runAsNonRoot: any,
      runAsUser: fc.oneof(fc.constant(0), any),
      procMount: fc.oneof(fc.constant('Unmasked'), any),
      capabilities: maybe(fc.record({ add: maybe(fc.array(any)), drop: maybe(fc.array(any)) }, { requiredKeys: [] })),
      seccompProfile: maybe(fc.record({ type: any }, { requiredKeys: [] })),
      appArmorProfile: maybe(fc.record({ type: any }, { requiredKeys: [] })),
      seLinuxOptions: maybe(fc.record({ type: any, user: any, role: any }, { requiredKeys: [] })),
      windowsOptions: maybe(fc.record({ hostProcess: any }, { requiredKeys: [] })),
      sysctls: maybe(fc.array(maybe(fc.record({ name: any, value: any }, { requiredKeys: [] })))),
    },
    { requiredKeys: [] },
  ),
);
const handler = maybe(fc.record({ httpGet: maybe(fc.record({ host: any })), tcpSocket: maybe(fc.record({ host: any })) }, { requiredKeys: [] }));
const container = maybe(
  fc.record(
    {
      name: any,
      image: fc.constant('registry.example/app:1'),
      securityContext,
      ports: maybe(fc.array(maybe(fc.record({ hostPort: any }, { requiredKeys: [] })))),
      volumeMounts: maybe(fc.array(maybe(fc.record({ name: any }, { requiredKeys: [] })))),
      livenessProbe: handler,
      lifecycle: maybe(fc.record({ preStop: handler, postStart: handler }, { requiredKeys: [] })),
    },
    { requiredKeys: ['image'] },
  ),
);
const pod = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Pod'),
  metadata: fc.record({
    name: fc.constant('fuzz'),
    annotations: maybe(fc.dictionary(fc.constantFrom('container.apparmor.security.beta.kubernetes.io/app', 'x'), any)),
  }),
  spec: fc.record(
    {
      containers: maybe(fc.array(container, { maxLength: 2 })),
      initContainers: maybe(fc.array(container, { maxLength: 2 })),
      securityContext,
      volumes: maybe(fc.array(maybe(fc.record({ name: any, hostPath: any, nfs: any, emptyDir: any }, { requiredKeys: [] })), { maxLength: 3 })),
      hostNetwork: any,
      hostUsers: any,
      os: maybe(fc.record({ name: any })),
    },
    { requiredKeys: [] },
  ),
});

describe('rules on hostile shapes', () => {
  it('never throw, whatever type a field has', () => {
    fc.assert(
      fc.property(pod, fc.integer({ min: 0, max: 37 }), (doc, minor) => {
        const out = scan([{ path: 'fuzz.yaml', content: JSON.stringify(doc) }], { ruleset: allRules, pssVersion: { major: 1, minor } });
        expect(out.notices.filter((n) => n.kind === 'rule-error')).toEqual([]);
        for (const f of out.findings) expect(f.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300, seed: 20260701 },
    );
  });
});
