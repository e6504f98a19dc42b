import type { Student, TrainingRow } from '../student/types.js';
import type { EvalMetrics } from '../core/types.js';
import type { Weaknesses } from '../data/strategies/types.js';
import type { SkillProfile } from '../data/skills/index.js';
import { trainStudent } from '../student/registry.js';
import { evaluate } from '../metrics/index.js';
import { diagnose, type Diagnosis } from './choose-pool.js';
import type { Loop } from './setup.js';

/** A round's student, what it scored on the validation rows, and where it is weak. */
export interface Trained {
  student: Student;
  /** The rows it was trained on, with their loss weights (the ablation retrains on these). */
  rows: TrainingRow[];
  trainMs: number;
  metrics: EvalMetrics;
  diagnosis: Diagnosis;
  profile?: SkillProfile;
  /** What the next round aims at. */
  weaknesses: Weaknesses;
  /** Teacher answers and dollars used by the end of this round's buying (the round's record). */
  used: { answers: number; dollars: number };
}

/** Train and evaluate: a student on every row so far, judged on the validation rows and diagnosed. */
export function trainAndEvaluate(loop: Loop, round: number, previous: Student | undefined): Trained {
  const { task, emitter, set, labels, validation } = loop;
  emitter?.emit({ type: 'train-start', round, rows: set.examples.length });
  const t0 = performance.now();
  // `previous` is last round's student, trained on every row of earlier rounds.
  const rows = set.rows(
    loop.steers('weights')?.weigher(set.examples, previous && { student: previous, round: round - 1 }),
  );
  const student = trainStudent(
    task.student.kind,
    rows,
    {
      labels,
      multiLabel: task.multiLabel,
      seed: task.seed,
      onEpoch: (r) => emitter?.emit({ type: 'train-epoch-end', round, ...r }),
    },
    task.student.params,
  );
  const trainMs = Math.round(performance.now() - t0);
  emitter?.emit({ type: 'train-end', round, ms: trainMs });

  const metrics = evaluate(student, validation.rows);
  const diagnosis = diagnose(metrics);
  const profile = loop.skills?.update(student, round);
  const weaknesses = { ...diagnosis, weakSkills: loop.steers('generation')?.weakSkills() ?? [] };
  const used = loop.gate.used();
  emitter?.emit({
    type: 'eval-end',
    round,
    split: validation.split,
    accuracy: metrics.accuracy,
    macroF1: metrics.macroF1,
    microF1: metrics.microF1,
    answers: used.answers,
    dollars: used.dollars,
  });
  loop.input.onRound?.({ round, answers: used.answers, student });
  return { student, rows, trainMs, metrics, diagnosis, profile, weaknesses, used };
}
