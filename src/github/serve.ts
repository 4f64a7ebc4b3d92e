import { Context, createProbot, type Probot, ProbotOctokit, run } from 'probot';
import { docsUrlFromEnv } from '../core/links.js';
import { type OnError, parseConfig } from '../engine/config.js';
import { createPlanPool, type PlanPool, planPoolSettings } from '../pool/plan-pool.js';
import { auditRecord } from '../queue/audit.js';
import { InProcessQueue } from '../queue/in-process.js';
import type { ReviewSpec } from '../queue/job.js';
import { createQueue, QueueProducer } from '../queue/producer.js';
import { jobTimeoutOf, type QueueSettings, queueSettings } from '../queue/settings.js';
import { QueueStore } from '../queue/store.js';
import { createWorker, sweepQueue } from '../queue/worker.js';
import { docsHandler } from '../server/docs.js';
import { type Metrics, serveMetrics } from '../server/metrics.js';
import type { GitHub, Log } from './client.js';
import { createHandlers, type Decision, PR_EVENTS, RERUN_EVENTS } from './handlers.js';
import { InFlightRegistry } from './in-flight.js';
import { type Lifecycle, startLifecycle } from './lifecycle.js';
import { operationSettings } from './operations.js';
import { adoptCheckRun } from './queued-check-run.js';
import { type SweepSource, sweepOrphans } from './sweep.js';

const CONFIG_PATH = '.github/minpriv.yml';

export interface RoleOptions {
  metrics: Metrics;
}

/** pino's object-first call, for the audit line (JSON with LOG_FORMAT=json). */
type AuditLog = { info(obj: object, msg: string): void };

/**
 * The `web` role (and, without REDIS_URL, the whole app): Probot's server with the app, plus the process's duties
 * (drain on SIGTERM/SIGINT, sweep for orphaned check runs). Without REDIS_URL every review runs here (the
 * in-process queue); with it, a delivery is recorded, its check run created `queued` and a job added for the
 * workers, and the webhook is answered at once. `probot run ./dist/app.js` serves the in-process app without the
 * duties.
 */
