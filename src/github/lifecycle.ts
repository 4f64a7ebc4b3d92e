import type { Log } from './client.js';
import type { InFlightRegistry } from './in-flight.js';
import { type SweepResult, type SweepSource, sweepOrphans } from './sweep.js';

/** The HTTP server (Probot's Server): `stop` closes the listener and waits for open requests. */
export interface Stoppable {
  stop(): Promise<void>;
}

export interface LifecycleOptions {
  registry: InFlightRegistry;
  log: Log;
  server?: Stoppable;
  /** Without it (setup mode, tests) there is no API sweep, only the in-memory one. */
  sweepSource?: SweepSource;
  exit?: (code: number) => void;
  signals?: readonly NodeJS.Signals[];
}

export interface Lifecycle {
  /** Stop accepting work, let runs finish within the grace, complete the rest, exit. */
  shutdown(signal: string): Promise<number>;
  /** One sweep now (also run at start-up and every `sweepIntervalMs`). */
  sweep(): Promise<SweepResult | undefined>;
  /** Remove the signal handlers and the timer (tests). */
  dispose(): void;
}

/**
 * Run the process's duties besides webhooks: on SIGTERM/SIGINT a drain (server closed, no new run,
 * `shutdownGraceMs` for the runs in flight, then their check runs completed as interrupted within
 * `shutdownWritesMs`), and a sweep for orphaned check runs at start-up and periodically.
 */
export function startLifecycle(o: LifecycleOptions): Lifecycle {
  const { registry, log } = o;
  const s = registry.settings;
  const exit = o.exit ?? ((code: number) => process.exit(code));
  let stopping: Promise<number> | undefined;
  let hurry: (() => void) | undefined;
  let sweeping: Promise<SweepResult | undefined> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const sweep = (): Promise<SweepResult | undefined> => {
    if (sweeping) return sweeping;
    sweeping = (async () => {
      try {
        const local = await registry.completeOrphans(s.orphanAfterMs, log);
        if (local > 0) log.info(`sweep: completed ${local} check runs this process could not complete earlier`);
        if (!o.sweepSource || registry.draining) return undefined;
        const result = await sweepOrphans(o.sweepSource, { settings: s, log, holds: (id) => registry.holds(id) });
        log.info(`sweep: ${result.reads} reads, ${result.found} minpriv runs in progress, ${result.completed.length} orphans completed`);
        return result;
      } catch (err) {
        log.warn(`sweep failed: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      } finally {
        sweeping = undefined;
      }
    })();
    return sweeping;
  };

  const shutdown = (signal: string): Promise<number> => {
    if (stopping) {
      log.warn(`${signal} again: completing the open check runs now`);
      hurry?.();
      return stopping;
    }
    stopping = (async () => {
      const started = Date.now();
      registry.draining = true;
      if (timer) clearInterval(timer);
      const active = registry.active().length;
      log.info(`${signal}: no new work; ${active} runs in flight get ${s.shutdownGraceMs / 1000} s to finish`);
      const closed = (o.server?.stop() ?? Promise.resolve()).catch((err) => log.warn(`closing the server: ${String(err)}`));
      const idle = await Promise.race([registry.whenIdle(s.shutdownGraceMs), new Promise<boolean>((r) => (hurry = () => r(false)))]);
      let code = 0;
      if (!idle || registry.unfinished().length > 0) {
        const { completed, failed } = await registry.completeAll('shutdown', s.shutdownWritesMs, log);
        log.warn(`${completed} check runs completed as interrupted${failed > 0 ? `, ${failed} could not be (the next start-up sweep completes them)` : ''}`);
        if (failed > 0) code = 1;
      }
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1000).unref())]);
      log.info(`stopped after ${Date.now() - started} ms`);
      return code;
    })();
    return stopping.then((code) => {
      exit(code);
      return code;
    });
  };

  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const sig of o.signals ?? (['SIGTERM', 'SIGINT'] as const)) {
    const handler = () => void shutdown(sig);
    handlers.set(sig, handler);
    process.on(sig, handler);
  }
  setImmediate(() => void sweep());
  if (s.sweepIntervalMs > 0) {
    timer = setInterval(() => void sweep(), s.sweepIntervalMs);
    timer.unref();
  }
  return {
    shutdown,
    sweep,
    dispose() {
      if (timer) clearInterval(timer);
      for (const [sig, h] of handlers) process.off(sig, h);
    },
  };
}
