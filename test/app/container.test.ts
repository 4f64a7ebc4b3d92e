import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import { DEFAULT_OPERATIONS, operationSettings } from '../../src/github/operations.js';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');

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

  it('still passes minpriv scan with zero findings', () => {
    const files = readdirSync(new URL('deploy/', root)).filter((f) => f.endsWith('.yaml'));
    const out = scan(files.map((f) => ({ path: `deploy/${f}`, content: read(`deploy/${f}`) })));
    expect(out.findings).toEqual([]);
  });
});
