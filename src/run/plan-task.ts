import type { Task } from '../task/schema.js';
import { PoolIndex } from '../read/pool-index.js';
import { readLabeled } from '../read/read-labeled.js';
import { planRun, poolSample, type CostPlan } from '../loop/plan.js';

/** The plan of a task as it stands on disk: its pool and gold files are read to size the run. */
export function planTask(task: Task): CostPlan {
  const goldSize = task.eval
    ? readLabeled(task.eval, { allowedLabels: task.labels.map((l) => l.name), multiLabel: task.multiLabel }).rows.length
    : 0;
  // Streamed into an index on disk: planning a run over a pool of millions must not hold them all.
  const pool = task.pool ? PoolIndex.build(task.pool) : undefined;
  try {
    return planRun(task, { poolSize: pool?.size ?? 0, poolSample: pool ? poolSample(pool) : [], goldSize });
  } finally {
    pool?.close();
  }
}
