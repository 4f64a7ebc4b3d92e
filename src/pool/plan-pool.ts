/**
 * Scanning and fix verification off the event loop: a Piscina worker-thread pool runs `plan-task.ts`, so the
 * server keeps answering webhooks, /ping and /metrics while a large pull request is scanned. Each worker has its
 * own heap limit: a scan that would exhaust it ends that worker (the run completes with an error under
 * `onError`), never the process. Settings come from the environment at the edge (see `planPoolSettings`).
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ReviewPlan } from '../review/plan.js';
import type { PlanTask } from './plan-task.js';

/** Enough for the 8.7 MB rendered-bundle PR of 37,000 findings (BENCHMARKS.md), and well inside a 512 Mi pod. */
export const DEFAULT_SCAN_HEAP_MB = 256;

export interface PlanPoolSettings {
  /** Worker threads; 0 runs every plan on the main thread (tests, one-shot CLIs). */
  threads: number;
  /**
   * Old-generation heap per worker, in MiB (0: V8's default). A worker over it is ended alone; without a limit a
   * worker's out-of-memory would end the whole process and leave its check runs to the sweep.
   */
  heapMb: number;
  /** Tasks that may wait for a thread before new ones are refused. */
  maxQueue: number;
}

/** `MINPRIV_SCAN_THREADS` (default: cores − 1, at least 1), `MINPRIV_SCAN_HEAP_MB` (default 256), `MINPRIV_SCAN_QUEUE` (default 100). */
export function planPoolSettings(env: NodeJS.ProcessEnv = process.env): PlanPoolSettings {
  const int = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number ≥ 0, not ${JSON.stringify(raw)}`);
    return n;
  };
  return {
    threads: int('MINPRIV_SCAN_THREADS', Math.max(1, availableParallelism() - 1)),
    heapMb: int('MINPRIV_SCAN_HEAP_MB', DEFAULT_SCAN_HEAP_MB),
    maxQueue: int('MINPRIV_SCAN_QUEUE', 100),
  };
}

/** Plans a review; `signal` ends the task (and its worker) when the run is cut short. */
export type Planner = (task: PlanTask, signal?: AbortSignal) => Promise<ReviewPlan>;

export interface PlanPool {
  plan: Planner;
  /** Let running tasks finish (up to `closeTimeout`), then end the threads. */
  close(): Promise<void>;
  readonly threads: number;
}

/**
 * The task module beside this one: `.js` once built; under tsx (dev, tests) a shim that registers tsx's loader in
 * the worker (Node 20 workers do not inherit it) and imports the `.ts` source.
 */
function taskModule(): string {
  const self = import.meta.url;
  return new URL(self.endsWith('.ts') ? './plan-task.dev.mjs' : './plan-task.js', self).href;
}

export function createPlanPool(settings: PlanPoolSettings): PlanPool {
  const pool = new Piscina({
    filename: taskModule(),
    minThreads: settings.threads,
    maxThreads: settings.threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    maxQueue: settings.maxQueue,
    // The task awaits scanner processes (execa): no thread parking between tasks.
    atomics: 'disabled',
    ...(settings.heapMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: settings.heapMb } } : {}),
  });
  return {
    threads: settings.threads,
    plan: (task, signal) =>
      (pool.run(task, signal ? { signal } : {}) as Promise<ReviewPlan>).catch((err: unknown) => {
        throw explain(err, settings);
      }),
    close: () => pool.close(),
  };
}

/** A worker that hit its heap limit says so in words an operator can act on (the check summary carries it). */
function explain(err: unknown, settings: PlanPoolSettings): unknown {
  if ((err as { code?: string } | undefined)?.code !== 'ERR_WORKER_OUT_OF_MEMORY') return err;
  const limit = settings.heapMb > 0 ? `its heap limit of ${settings.heapMb} MiB (MINPRIV_SCAN_HEAP_MB)` : "the worker thread's heap limit";
  return new Error(`the scan ran out of memory: it needed more than ${limit}; split the pull request or raise the limit`, { cause: err });
}
