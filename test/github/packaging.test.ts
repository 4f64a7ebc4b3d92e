import { readdirSync, readFileSync } from 'node:fs';
import { load, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import { operationSettings } from '../../src/github/operations.js';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');

describe('app.yml', () => {
  const manifest = load(read('app.yml')) as Record<string, unknown>;
  it('is private, points at the webhook path, and asks for the four permissions only', () => {
    expect(manifest.public).toBe(false);
    expect((manifest.hook_attributes as { url: string }).url).toMatch(/^https:\/\/[^/]+\/api\/github\/webhooks$/);
    expect(manifest.default_permissions).toEqual({ checks: 'write', pull_requests: 'write', contents: 'read', metadata: 'read' });
    expect(manifest.default_events).toEqual(['pull_request', 'check_run', 'check_suite']);
  });
});

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'));
  const stages = lines.filter((l) => /^FROM\s/.test(l));
  const runtime = lines.slice(lines.indexOf(stages.at(-1) as string));

  it('is multi-stage and the runtime stage takes production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const depsStage = /COPY --from=(\w+)[^\n]*node_modules/.exec(runtime.join('\n'))?.[1];
    expect(depsStage).toBe('deps');
    const deps = lines.slice(lines.findIndex((l) => l.includes(`AS ${depsStage}`)));
    expect(deps.find((l) => l.includes('npm ci'))).toContain('--omit=dev');
    expect(runtime.join('\n')).not.toMatch(/npm (ci|install)/);
  });

  it('runs as a non-root user, listens on 0.0.0.0 and writes only under /tmp', () => {
    const user = runtime.find((l) => l.startsWith('USER '))?.split(/\s+/)[1] ?? 'root';
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const env = runtime.filter((l) => /^\s*(ENV\s+)?[A-Z_]+=/.test(l)).join(' ');
    expect(env).toContain('HOST=0.0.0.0');
    expect(env).toContain('HOME=/tmp');
    expect(runtime.join('\n')).not.toMatch(/^VOLUME/m);
    expect(runtime.filter((l) => l.startsWith('COPY')).every((l) => l.includes('--chown=root:root'))).toBe(true);
  });
});

describe('deploy/ (the app’s own manifests)', () => {
  it('passes minpriv scan with zero findings', () => {
    const files = readdirSync(new URL('deploy/', root)).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(['deployment.yaml', 'network-policy.yaml', 'service.yaml']);
    const out = scan(files.map((f) => ({ path: `deploy/${f}`, content: read(`deploy/${f}`) })));
    expect(out.findings).toEqual([]);
    expect(out.suppressed).toEqual([]);
    expect(out.resourcesScanned).toBe(1);
  });
});

describe('deploy/scale-out/ (web and worker roles sharing Redis)', () => {
  const dir = 'deploy/scale-out/';
  const files = readdirSync(new URL(dir, root)).filter((f) => f.endsWith('.yaml'));
  const docs = files.flatMap((f) => loadAll(read(`${dir}${f}`)) as K8s[]);
  type Container = { args?: string[]; env?: { name: string; value?: string }[]; readinessProbe?: { httpGet?: { path: string } } };
  type K8s = { kind: string; metadata: { name: string }; spec?: Record<string, unknown> };
  const workload = (name: string) => docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name) as K8s;
  const pod = (name: string) =>
    (workload(name).spec as { template: { spec: { containers: Container[]; terminationGracePeriodSeconds: number } } }).template.spec;

  it('passes minpriv scan with zero findings, and the kustomization lists every file', () => {
    const out = scan(files.map((f) => ({ path: `${dir}${f}`, content: read(`${dir}${f}`) })));
    expect(out.findings).toEqual([]);
    expect(out.resourcesScanned).toBe(3);
    const kustomization = load(read(`${dir}kustomization.yaml`)) as { resources: string[] };
    expect(kustomization.resources.filter((r) => !r.startsWith('../')).sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml').sort());
  });

  it('runs the web role and the worker role of the same image, both on Redis, probed for readiness by /ready', () => {
    for (const [name, entry] of [
      ['minpriv-web', 'dist/server/main.js'],
      ['minpriv-worker', 'dist/server/worker.js'],
    ] as const) {
      const [c] = pod(name).containers;
      expect(c?.args).toEqual(['node', entry]);
      expect(c?.env?.find((e) => e.name === 'REDIS_URL')?.value).toMatch(/^redis:\/\//);
      expect(c?.readinessProbe?.httpGet?.path).toBe('/ready');
    }
    const env = Object.fromEntries((pod('minpriv-worker').containers[0]?.env ?? []).map((e) => [e.name, e.value]));
    const s = operationSettings(env as Record<string, string>);
    expect(pod('minpriv-worker').terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(s.shutdownGraceMs + s.shutdownWritesMs + 5000);
  });

  it('has a disruption budget for each role and a network policy that admits only minpriv’s pods to Redis', () => {
    const budgets = docs.filter((d) => d.kind === 'PodDisruptionBudget').map((d) => d.metadata.name);
    expect(budgets.sort()).toEqual(['minpriv-web', 'minpriv-worker']);
    const redisPolicy = docs.find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === 'minpriv-redis')?.spec as {
      ingress: { from: unknown[] }[];
      egress: unknown[];
    };
    expect(redisPolicy.ingress[0]?.from).toHaveLength(2);
    expect(redisPolicy.egress).toEqual([]);
  });
});
