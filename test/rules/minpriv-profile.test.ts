import { describe, expect, it } from 'vitest';
import { applyLineEdits, buildFixes } from '../../src/engine/fix.js';
import { scan } from '../../src/engine/scan.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

const HARDENED = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: ghcr.io/acme/web:1.4.2@${DIGEST}
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: web-db
                  key: password
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 128Mi
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir: {}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
`;

// The seed's risks: an admin UI behind a public LoadBalancer, a literal database password, the default
// ServiceAccount with its token, and a Secret committed in plain YAML.
const SEED = `apiVersion: v1
kind: Secret
metadata:
  name: admin-db
  namespace: shop
data:
  password: aHVudGVyMg==
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: admin
  namespace: shop
spec:
  selector:
    matchLabels:
      app: admin
  template:
    metadata:
      labels:
        app: admin
    spec:
      containers:
        - name: admin
          image: ghcr.io/acme/admin:3.2.0
          env:
            - name: DB_PASSWORD
              value: hunter2
---
apiVersion: v1
kind: Service
metadata:
  name: admin
  namespace: shop
spec:
  type: LoadBalancer
  selector:
    app: admin
  ports:
    - port: 80
`;

// The rules of the service-account, exposure, secrets and hygiene categories this test pins down.
const MINE = new Set([
  'automount-service-account-token',
  'default-service-account',
  'env-secret-literal',
  'ingress-without-tls',
  'read-only-root-filesystem',
  'resource-limits',
  'secret-in-manifest',
  'service-account-not-found',
  'service-exposed',
  'service-external-ips',
]);

describe('the minpriv profile', () => {
  it('a hardened workload, its ServiceAccount, Service and NetworkPolicy give no finding', () => {
    const out = scan([{ path: 'web.yaml', content: HARDENED }], { profile: 'minpriv' });
    expect(out.findings.map((f) => `${f.ruleId} ${f.line}: ${f.message}`)).toEqual([]);
    expect(out.notices).toEqual([]);
  });

  it("the seed's manifest fails on each of its risks", () => {
    const out = scan([{ path: 'admin.yaml', content: SEED }], { profile: 'minpriv' });
    expect(out.findings.filter((f) => MINE.has(f.ruleId)).map((f) => [f.ruleId, f.line, f.severity])).toEqual([
      ['secret-in-manifest', 6, 'high'],
      ['automount-service-account-token', 22, 'medium'],
      ['default-service-account', 22, 'low'],
      ['read-only-root-filesystem', 24, 'low'],
      ['resource-limits', 24, 'low'],
      ['env-secret-literal', 28, 'high'],
      ['service-exposed', 36, 'medium'],
    ]);
    // And the pod-spec controls of PSS restricted, which minpriv includes.
    expect(out.findings.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['allow-privilege-escalation', 'capabilities-restricted', 'run-as-non-root', 'seccomp-profile-required']),
    );
    expect(JSON.stringify(out.findings)).not.toContain('hunter2');
  });

  it("the seed's fixes (the token, the read-only root filesystem, the PSS controls) apply together and verify", () => {
    const out = scan([{ path: 'admin.yaml', content: SEED }], { profile: 'minpriv' });
    const file = out.files.get('admin.yaml');
    if (!file) throw new Error('not scanned');
    const { fixes, declined } = buildFixes(file, out.findings, { scan: { profile: 'minpriv' }, includeReview: true });
    expect(declined).toEqual([]);
    const fixed = applyLineEdits(
      SEED,
      fixes.map((f) => f.edit),
    );
    const after = scan([{ path: 'admin.yaml', content: fixed }], { profile: 'minpriv' });
    expect(after.findings.filter((f) => f.fix).map((f) => f.ruleId)).toEqual([]);
    expect(after.findings.filter((f) => MINE.has(f.ruleId)).map((f) => f.ruleId)).toEqual([
      'secret-in-manifest',
      'default-service-account',
      'resource-limits',
      'env-secret-literal',
      'service-exposed',
    ]);
  });

  it('the PSS profiles run none of these rules', () => {
    for (const profile of ['pss-baseline', 'pss-restricted'] as const) {
      const out = scan([{ path: 'admin.yaml', content: SEED }], { profile });
      expect(out.findings.filter((f) => MINE.has(f.ruleId))).toEqual([]);
    }
  });
});
