/**
 * The generated corpus of bench/scan.bench.ts: a GitOps repository's worth of manifests. Varied
 * workload kinds (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods, ReplicaSets, an Argo
 * Rollout), one to three containers and sometimes init containers, probes, env, volumes; about a
 * third hardened to the restricted level, a third half-hardened, a quarter bare, and some risky ones
 * (privileged, host namespaces, hostPath, added capabilities, root). Services, ConfigMaps and
 * ServiceAccounts sit between them, as in rendered charts. Files range from one app to bundles of
 * hundreds of documents, with comments, both list indentation styles and a few suppressions.
 * Deterministic: the same bytes on every run.
 */
import type { SourceFile } from '../src/core/types.js';

export const WORKLOADS = 20_000;

/** Deterministic pseudo-random numbers (LCG), so every run scans the same corpus. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Rand = () => number;
type Hardening = 'restricted' | 'partial' | 'none' | 'risky';

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const IMAGES = [
  'nginx:1.27.1',
  'ghcr.io/acme/api:4.2.0',
  'redis:7.4-alpine',
  'envoyproxy/envoy:v1.31.0',
  'busybox:1.36',
  'ghcr.io/acme/worker@sha256:3f1b2c0d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c',
  'quay.io/prometheus/node-exporter:v1.8.2',
  'registry.k8s.io/ingress-nginx/controller:v1.11.2',
];
const KINDS: readonly [string, number][] = [
  ['Deployment', 0.45],
  ['StatefulSet', 0.1],
  ['DaemonSet', 0.07],
  ['Job', 0.05],
  ['CronJob', 0.15],
  ['Pod', 0.08],
  ['ReplicaSet', 0.05],
  ['Rollout', 0.05],
];

function kindOf(r: Rand): string {
  let x = r();
  for (const [kind, p] of KINDS) {
    x -= p;
    if (x < 0) return kind;
  }
  return 'Deployment';
}

function hardeningOf(r: Rand): Hardening {
  const x = r();
  return x < 0.35 ? 'restricted' : x < 0.65 ? 'partial' : x < 0.92 ? 'none' : 'risky';
}

/** `- ` items under a key: indented under it (Helm style) or not (kubectl style). */
interface Style {
  item: string;
}

function containerLines(r: Rand, name: string, ind: string, h: Hardening, s: Style, init: boolean): string[] {
  const o = `${ind}${s.item}  `;
  const out = [`${ind}${s.item}- name: ${name}`, `${o}image: ${pick(r, IMAGES)}`];
  if (init) out.push(`${o}command: ["sh", "-c", "until nslookup db; do sleep 2; done"]`);
  else if (r() < 0.3) out.push(`${o}ports:`, `${o}${s.item}- containerPort: ${8000 + Math.floor(r() * 1000)}`, `${o}${s.item}  name: http`);
  if (!init && r() < 0.25) {
    out.push(`${o}env:`, `${o}${s.item}- name: LOG_LEVEL`, `${o}${s.item}  value: "info"`);
    if (r() < 0.3) out.push(`${o}# ${s.item}- name: DEBUG`, `${o}#   value: "1"`);
  }
  if (!init && r() < 0.25) out.push(`${o}readinessProbe:`, `${o}  httpGet: {path: /healthz, port: http}`, `${o}  periodSeconds: 10`);
  if (!init) out.push(`${o}resources:`, `${o}  requests: {cpu: ${50 + Math.floor(r() * 200)}m, memory: ${64 + Math.floor(r() * 192)}Mi}`);
  if (h === 'restricted') {
    out.push(`${o}securityContext:`, `${o}  allowPrivilegeEscalation: false`, `${o}  capabilities:`, `${o}    drop: ["ALL"]`);
  } else if (h === 'partial') {
    out.push(`${o}securityContext:`, r() < 0.5 ? `${o}  allowPrivilegeEscalation: false` : `${o}  readOnlyRootFilesystem: true`);
  } else if (h === 'risky' && !init) {
    const risk = r();
    if (risk < 0.4) out.push(`${o}securityContext:`, `${o}  privileged: true # needs /dev access`);
    else if (risk < 0.7) out.push(`${o}securityContext:`, `${o}  capabilities:`, `${o}    add: [NET_ADMIN, SYS_TIME]`);
    else out.push(`${o}securityContext:`, `${o}  runAsUser: 0`);
  }
  return out;
}

