import { readdirSync, readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';

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
