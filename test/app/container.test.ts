import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { load, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { docsUrlFromEnv } from '../../src/core/links.js';
import { scan } from '../../src/engine/scan.js';
import { DEFAULT_OPERATIONS, operationSettings } from '../../src/github/operations.js';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');
/** Every YAML file under deploy/, as `deploy/<relative path>`. */
const deployFiles = (readdirSync(new URL('deploy/', root), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => `deploy/${f.split('\\').join('/')}`)
  .sort();

describe('Dockerfile: signals reach the drain', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'));
  const stages = lines.filter((l) => /^FROM\s/.test(l));
  const runtime = lines.slice(lines.indexOf(stages.at(-1) as string));

  it('runs node under tini (PID 1 forwards SIGTERM and reaps children), tini installed in its own stage', () => {
    const entry = runtime.find((l) => l.startsWith('ENTRYPOINT'));
    expect(JSON.parse(entry?.slice('ENTRYPOINT'.length) ?? '[]')).toEqual(['/usr/bin/tini', '--']);
    const copy = runtime.find((l) => l.includes('/usr/bin/tini') && l.startsWith('COPY'));
    const stage = /--from=(\w+)/.exec(copy ?? '')?.[1];
    expect(lines.find((l) => l.startsWith('FROM') && l.endsWith(`AS ${stage}`))).toBeDefined();
    expect(lines.some((l) => /apt-get install .*\btini\b/.test(l))).toBe(true);
  });

  it('starts the entry with the drain and the sweep (not `probot run`, which has neither)', () => {
    const cmd = runtime.find((l) => l.startsWith('CMD'));
    expect(JSON.parse(cmd?.slice('CMD'.length) ?? '[]')).toEqual(['node', 'dist/server/main.js']);
    expect(existsSync(new URL('src/server/main.ts', root))).toBe(true);
  });
});

describe('deploy/: the pod is replaced, drained and probed to fit the app', () => {
  const deployment = load(read('deploy/deployment.yaml')) as {
    spec: { replicas: number; strategy?: { type: string }; template: { spec: Record<string, unknown> & { containers: Container[] } } };
  };
  type Probe = { periodSeconds?: number; timeoutSeconds?: number; failureThreshold?: number };
  type Container = { env: { name: string; value: string }[]; livenessProbe: Probe; readinessProbe: Probe; startupProbe?: Probe };
  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;
  const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));

  it('one replica is replaced with Recreate: two pods never handle the same delivery', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy?.type).toBe('Recreate');
  });

  it('terminationGracePeriodSeconds covers the grace and the interrupted runs’ writes, with a margin', () => {
    const s = operationSettings(env);
    expect(s.shutdownGraceMs).toBe(DEFAULT_OPERATIONS.shutdownGraceMs);
    expect((pod.terminationGracePeriodSeconds as number) * 1000).toBeGreaterThanOrEqual(s.shutdownGraceMs + s.shutdownWritesMs + 5000);
  });

  it('probe timeouts fit their period, and liveness tolerates a busy event loop for 30 s or more', () => {
    for (const probe of [container?.livenessProbe, container?.readinessProbe, container?.startupProbe]) {
      expect(probe?.timeoutSeconds).toBeGreaterThanOrEqual(2);
      expect(probe?.timeoutSeconds).toBeLessThan(probe?.periodSeconds ?? 10);
    }
    const live = container?.livenessProbe as Probe;
    expect((live.periodSeconds ?? 10) * (live.failureThreshold ?? 3)).toBeGreaterThanOrEqual(30);
  });

  it('still passes minpriv scan with zero findings (every file under deploy/, scale-out included)', () => {
    expect(deployFiles).toContain('deploy/base/ingress.yaml');
    const out = scan(deployFiles.map((f) => ({ path: f, content: read(f) })));
    expect(out.findings).toEqual([]);
    expect(out.resourcesScanned).toBe(4);
  });

  it('the grace matches the drain: grace + writes + a margin of 5 to 15 s, for the single pod and the workers', () => {
    for (const file of ['deploy/deployment.yaml', 'deploy/scale-out/worker.yaml']) {
      const d = load(read(file)) as typeof deployment;
      const e = Object.fromEntries((d.spec.template.spec.containers[0]?.env ?? []).map((x) => [x.name, x.value]));
      const s = operationSettings(e);
      const margin = (d.spec.template.spec.terminationGracePeriodSeconds as number) * 1000 - s.shutdownGraceMs - s.shutdownWritesMs;
      expect(margin, file).toBeGreaterThanOrEqual(5000);
      expect(margin, file).toBeLessThanOrEqual(15_000);
    }
  });

  it('readiness asks /ready, which fails as soon as the pod drains', () => {
    expect((container?.readinessProbe as { httpGet?: { path: string } } | undefined)?.httpGet?.path).toBe('/ready');
  });
});

