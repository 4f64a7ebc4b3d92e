import { readdirSync, readFileSync } from 'node:fs';
import { load, loadAll } from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
// Probot does not export these: its own files, as its setup page and CLI use them.
import { readCliOptions } from '../../node_modules/probot/lib/bin/read-cli-options.js';
import { readEnvOptions } from '../../node_modules/probot/lib/bin/read-env-options.js';
import { ManifestCreation } from '../../node_modules/probot/lib/manifest-creation.js';
import { scan } from '../../src/engine/scan.js';
import { operationSettings } from '../../src/github/operations.js';
import { workerProbotEnv } from '../../src/github/serve.js';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');

describe('app.yml', () => {
  const manifest = load(read('app.yml')) as Record<string, unknown>;
  it('is private and asks for the four permissions only', () => {
    expect(manifest.public).toBe(false);
    expect(manifest.default_permissions).toEqual({ checks: 'write', pull_requests: 'write', contents: 'read', metadata: 'read' });
    expect(manifest.default_events).toEqual(['pull_request', 'check_run', 'check_suite']);
  });

  // Issue 14: app.yml's keys win over Probot's, so a placeholder webhook URL there would be registered as is.
  describe('the manifest Probot 14 registers from it (its own ManifestCreation)', () => {
    const saved = { proxy: process.env.WEBHOOK_PROXY_URL, domain: process.env.PROJECT_DOMAIN };
    afterEach(() => {
      for (const [k, v] of [['WEBHOOK_PROXY_URL', saved.proxy] as const, ['PROJECT_DOMAIN', saved.domain] as const]) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });
    const manifestFor = (proxy: string | undefined) => {
      if (proxy === undefined) delete process.env.WEBHOOK_PROXY_URL;
      else process.env.WEBHOOK_PROXY_URL = proxy;
      delete process.env.PROJECT_DOMAIN;
      const files: string[] = [];
      const json = new ManifestCreation().getManifest({
        pkg: { name: 'minpriv' } as never,
        baseUrl: 'https://minpriv.acme.test',
        readFileSync: ((file: string) => {
          files.push(file);
          return read('app.yml');
        }) as never,
      });
      expect(files.map((f) => f.split(/[\\/]/).pop())).toEqual(['app.yml']);
      return JSON.parse(json) as Record<string, unknown>;
    };

    it('holds no placeholder: the webhook URL is the smee.io channel Probot set up', () => {
      const m = manifestFor('https://smee.io/AbCdEf');
      expect(m.hook_attributes).toEqual({ url: 'https://smee.io/AbCdEf' });
      expect(JSON.stringify(m)).not.toMatch(/example\.(com|org|net)/);
      expect(m).toMatchObject({ name: 'minpriv', public: false, redirect_url: 'https://minpriv.acme.test/probot/setup' });
    });

    it('without a channel, Probot’s own choice (the site the setup page was opened on), never an address from app.yml', () => {
      expect(manifestFor(undefined).hook_attributes).toEqual({ url: 'https://minpriv.acme.test/' });
    });
  });
});

