import type { Task } from '../task/schema.js';
import { BudgetExceededError, InsufficientDataError } from '../errors.js';
import type { TrainingSet } from './training-set.js';
import type { RejectionWatch } from './rejection-watch.js';

/** The one throw site for "too little to train on": the data may be what is short, or the budget may have run out. */
function tooSmall(message: string, hint: string, budgetExhausted: boolean): InsufficientDataError {
  return new InsufficientDataError(message, { hint, budgetExhausted });
}

/** Checked before round 0 spends anything: a run graded on nothing would "complete" with accuracy 0. */
export function noValidationError(task: Task, poolSize: number, budgetExhausted: boolean): InsufficientDataError {
  const cap = task.budget.answers === undefined ? '' : ` and a quarter of budget.answers (${task.budget.answers})`;
  return tooSmall(
    `too little to train on: the validation set is empty, so no student could be judged (no eval file was given, and a teacher-labeled validation split takes at most a third of the pool (${poolSize} texts)${cap})`,
    'raise budget.answers (or --budget-answers), give a larger pool, or give an eval file of labeled rows (eval / --eval)',
    budgetExhausted,
  );
}

/** After round 0: a classifier that has seen a single label can only ever answer that label. */
export function checkTrainable(
  set: TrainingSet,
  labels: readonly string[],
  watch: RejectionWatch,
  budgetExhausted: boolean,
): void {
  const counts = set.countByLabel();
  const represented = labels.filter((l) => (counts.get(l) ?? 0) > 0);
  if (represented.length >= 2) return;
  // Rows may be short because the teacher's answers were rejected: then that is the error.
  watch.blameTeacher();
  const rows = set.examples.length;
  throw tooSmall(
    `too little to train on: after round 0 the training set has ${rows} row${rows === 1 ? '' : 's'} covering ${represented.length} of ${labels.length} labels${represented.length === 1 ? ` (only "${represented[0]}")` : ''}; a student needs at least 2`,
    'raise budget.answers (or --budget-answers), add seeds for the missing labels, or give a pool that differs from the eval file',
    budgetExhausted,
  );
}

/** The loop ended without a single trained student. */
export function neverTrainedError(): BudgetExceededError {
  return new BudgetExceededError(
    'answers',
    'the budget ran out before the student could be trained once; raise budget.answers',
  );
}