describe('deploy/: one namespace, one image setting, an Ingress that matches the app, no credentials', () => {
  type K8s = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: unknown };
  const objects = deployFiles.filter((f) => !f.endsWith('kustomization.yaml')).flatMap((f) => (loadAll(read(f)) as K8s[]).map((o) => ({ file: f, o })));
  type Kustomization = { resources?: string[]; components?: string[]; images?: { name: string; newName?: string; newTag?: string; digest?: string }[] };
  const kustomization = (dir: string) => load(read(`${dir}/kustomization.yaml`)) as Kustomization;
  const image = kustomization('deploy/image').images ?? [];
  type Pod = { serviceAccountName?: string; containers: { image: string; env?: { name: string; value?: string }[] }[] };
  const pods = objects
    .filter(({ o }) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
    .map(({ file, o }) => ({ file, pod: (o.spec as { template: { spec: Pod } }).template.spec }));
  const appPods = pods.filter((p) => p.pod.containers.some((c) => c.image.startsWith(image[0]?.name ?? '?')));

  it('has a Namespace with Pod Security enforced at restricted, and every object lives in it', () => {
    const ns = objects.filter(({ o }) => o.kind === 'Namespace');
    expect(ns.map(({ o }) => o.metadata.name)).toEqual(['minpriv']);
    expect(ns[0]?.o.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const elsewhere = objects.filter(({ o }) => o.kind !== 'Namespace' && o.metadata.namespace !== 'minpriv');
    expect(elsewhere.map(({ file, o }) => `${file}: ${o.kind}/${o.metadata.name}`)).toEqual([]);
  });

  it('sets the image once, a version and never `latest`, for every pod running minpriv', () => {
    expect(image).toHaveLength(1);
    const [img] = image;
    expect(img?.newTag ?? img?.digest).toMatch(/^(\d+\.\d+\.\d+|sha256:[0-9a-f]{64})$/);
    expect(kustomization('deploy').components).toEqual(['image']);
    expect(kustomization('deploy/scale-out').components).toEqual(['../image']);
    expect(appPods.map((p) => p.file).sort()).toEqual(['deploy/deployment.yaml', 'deploy/scale-out/web.yaml', 'deploy/scale-out/worker.yaml']);
    for (const { pod } of pods) for (const c of pod.containers) expect(c.image).toMatch(/:(?!latest$)[\w.-]+$/);
  });

  it('keeps credentials out of the folder: no Secret object, and every pod reads the one the README creates', () => {
    expect(objects.filter(({ o }) => o.kind === 'Secret')).toEqual([]);
    const readme = read('README.md');
    expect(readme).toMatch(/kubectl -n minpriv create secret generic minpriv-github-app/);
    for (const key of ['APP_ID', 'WEBHOOK_SECRET', 'PRIVATE_KEY']) expect(readme).toContain(`--from-${key === 'PRIVATE_KEY' ? 'file' : 'literal'}=${key}=`);
    for (const { file, pod } of appPods) {
      const refs = (pod.containers[0] as { envFrom?: { secretRef?: { name: string } }[] }).envFrom?.map((e) => e.secretRef?.name);
      expect(refs, file).toEqual(['minpriv-github-app']);
      expect(pod.serviceAccountName, file).toBe('minpriv');
    }
  });

  it('routes Probot’s webhook path and the docs to the Service over TLS, on the host of MINPRIV_PUBLIC_URL', () => {
    const ingress = objects.find(({ o }) => o.kind === 'Ingress')?.o.spec as {
      tls: { hosts: string[]; secretName: string }[];
      rules: { host: string; http: { paths: { path: string; pathType: string; backend: { service: { name: string; port: { name: string } } } }[] } }[];
    };
    expect(ingress.rules).toHaveLength(1);
    const [rule] = ingress.rules;
    expect(ingress.tls[0]?.hosts).toEqual([rule?.host]);
    expect(rule?.http.paths.map((p) => `${p.pathType} ${p.path}`)).toEqual([
      'Exact /api/github/webhooks',
      'Prefix /docs/rules',
      'Exact /schema/minpriv.schema.json',
    ]);
    const service = objects.find(({ o }) => o.kind === 'Service' && o.metadata.name === 'minpriv')?.o.spec as { ports: { name: string }[] };
    for (const p of rule?.http.paths ?? []) {
      expect(p.backend.service.name).toBe('minpriv');
      expect(service.ports.map((x) => x.name)).toContain(p.backend.service.port.name);
    }
    for (const { file, pod } of appPods) {
      const env = Object.fromEntries((pod.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
      expect(docsUrlFromEnv(env), file).toBe(`https://${rule?.host}`);
      expect(env.WEBHOOK_PATH, file).toBeUndefined();
    }
  });

  const kubectl = (() => {
    try {
      execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 10_000 });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!kubectl)('builds with kubectl kustomize: both layouts, the image set, one Deployment replaced by two', () => {
    const build = (dir: string) =>
      loadAll(execFileSync('kubectl', ['kustomize', dir], { cwd: new URL('.', root), encoding: 'utf8', timeout: 60_000 })) as K8s[];
    const want = `${image[0]?.newName}:${image[0]?.newTag}`;
    const deployments = (objs: K8s[]) => objs.filter((o) => o.kind === 'Deployment');
    const images = (objs: K8s[]) => deployments(objs).flatMap((o) => (o.spec as { template: { spec: Pod } }).template.spec.containers.map((c) => c.image));
    const one = build('deploy');
    expect(deployments(one).map((o) => o.metadata.name)).toEqual(['minpriv']);
    expect(images(one)).toEqual([want]);
    expect(one.map((o) => o.kind)).toEqual(expect.arrayContaining(['Namespace', 'ServiceAccount', 'Service', 'Ingress', 'NetworkPolicy']));
    const out = build('deploy/scale-out');
    expect(
      deployments(out)
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['minpriv-web', 'minpriv-worker']);
    expect(images(out)).toEqual([want, want]);
  });
});

describe('the image and the package ship the rule docs the app serves', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'));
  const runtime = lines.slice(lines.findLastIndex((l) => /^FROM\s/.test(l)));

  it('copies docs/rules and schema/ into the runtime stage, and .dockerignore lets docs/rules in', () => {
    expect(runtime).toContain('COPY --chown=root:root docs/rules ./docs/rules');
    expect(runtime).toContain('COPY --chown=root:root schema ./schema');
    const ignore = read('.dockerignore').split('\n');
    expect(ignore.indexOf('!docs/rules')).toBeGreaterThan(ignore.indexOf('docs'));
    expect(ignore).not.toContain('schema');
  });

  it('lists docs and schema in package.json "files"', () => {
    const pkg = JSON.parse(read('package.json')) as { files: string[] };
    expect(pkg.files).toEqual(expect.arrayContaining(['docs', 'schema']));
  });
});