function podSpecLines(r: Rand, app: string, ind: string, h: Hardening, s: Style, kind: string): string[] {
  const out: string[] = [];
  if (kind === 'Job' || kind === 'CronJob') out.push(`${ind}restartPolicy: OnFailure`);
  if (r() < 0.3) out.push(`${ind}serviceAccountName: ${app}`);
  if (h === 'restricted') {
    out.push(`${ind}securityContext:`, `${ind}  runAsNonRoot: true`, `${ind}  seccompProfile:`, `${ind}    type: RuntimeDefault`);
  } else if (h === 'partial' && r() < 0.5) {
    out.push(`${ind}securityContext:`, `${ind}  fsGroup: 2000`);
  }
  if (h === 'risky' && r() < 0.4) out.push(`${ind}hostNetwork: true`);
  if (r() < 0.15) out.push(`${ind}initContainers:`, ...containerLines(r, 'wait-for-db', ind, h, s, true));
  out.push(`${ind}containers:`);
  const n = r() < 0.7 ? 1 : r() < 0.75 ? 2 : 3;
  for (let i = 0; i < n; i++) out.push(...containerLines(r, i === 0 ? app : `sidecar-${i}`, ind, h, s, false));
  if (h === 'risky' && r() < 0.4) out.push(`${ind}volumes:`, `${ind}${s.item}- name: docker-sock`, `${ind}${s.item}  hostPath: {path: /var/run/docker.sock}`);
  else if (r() < 0.3) out.push(`${ind}volumes:`, `${ind}${s.item}- name: config`, `${ind}${s.item}  configMap: {name: ${app}}`);
  return out;
}

function workload(r: Rand, i: number, s: Style): string[] {
  const app = `app-${i}`;
  const kind = kindOf(r);
  const h = hardeningOf(r);
  const meta = ['metadata:', `  name: ${app}`, `  namespace: team-${i % 37}`, `  labels: {app: ${app}}`];
  // A few teams have accepted a finding, with a reason.
  if (r() < 0.01) meta.push('  annotations:', '    minpriv.dev/ignore: run-as-non-root', '    minpriv.dev/ignore-reason: "legacy image, tracked in OPS-1234"');
  const template = (ind: string) => [`${ind}template:`, `${ind}  metadata:`, `${ind}    labels: {app: ${app}}`, `${ind}  spec:`];
  const selector = ['  selector:', `    matchLabels: {app: ${app}}`];
  switch (kind) {
    case 'Pod':
      return ['apiVersion: v1', 'kind: Pod', ...meta, 'spec:', ...podSpecLines(r, app, '  ', h, s, kind)];
    case 'Job':
      return ['apiVersion: batch/v1', 'kind: Job', ...meta, 'spec:', '  backoffLimit: 3', ...template('  '), ...podSpecLines(r, app, '      ', h, s, kind)];
    case 'CronJob':
      return [
        'apiVersion: batch/v1',
        'kind: CronJob',
        ...meta,
        'spec:',
        `  schedule: "${i % 60} */6 * * *"`,
        '  jobTemplate:',
        '    spec:',
        ...template('      '),
        ...podSpecLines(r, app, '          ', h, s, kind),
      ];
    default: {
      const api = kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1';
      const replicas = kind === 'DaemonSet' ? [] : [`  replicas: ${1 + (i % 5)} # scaled by the HPA`];
      return [
        `apiVersion: ${api}`,
        `kind: ${kind}`,
        ...meta,
        'spec:',
        ...replicas,
        ...selector,
        ...template('  '),
        ...podSpecLines(r, app, '      ', h, s, kind),
      ];
    }
  }
}

function companion(r: Rand, i: number): string[] | undefined {
  const x = r();
  const meta = ['metadata:', `  name: app-${i}`, `  namespace: team-${i % 37}`];
  if (x < 0.2) {
    return ['apiVersion: v1', 'kind: Service', ...meta, 'spec:', `  selector: {app: app-${i}}`, '  ports:', '    - port: 80', '      targetPort: http'];
  }
  if (x < 0.25) return ['apiVersion: v1', 'kind: ConfigMap', ...meta, 'data:', '  LOG_FORMAT: json', `  FEATURE_FLAGS: "search,export"`];
  if (x < 0.3) return ['apiVersion: v1', 'kind: ServiceAccount', ...meta, 'automountServiceAccountToken: false'];
  return undefined;
}

/** Workloads per file: most files hold one app, some a team's bundle, a few a whole rendered chart. */
function fileSize(r: Rand): number {
  const x = r();
  return x < 0.6 ? 1 + Math.floor(r() * 4) : x < 0.9 ? 20 + Math.floor(r() * 60) : 200 + Math.floor(r() * 400);
}

/** The corpus with `workloads` workloads (default WORKLOADS); a smaller one is a prefix of the same stream. */
export function generateCorpus(workloads: number = WORKLOADS): SourceFile[] {
  const r = rng(42);
  const files: SourceFile[] = [];
  let i = 0;
  while (i < workloads) {
    const n = Math.min(fileSize(r), workloads - i);
    const s: Style = { item: r() < 0.5 ? '' : '  ' };
    const docs: string[] = [];
    for (let k = 0; k < n; k++, i++) {
      const lines = workload(r, i, s);
      // Rendered charts (the bundles) name each document's template.
      docs.push((n > 10 ? [`# Source: app-${i}/templates/workload.yaml`, ...lines] : lines).join('\n'));
      const extra = companion(r, i);
      if (extra) docs.push(extra.join('\n'));
    }
    const f = files.length;
    const header = f % 10 === 0 ? `# Managed by Flux; edit in the apps repository.\n# minpriv:ignore host-ports -- reviewed in SEC-${f}\n` : '';
    files.push({ path: `clusters/prod/team-${f % 37}/apps-${String(f).padStart(4, '0')}.yaml`, content: `${header}${docs.join('\n---\n')}\n` });
  }
  return files;
}
