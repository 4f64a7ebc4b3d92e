import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/engine/config.js';
import { createPlanPool, planPoolSettings } from '../../src/pool/plan-pool.js';
import type { PlanTask } from '../../src/pool/plan-task.js';
import { planReview } from '../../src/review/plan.js';
import { addedPatch } from '../github/fake-github.js';
import { pod } from '../github/synthetic.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), 'utf8');

function configOf(raw: unknown) {
  const parsed = parseConfig(raw);
  if (!parsed.ok) throw new Error('bad config');
  return parsed.config;
}

function taskOf(files: { path: string; content: string }[], raw: unknown = {}): PlanTask {
  return {
    changes: { files: files.map((f) => ({ path: f.path, status: 'added' as const, content: f.content, patch: addedPatch(f.content) })) },
    config: configOf(raw),
    today: '2026-12-05',
  };
}

/** Many privileged pods in one file: enough work to exhaust a tiny heap (several MB: scanned only under a raised `maxFileBytes`). */
function bigFile(pods: number): string {
  return Array.from({ length: pods }, (_, i) => pod(`p${i}`, true)).join('---\n');
}

/** A changed file over `maxFileBytes` is skipped before any work (QA D10): the big files need the cap raised to be worked on. */
const RAISED = { maxFileBytes: 10 * 1024 * 1024 };

const pool = createPlanPool({ threads: 1, heapMb: 0, maxQueue: 10 });
afterAll(() => pool.close());

describe('the plan worker pool', () => {
  it('computes in a worker thread exactly the plan the main thread computes', async () => {
    const content = fixture('new-deployment.yaml');
    const task = taskOf([
      { path: 'apps/web.yaml', content },
      { path: 'apps/pods.yaml', content: bigFile(3) },
    ]);
    const [inWorker, here] = await Promise.all([pool.plan(task), planReview(task)]);
    expect(inWorker.findings.length).toBeGreaterThan(3);
    expect(inWorker.comments.length).toBeGreaterThan(0);
    // A ReviewPlan is plain JSON: what crosses the thread boundary is the same plan.
    expect(JSON.parse(JSON.stringify(inWorker))).toEqual(JSON.parse(JSON.stringify(here)));
  });

  it('ends a task when its run is cut short, and the pool goes on', async () => {
    const controller = new AbortController();
    const big = pool.plan(taskOf([{ path: 'apps/big.yaml', content: bigFile(12000) }], RAISED), controller.signal);
    setTimeout(() => controller.abort(new Error('time limit')), 20);
    await expect(big).rejects.toThrow();
    const after = await pool.plan(taskOf([{ path: 'a.yaml', content: pod('a', true) }]));
    expect(after.findings.map((f) => f.ruleId)).toEqual(['privileged-container']);
  });

  it('turns a worker that runs out of heap into an error that says so, and the pool goes on', async () => {
    const small = createPlanPool({ threads: 1, heapMb: 24, maxQueue: 10 });
    try {
      const err = await small.plan(taskOf([{ path: 'apps/huge.yaml', content: bigFile(20_000) }], RAISED)).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toMatch(/^the scan ran out of memory: it needed more than its heap limit of 24 MiB \(MINPRIV_SCAN_HEAP_MB\)/);
      const after = await small.plan(taskOf([{ path: 'a.yaml', content: pod('a', true) }]));
      expect(after.conclusion).toBe('failure');
    } finally {
      await small.close();
    }
  });

  it('reads its settings from the environment and refuses nonsense', () => {
    expect(planPoolSettings({ MINPRIV_SCAN_THREADS: '3', MINPRIV_SCAN_HEAP_MB: '256' })).toEqual({ threads: 3, heapMb: 256, maxQueue: 100 });
    expect(planPoolSettings({}).heapMb).toBe(256);
    expect(planPoolSettings({ MINPRIV_SCAN_THREADS: '0' }).threads).toBe(0);
    expect(planPoolSettings({}).threads).toBeGreaterThanOrEqual(1);
    expect(() => planPoolSettings({ MINPRIV_SCAN_THREADS: 'two' })).toThrow('MINPRIV_SCAN_THREADS must be a whole number ≥ 0, not "two"');
  });
});
