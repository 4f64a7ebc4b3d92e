/**
 * The review stages (collect → check → scope → fixes → plan) as a worker-thread task: the input and the plan are
 * plain data (structured clone), and the finding providers are built here from the config, since functions do
 * not cross threads. Piscina loads this file in each worker and calls its default export.
 */
import { planReview, type ReviewInput, type ReviewPlan } from '../review/plan.js';
import { providersFromConfig } from '../scanners/provider.js';

/** What a run hands the pool: everything planReview needs but the rules and providers (rebuilt in the worker). */
export type PlanTask = Omit<ReviewInput, 'providers' | 'registry' | 'ruleset'>;

export default function planTask(task: PlanTask): Promise<ReviewPlan> {
  return planReview({ ...task, providers: providersFromConfig(task.config) });
}