export async function serve(o: RoleOptions): Promise<Lifecycle> {
  const settings = operationSettings();
  const qs = queueSettings();
  const registry = new InFlightRegistry(settings);
  const local = new InProcessQueue();
  const docsUrl = docsUrlFromEnv(process.env);
  const remote = qs.redisUrl ? openQueue(qs) : undefined;
  // Reviews run in this process only without a queue: then scanning goes to worker threads.
  const pool = remote ? undefined : planPoolOf();
  let probot: Probot | undefined;
  const producer = remote
    ? new QueueProducer({ settings: qs, store: remote.store, queue: remote.queue, auth: (id) => (probot as Probot).auth(id), observe: (d) => observe(d) })
    : undefined;
  let audit: AuditLog | undefined;
  const observe = (d: Decision) => {
    o.metrics.decision(d);
    audit?.info(auditRecord(d, remote ? 'queue' : 'in-process'), 'decision');
  };
  o.metrics.depthFrom(remote ? () => remote.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed') : async () => local.depth());
  const ready = async () => {
    if (registry.draining) return { ok: false, detail: 'shutting down' };
    if (!remote) return { ok: true, detail: 'ready' };
    return (await remote.store.ping()) ? { ok: true, detail: 'ready: redis answers' } : { ok: false, detail: 'redis does not answer' };
  };
  const before = new Set(process.listeners('SIGINT'));
  const server = await run(
    (app: Probot, options) => {
      probot = app;
      audit = app.log.child({ name: 'audit' }) as unknown as AuditLog;
      const handlers = createHandlers(registry, {
        local,
        observe,
        detach: true,
        ...(docsUrl ? { docsUrl } : {}),
        ...(producer ? { dispatch: producer } : {}),
        ...(pool ? { planner: pool.plan } : {}),
      });
      app.onAny((context) => o.metrics.webhook(context.name, (context.payload as { action?: string }).action));
      app.on([...PR_EVENTS], handlers.onPullRequest);
      app.on([...RERUN_EVENTS], handlers.onRerequest);
      options.addHandler(o.metrics.handler(ready));
      options.addHandler(docsHandler());
    },
    { Octokit: octokitOf(qs, o.metrics) },
  );
  // Probot's own SIGINT handler exits at once; the drain replaces it.
  for (const l of process.listeners('SIGINT')) if (!before.has(l)) process.off('SIGINT', l);
  const log = probot ? probot.log.child({ name: 'minpriv' }) : console;
  const stoppable = {
    async stop() {
      await server.stop();
      await pool?.close();
      if (!remote || !producer) return;
      await producer.flush(settings.shutdownWritesMs);
      await Promise.allSettled([remote.queue.close(), remote.store.close()]);
    },
  };
  // With a queue the workers run the reviews, and sweep.
  const sweepSource = probot && !remote ? { sweepSource: sweepSourceOf(probot) } : {};
  return startLifecycle({ registry, log, server: stoppable, ...sweepSource });
}

/**
 * The `worker` role (`node dist/server/worker.js`, REDIS_URL required): takes review jobs off the queue, each with
 * its installation's client; `/ping`, `/ready` and `/metrics` on PORT; drain on SIGTERM (the jobs in flight get
 * the grace, then their check runs are completed as interrupted); the queue sweep and the API sweep, one replica
 * at a time.
 */
export async function work(o: RoleOptions): Promise<Lifecycle & { close(): Promise<void> }> {
  const settings = operationSettings();
  const qs = queueSettings();
  if (!qs.redisUrl) throw new Error('the worker role needs REDIS_URL (without it, `node dist/server/main.js` reviews in its own process)');
  const docsUrl = docsUrlFromEnv(process.env);
  const remote = openQueue(qs);
  const probot = createProbot({ env: workerProbotEnv(process.env), overrides: { Octokit: octokitOf(qs, o.metrics) } });
  await probot.ready();
  const log: Log = probot.log.child({ name: 'minpriv-worker' });
  const audit = probot.log.child({ name: 'audit' }) as unknown as AuditLog;
  const registry = new InFlightRegistry(settings);
  const observe = (d: Decision) => {
    o.metrics.decision(d);
    audit.info(auditRecord(d, 'queue'), 'decision');
  };
  const pool = planPoolOf();
  const handlers = createHandlers(registry, { observe, ...(docsUrl ? { docsUrl } : {}), ...(pool ? { planner: pool.plan } : {}) });
  const producer = new QueueProducer({ settings: qs, store: remote.store, queue: remote.queue });
  const client = (spec: ReviewSpec) => probot.auth(spec.installationId);
  const source = sweepSourceOf(probot);
  const worker = createWorker({
    settings: qs,
    store: remote.store,
    producer,
    jobTimeoutMs: jobTimeoutOf(qs, settings),
    log,
    observe,
    onJob: (outcome, ms, waited) => o.metrics.job(outcome, ms, waited),
    client,
    onError: (spec) =>
      spec.installationId === undefined
        ? Promise.resolve<OnError>('fail')
        : (source.onError?.(spec.installationId, spec.owner, spec.repo) ?? Promise.resolve<OnError>('fail')),
    async review(spec) {
      const octokit = await client(spec);
      const [name, action] = spec.event.split('.');
      const payload = {
        action,
        repository: { name: spec.repo, owner: { login: spec.owner } },
        ...(spec.installationId === undefined ? {} : { installation: { id: spec.installationId } }),
      };
      const context = new Context({ id: spec.deliveryId, name, payload } as never, octokit, probot.log.child({ name: 'event', id: spec.deliveryId }));
      const target = { owner: spec.owner, repo: spec.repo, pull_number: spec.pull.number };
      return handlers.review(context as unknown as Context, target, spec.pull, { wrap: (gh: GitHub) => adoptCheckRun(gh, spec, context.log) });
    },
    async stop(spec) {
      const runs = registry.active().filter((r) => r.record.owner === spec.owner && r.record.repo === spec.repo && r.record.pullNumber === spec.pull.number);
      await Promise.allSettled(runs.map((r) => r.completeFor('time-limit')));
    },
  });
  o.metrics.depthFrom(() => remote.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed'));
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => Promise<unknown>) => {
    const t = setInterval(() => void fn().catch((err) => log.warn(`sweep: ${err instanceof Error ? err.message : String(err)}`)), ms);
    t.unref();
    timers.push(t);
  };
  const queueSweep = async () => {
    if (registry.draining || !(await remote.store.lease('queue-sweep', qs.sweepMs * 0.9))) return;
    await sweepQueue({ store: remote.store, producer, log }, remote.queue, Math.max(qs.sweepMs, 2 * qs.lockMs));
  };
  const apiSweep = async () => {
    if (registry.draining || !(await remote.store.lease('api-sweep', Math.max(1000, settings.sweepIntervalMs * 0.9 || 60_000)))) return;
    const result = await sweepOrphans(source, { settings, log, holds: (id) => registry.holds(id) });
    log.info(`sweep: ${result.reads} reads, ${result.found} minpriv runs in progress, ${result.completed.length} orphans completed`);
  };
  every(qs.sweepMs, queueSweep);
  if (settings.sweepIntervalMs > 0) every(settings.sweepIntervalMs, apiSweep);
  setImmediate(() => void apiSweep().catch((err) => log.warn(`sweep failed: ${err instanceof Error ? err.message : String(err)}`)));
  const http = await serveMetrics(
    o.metrics,
    async () => {
      if (registry.draining) return { ok: false, detail: 'shutting down' };
      return (await remote.store.ping()) ? { ok: true, detail: 'ready: redis answers' } : { ok: false, detail: 'redis does not answer' };
    },
    { host: process.env.HOST || 'localhost', port: Number(process.env.PORT || 3000) },
  );
  log.info(`worker listening on ${process.env.HOST || 'localhost'}:${process.env.PORT || 3000}: concurrency ${qs.concurrency}, queue ${qs.name}`);
  const close = async () => {
    for (const t of timers) clearInterval(t);
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
    await worker.close();
    await pool?.close();
    await Promise.allSettled([remote.queue.close(), remote.store.close()]);
  };
  const lifecycle = startLifecycle({ registry, log, server: { stop: close } });
  return { ...lifecycle, close };
}

/** The worker-thread pool for plans (`MINPRIV_SCAN_THREADS=0`: none, plans run on the event loop). */
function planPoolOf(): PlanPool | undefined {
  const settings = planPoolSettings();
  return settings.threads > 0 ? createPlanPool(settings) : undefined;
}

/** The worker's Probot settings: like the web role (Probot's run()), JSON logs in production unless LOG_FORMAT says otherwise. */
export function workerProbotEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const logFormat = env.NODE_ENV === 'production' && !env.LOG_FORMAT ? { LOG_FORMAT: 'json' as const } : {};
  return { LOG_LEVEL: 'info', ...logFormat, ...env };
}

function openQueue(qs: QueueSettings) {
  return { store: new QueueStore(qs.redisUrl as string, qs.name), queue: createQueue(qs) };
}

/** Probot's Octokit, counting requests for /metrics; throttling off only when MINPRIV_GITHUB_THROTTLE=false. */
function octokitOf(qs: QueueSettings, metrics: Metrics): typeof ProbotOctokit {
  const counted = ProbotOctokit.plugin(metrics.octokitPlugin as never);
  if (qs.throttle) return counted;
  return counted.defaults((options: Record<string, unknown>) => ({ ...options, throttle: { ...(options.throttle as object), enabled: false } }));
}

function sweepSourceOf(probot: Probot): SweepSource {
  return {
    app: () => probot.auth(),
    installation: (id) => probot.auth(id),
    async onError(id, owner, repo): Promise<OnError> {
      const octokit = await probot.auth(id);
      const { config } = await octokit.config.get({ owner, repo, path: CONFIG_PATH });
      const parsed = parseConfig(config);
      return parsed.ok ? parsed.config.onError : 'fail';
    },
  };
}