// Issue 14: what the README says about LOG_FORMAT is what Probot 14 does (its own option readers).
describe('log format (README, Settings)', () => {
  const saved = process.env.LOG_FORMAT;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOG_FORMAT;
    else process.env.LOG_FORMAT = saved;
  });
  const row = read('README.md')
    .split('\n')
    .find((l) => l.startsWith('| `LOG_LEVEL`, `LOG_FORMAT` |'));

  it('node dist/server/main.js (Probot run(appFn): env only): JSON under NODE_ENV=production, pretty otherwise, LOG_FORMAT wins', () => {
    expect(readEnvOptions({ NODE_ENV: 'production' }).logFormat).toBe('json');
    expect(readEnvOptions({}).logFormat).toBe('pretty');
    expect(readEnvOptions({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(readEnvOptions({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(row).toContain(
      'Unset, `node dist/server/main.js` and the worker role (`node dist/server/worker.js`) log JSON when `NODE_ENV=production` and pretty otherwise',
    );
  });

  it('the worker role (createProbot): the same default as the web role', () => {
    expect(workerProbotEnv({ NODE_ENV: 'production' }).LOG_FORMAT).toBe('json');
    expect(workerProbotEnv({}).LOG_FORMAT).toBeUndefined();
    expect(workerProbotEnv({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
    expect(workerProbotEnv({}).LOG_LEVEL).toBe('info');
  });

  it('probot run: its --log-format default is LOG_FORMAT or pretty, whatever NODE_ENV says; the image sets LOG_FORMAT=json', () => {
    delete process.env.LOG_FORMAT;
    expect(readCliOptions(['node', 'probot', './dist/app.js']).logFormat).toBe('pretty');
    process.env.LOG_FORMAT = 'json';
    expect(readCliOptions(['node', 'probot', './dist/app.js']).logFormat).toBe('json');
    expect(row).toContain('`probot run` logs pretty whatever `NODE_ENV` says');
    expect(row).toContain('`LOG_FORMAT=json` for JSON logs (the image sets it)');
    expect(read('Dockerfile')).toMatch(/^\s+LOG_FORMAT=json\b/m);
  });
});

// Issue 14: no production dependency asks for a newer Node than package.json's engines promise (npm's EBADENGINE).
describe('dependencies and engines', () => {
  /** Whether a version satisfies an npm range, for the forms engines use: `>=a.b.c`, `^a.b`, `a.x`, `>= a`, `||`. */
  const satisfies = (version: string, range: string): boolean => {
    const v = version.split('.').map(Number);
    const cmp = (b: number[]) => {
      for (let i = 0; i < 3; i++) if ((v[i] ?? 0) !== (b[i] ?? 0)) return (v[i] ?? 0) - (b[i] ?? 0);
      return 0;
    };
    return range.split('||').some((set) =>
      set
        .trim()
        .replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1')
        .split(/\s+/)
        .every((c) => {
          const m = /^(>=|<=|>|<|\^|~|=)?v?(\d+)(?:\.(\d+|[x*]))?(?:\.(\d+|[x*]))?$/.exec(c);
          if (!m) return c === '*' || c === '';
          const wild = (n: string | undefined) => n === undefined || n === 'x' || n === '*';
          const b = [m[2], m[3], m[4]].map((n) => (wild(n) ? 0 : Number(n)));
          const op = m[1] ?? (wild(m[3]) ? '^' : wild(m[4]) ? '~' : '=');
          const d = cmp(b);
          if (op === '>=') return d >= 0;
          if (op === '>') return d > 0;
          if (op === '<=') return d <= 0;
          if (op === '<') return d < 0;
          if (op === '^') return d >= 0 && v[0] === b[0];
          if (op === '~') return d >= 0 && v[0] === b[0] && v[1] === b[1];
          return d === 0;
        }),
    );
  };

  it('reads engine ranges as npm does', () => {
    expect(satisfies('20.18.1', '>=22')).toBe(false);
    expect(satisfies('20.18.1', '^20.18.1 || >= 22')).toBe(true);
    expect(satisfies('20.18.1', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies('20.18.1', '>=20.x')).toBe(true);
    expect(satisfies('20.18.1', '>= 20')).toBe(true);
    expect(satisfies('20.18.1', '6.* || 8.* || >= 10.*')).toBe(true);
    expect(satisfies('20.18.1', '18.*')).toBe(false);
  });

  it('every production dependency in the lockfile runs on the oldest Node package.json accepts', () => {
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
    const floor = /^>=(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)?.[1] as string;
    expect(floor).toBe('20.18.1');
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } }> };
    const refused = Object.entries(lock.packages)
      .filter(([name, p]) => name !== '' && !p.dev && p.engines?.node !== undefined && !satisfies(floor, p.engines.node))
      .map(([name, p]) => `${name}@${p.version}: ${p.engines?.node}`);
    // content-type 3 (through @octokit/request 10.0.16) says >=22: package.json overrides it with 2.1.0 (same API, >=18).
    expect(refused).toEqual([]);
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
    const files = [
      ...readdirSync(new URL('deploy/', root)).filter((f) => f.endsWith('.yaml')),
      ...readdirSync(new URL('deploy/base/', root)).map((f) => `base/${f}`),
      ...readdirSync(new URL('deploy/image/', root)).map((f) => `image/${f}`),
    ];
    expect(files.sort()).toEqual([
      'base/ingress.yaml',
      'base/kustomization.yaml',
      'base/namespace.yaml',
      'base/network-policy.yaml',
      'base/service-account.yaml',
      'base/service.yaml',
      'deployment.yaml',
      'image/kustomization.yaml',
      'kustomization.yaml',
    ]);
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
