import type { Task } from '../task/schema.js';
import { readTexts } from '../read/read-texts.js';
import { readLabeled } from '../read/read-labeled.js';
import { planRun, poolSample, type CostPlan } from '../loop/plan.js';

/** The plan of a task as it stands on disk: its pool and gold files are read to size the run. */
export function planTask(task: Task): CostPlan {
  const pool = task.pool ? readTexts(task.pool).rows : [];
  const goldSize = task.eval
    ? readLabeled(task.eval, { allowedLabels: task.labels.map((l) => l.name), multiLabel: task.multiLabel }).rows.length
    : 0;
  return planRun(task, { poolSize: pool.length, poolSample: poolSample(pool), goldSize });
}
