import type { EvalMetrics } from '../core/types.js';
import type { Task } from '../task/schema.js';

/**
 * model/card.json: enough to use student.bin without the run directory around it — what it
 * classifies, into which labels, and how well it did when it was made.
 */
export interface ModelCard {
  task: string;
  labels: string[];
  multiLabel: boolean;
  student: { kind: string };
  metrics: Pick<EvalMetrics, 'n' | 'accuracy' | 'macroF1' | 'microF1'> & { split: 'gold' | 'validation' };
  created: string;
}

export function modelCard(
  task: Pick<Task, 'name' | 'labels' | 'multiLabel'>,
  studentKind: string,
  metrics: EvalMetrics & { split: 'gold' | 'validation' },
  created: Date = new Date(),
): ModelCard {
  return {
    task: task.name,
    labels: task.labels.map((l) => l.name),
    multiLabel: task.multiLabel,
    student: { kind: studentKind },
    metrics: {
      split: metrics.split,
      n: metrics.n,
      accuracy: metrics.accuracy,
      macroF1: metrics.macroF1,
      ...(metrics.microF1 !== undefined ? { microF1: metrics.microF1 } : {}),
    },
    created: created.toISOString(),
  };
}
