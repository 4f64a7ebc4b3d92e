/**
 * What the app itself does, for Prometheus: `GET /metrics` (text format), `GET /ready` (Redis reachable, when
 * there is one; not shutting down). `/ping` (Probot's, or the worker's own) stays the liveness probe.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Decision } from '../github/handlers.js';

const SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

/** The request hook of an Octokit (structurally: this module does not import Octokit). */
interface Hookable {
  hook: {
    wrap(name: 'request', fn: (request: (o: RequestOptions) => Promise<{ status: number }>, options: RequestOptions) => Promise<{ status: number }>): void;
  };
}
interface RequestOptions {
  method?: string;
  url?: string;
}

export type Readiness = () => Promise<{ ok: boolean; detail: string }>;

export class Metrics {
  readonly registry = new Registry();
  private readonly webhooks: Counter<'event' | 'action'>;
  private readonly github: Counter<'route' | 'status'>;
  private readonly decisions: Counter<'outcome' | 'conclusion'>;
  private readonly findings: Counter<'rule' | 'severity'>;
  private readonly comments: Counter;
  private readonly resolved: Counter;
  private readonly jobs: Histogram<'outcome'>;
  private readonly waits: Histogram;
  private depth: () => Promise<Record<string, number>> = async () => ({});

  constructor(o: { defaults?: boolean } = {}) {
    const registers = [this.registry];
    if (o.defaults !== false) collectDefaultMetrics({ register: this.registry, prefix: 'minpriv_' });
    this.webhooks = new Counter({
      name: 'minpriv_webhooks_received_total',
      help: 'Webhook deliveries handled, by event and action.',
      labelNames: ['event', 'action'],
      registers,
    });
    this.github = new Counter({
      name: 'minpriv_github_requests_total',
      help: 'GitHub API requests, by route and HTTP status.',
      labelNames: ['route', 'status'],
      registers,
    });
    this.decisions = new Counter({
      name: 'minpriv_decisions_total',
      help: 'Decisions on review requests (reviewed, superseded, failed, ...) and the check conclusion they set.',
      labelNames: ['outcome', 'conclusion'],
      registers,
    });
    this.findings = new Counter({
      name: 'minpriv_findings_total',
      help: 'Findings reported in reviews, by rule and severity.',
      labelNames: ['rule', 'severity'],
      registers,
    });
    this.comments = new Counter({ name: 'minpriv_review_comments_posted_total', help: 'Suggestion comments posted in reviews.', registers });
    this.resolved = new Counter({ name: 'minpriv_review_threads_resolved_total', help: 'Earlier review threads resolved.', registers });
    this.jobs = new Histogram({
      name: 'minpriv_job_duration_seconds',
      help: 'Time a review job ran, by outcome.',
      labelNames: ['outcome'],
      buckets: SECONDS,
      registers,
    });
    this.waits = new Histogram({ name: 'minpriv_job_wait_seconds', help: 'Time a review job waited in the queue before it ran.', buckets: SECONDS, registers });
    const depth = this;
    new Gauge({
      name: 'minpriv_queue_jobs',
      help: 'Review jobs in the queue, by state.',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        for (const [state, n] of Object.entries(await depth.depth().catch(() => ({})))) this.set({ state }, n);
      },
    });
  }

  /** Where queue depth comes from (BullMQ's counts, or the in-process queue). */
  depthFrom(source: () => Promise<Record<string, number>>): void {
    this.depth = source;
  }

  webhook(event: string, action: string | undefined): void {
    this.webhooks.inc({ event, action: action ?? '' });
  }

  job(outcome: string, ms: number, waitedMs: number): void {
    this.jobs.observe({ outcome }, ms / 1000);
    if (waitedMs >= 0) this.waits.observe(waitedMs / 1000);
  }

  decision(d: Decision): void {
    if (d.outcome === 'queued' || d.outcome === 'duplicate-delivery') {
      this.decisions.inc({ outcome: d.outcome, conclusion: '' });
      return;
    }
    this.decisions.inc({ outcome: d.outcome, conclusion: d.conclusion ?? '' });
    for (const f of d.findings ?? []) this.findings.inc({ rule: f.ruleId, severity: f.severity });
    if (d.comments) this.comments.inc(d.comments);
    if (d.resolved) this.resolved.inc(d.resolved);
  }

  /** An Octokit plugin counting every request by route template (`GET /repos/{owner}/{repo}/pulls/{pull_number}`) and status. */
  readonly octokitPlugin = (octokit: Hookable): void => {
    octokit.hook.wrap('request', async (request, options) => {
      const route = `${(options.method ?? 'GET').toUpperCase()} ${(options.url ?? '').split('?')[0]}`;
      try {
        const res = await request(options);
        this.github.inc({ route, status: String(res.status) });
        return res;
      } catch (err) {
        const status = typeof err === 'object' && err !== null && 'status' in err ? String((err as { status: unknown }).status) : 'error';
        this.github.inc({ route, status });
        throw err;
      }
    });
  };

  /** A request handler for `/metrics` and `/ready` (true when it answered). */
  handler(ready: Readiness): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
    return async (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET') return false;
      if (path === '/metrics') {
        const body = await this.registry.metrics();
        res.writeHead(200, { 'content-type': this.registry.contentType }).end(body);
        return true;
      }
      if (path === '/ready') {
        const r = await ready().catch((err: unknown) => ({ ok: false, detail: err instanceof Error ? err.message : String(err) }));
        res.writeHead(r.ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' }).end(`${r.detail}\n`);
        return true;
      }
      return false;
    };
  }
}

/** The worker's small HTTP server: `/ping` (alive), `/ready`, `/metrics`. */
export async function serveMetrics(metrics: Metrics, ready: Readiness, o: { host: string; port: number }): Promise<Server> {
  const handle = metrics.handler(ready);
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method === 'GET' && req.url === '/ping') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('PONG');
        return;
      }
      if (!(await handle(req, res))) res.writeHead(404).end();
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return server;
}
