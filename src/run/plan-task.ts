import type { Task } from '../task/schema.js';
import { PoolIndex } from '../read/pool-index.js';
import { readLabeled } from '../read/read-labeled.js';
import { planRun, poolSample, type CostPlan } from '../loop/plan.js';

/**
 * The plan of a task as it stands on disk: its pool and gold files are read to size the run.
 * `pool`: the task's pool already indexed by the caller (kept open, for the run to reuse).
 */
export function planTask(task: Task, pool?: PoolIndex): CostPlan {
  if (pool) return planWith(task, pool);
  // Streamed into an index on disk: planning a run over a pool of millions must not hold them all.
  const own = task.pool ? PoolIndex.build(task.pool) : undefined;
  try {
    return planWith(task, own);
  } finally {
    own?.close();
  }
}

/**
 * The plan and the pool index it was made from, for a run that starts right after (`apprentice
 * distill`): `distill` takes the index over (DistillOptions.pool) instead of indexing the file again.
 */
export function planTaskKeepingPool(task: Task): { plan: CostPlan; pool?: PoolIndex } {
  const pool = task.pool ? PoolIndex.build(task.pool) : undefined;
  try {
    return { plan: planWith(task, pool), pool };
  } catch (e) {
    pool?.close();
    throw e;
  }
}

function planWith(task: Task, pool: PoolIndex | undefined): CostPlan {
  const goldSize = task.eval
    ? readLabeled(task.eval, { allowedLabels: task.labels.map((l) => l.name), multiLabel: task.multiLabel }).rows.length
    : 0;
  return planRun(task, { poolSize: pool?.size ?? 0, poolSample: pool ? poolSample(pool) : [], goldSize });
}
