import type { Task } from '../task/schema.js';
import type { LabeledText } from '../core/types.js';
import type { TrainingSet } from './training-set.js';
import { getStudentKind, trainStudent } from '../student/registry.js';
import { Rng } from '../util/random.js';
import type { Student, TrainingRow } from '../student/types.js';

/** Fewest rows an arm must have added in the round for its gain to be measured. */
export const MIN_MEASURED_ROWS = 8;

/**
 * Validation gain per answer each arm's rows of this round brought, measured by retraining without
 * some of them (our student trains in about a second, so this needs no modelling assumptions).
 *
 * The score is the validation log-likelihood of the gold labels, not macro-F1: removing a few dozen
 * rows moves F1 by a handful of flipped predictions, which is mostly retraining noise, while the
 * likelihood moves smoothly with every probability.
 *
 * Every arm loses the same number of rows — as many as the smallest measured arm added — because gains
 * shrink as rows are added: removing all 120 rows of a big arm costs less per row than removing all
 * 40 of a small one, which would otherwise make small arms look better than they are. The gain of
 * those rows, per row, times the rows the arm admitted per answer, is its gain per answer.
 */
export function measureArmGains(args: {
  task: Task;
  set: TrainingSet;
  round: number;
  arms: readonly string[];
  answers: Readonly<Record<string, number>>;
  /** The student trained on every row. */
  full: Student;
  /**
   * The rows `full` was trained on, in `set.examples` order, with their loss weights (the skill
   * profile's). The ablated students train on these less the removed ones, so the only difference
   * from `full` is the removed rows. Default: `set.rows()`, unweighted.
   */
  rows?: readonly TrainingRow[];
  validation: readonly LabeledText[];
}): Record<string, number> {
  const { task, set, round } = args;
  const labels = task.labels.map((l) => l.name);
  const rowsOf = new Map<string, number[]>(args.arms.map((arm) => [arm, []]));
  set.examples.forEach((e, i) => {
    if (e.round === round && e.attributes?.strategy !== undefined) rowsOf.get(e.attributes.strategy)?.push(i);
  });
  // An arm that added only a handful of rows this round cannot be measured: removing two rows moves
  // the likelihood by less than retraining noise. It keeps its earlier estimate.
  for (const [arm, rows] of rowsOf) if (rows.length < MIN_MEASURED_ROWS) rowsOf.delete(arm);
  const sizes = [...rowsOf.values()].map((r) => r.length);
  if (sizes.length === 0) return {};
  const m = Math.min(...sizes);
  const trainRows = args.rows ?? set.rows();
  if (trainRows.length !== set.examples.length)
    throw new Error(`measureArmGains: ${trainRows.length} training rows for ${set.examples.length} examples`);
  const params = unpruned(task);
  const train = (rows: readonly TrainingRow[]) =>
    trainStudent(task.student.kind, rows, { labels, multiLabel: task.multiLabel, seed: task.seed }, params);
  // With pruning on, the round's student kept the features that matter most for *its* rows; a
  // student retrained without some rows keeps a different set, and that swap moves the likelihood
  // more than the rows do. Both sides of the comparison are trained unpruned instead.
  const fullScore = logLikelihood(params === task.student.params ? args.full : train(trainRows), args.validation);
  const rng = new Rng(task.seed + round);
  const perAnswer: Record<string, number> = {};
  for (const arm of args.arms) {
    const own = rowsOf.get(arm);
    const answers = args.answers[arm] ?? 0;
    if (!own || answers <= 0) continue;
    const removed = new Set(m >= own.length ? own : rng.sample(own, m));
    const rows = trainRows.filter((_, i) => !removed.has(i));
    if (rows.length === 0) continue;
    const student = train(rows);
    const gain = fullScore - logLikelihood(student, args.validation);
    perAnswer[arm] = (gain / removed.size) * (own.length / answers);
  }
  return perAnswer;
}

/**
 * The student parameters ablation trains with: the task's, as the student kind gives them for a
 * comparison (`forComparison`: the hashed-linear student's feature pruning off). The task's own
 * object when nothing changes, so the round's student can stand for the full side.
 */
function unpruned(task: Task): Task['student']['params'] {
  const forComparison = getStudentKind(task.student.kind).forComparison;
  return (forComparison ? forComparison(task.student.params) : task.student.params) as Task['student']['params'];
}

/** Mean log-probability the student gives the gold labels (multi-label: per-label Bernoulli). */
export function logLikelihood(student: Student, rows: readonly LabeledText[]): number {
  if (rows.length === 0) return 0;
  const eps = 1e-6;
  const preds = student.predictBatch(rows.map((r) => r.text));
  let total = 0;
  rows.forEach((row, i) => {
    const probs = preds[i].probs;
    if (student.multiLabel) {
      student.labels.forEach((label, j) => {
        const p = Math.min(1 - eps, Math.max(eps, probs[j]));
        total += row.labels.includes(label) ? Math.log(p) : Math.log(1 - p);
      });
    } else {
      const j = student.labels.indexOf(row.labels[0]);
      total += Math.log(Math.max(eps, j >= 0 ? probs[j] : 0));
    }
  });
  return total / rows.length;
}
