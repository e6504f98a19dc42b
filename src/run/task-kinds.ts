import type { ExtractDistillSummary } from '../report/extract/types.js';
import type { Task } from '../task/schema.js';
import type { CostPlan } from '../loop/plan.js';
import type { PoolIndex } from '../read/pool-index.js';
import type { DistillOptions, DistillSummary } from './types.js';

/** What `distill` returns, by task kind: classification summaries have no `kind` field (older runs neither). */
export type RunSummary = DistillSummary | ExtractDistillSummary;

/**
 * How each task kind runs end to end: the `run` layer's half of the task-kind registry row
 * (src/task/kinds.ts holds the task file half). Each row loads its own modules lazily, so a
 * classification run never loads the extraction code and the reverse.
 */
export interface TaskKindRunner {
  readonly name: NonNullable<Task['kind']>;
  distill(task: Task, options: DistillOptions): Promise<RunSummary>;
  /** The cost plan before a run (`apprentice plan`, `budget.confirmAbove`); a kind without one has no planner yet. */
  plan?(task: Task): Promise<CostPlan>;
  /** The plan plus what it read, for a run that starts right after (its pool index, DistillOptions.pool). */
  prepare?(task: Task): Promise<{ plan: CostPlan; pool?: PoolIndex }>;
}

const RUNNERS: Readonly<Record<NonNullable<Task['kind']>, TaskKindRunner>> = {
  classify: {
    name: 'classify',
    distill: async (task, options) => (await import('./distill.js')).distill(task, options),
    plan: async (task) => (await import('./plan-task.js')).planTask(task),
    prepare: async (task) => (await import('./plan-task.js')).planTaskKeepingPool(task),
  },
  extract: {
    name: 'extract',
    distill: async (task, options) => (await import('./extract/distill-extract.js')).distillExtract(task, options),
    plan: async (task) => (await import('./extract/plan-extract.js')).planExtract(task),
  },
};

export function taskKindRunner(task: Pick<Task, 'kind'>): TaskKindRunner {
  return RUNNERS[task.kind ?? 'classify'];
}

/** Runs any task end to end, dispatching on its kind. */
export function distillTask(task: Task, options: DistillOptions): Promise<RunSummary> {
  return taskKindRunner(task).distill(task, options);
}

export function isExtractSummary(s: RunSummary): s is ExtractDistillSummary {
  return (s as { kind?: string }).kind === 'extract';
}
