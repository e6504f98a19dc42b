import type { Task } from '../task/schema.js';
import type { LabeledText } from '../data/example.js';
import type { TrainingSet } from './training-set.js';
import { trainStudent } from '../student/registry.js';
import { evaluate } from '../metrics/index.js';

/**
 * Validation gain each arm's rows of this round brought: the macro-F1 of the student trained on
 * everything minus that of a student trained without those rows. Our student trains in about a
 * second, so measuring by retraining is affordable and needs no modelling assumptions.
 */
export function measureArmGains(args: {
  task: Task;
  set: TrainingSet;
  round: number;
  arms: readonly string[];
  fullScore: number;
  validation: readonly LabeledText[];
}): Record<string, number> {
  const { task, set, round } = args;
  const labels = task.labels.map((l) => l.name);
  const gains: Record<string, number> = {};
  for (const arm of args.arms) {
    const rows = set.examples
      .filter((e) => !(e.round === round && e.attributes?.strategy === arm))
      .map((e) => ({ text: e.text, labels: e.labels }));
    if (rows.length === set.examples.length || rows.length === 0) continue;
    const student = trainStudent(task.student.kind, rows, { labels, multiLabel: task.multiLabel, seed: task.seed }, task.student.params);
    gains[arm] = args.fullScore - evaluate(student, args.validation).macroF1;
  }
  return gains;
}
