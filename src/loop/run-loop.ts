import type { StopReason } from '../events.js';
import type { LabeledText, EvalMetrics } from '../core/types.js';
import type { Student } from '../student/types.js';
import type { Weaknesses } from '../data/strategies/types.js';
import type { ReviewLine } from '../data/label-noise/index.js';
import type { RoundRecord } from './types.js';
import type { TrainingSet } from './training-set.js';
import { setUpLoop, type Loop, type LoopInput } from './setup.js';
import { acquireRound } from './acquire-round.js';
import { trainAndEvaluate, type Trained } from './train-evaluate.js';
import { measureArms } from './measure-arms.js';
import { checkLabels } from './check-labels.js';
import { roundRecord } from './round-record.js';
import { Plateau, stopAfterRound, stopBeforeTraining } from './stop-rule.js';
import { checkTrainable, neverTrainedError } from './too-small.js';

export type { LoopInput } from './setup.js';

export interface LoopOutcome {
  student: Student;
  set: TrainingSet;
  rounds: RoundRecord[];
  stopReason: StopReason;
  validation: { rows: LabeledText[]; split: 'gold' | 'validation' };
  /** Metrics of the final student on the validation rows (gold when given). */
  final: EvalMetrics;
  /** Pool texts set aside as near-copies of evaluation rows (leakage guard). */
  poolExcluded: number;
  /** Flagged rows for a person to look at (data.labelNoise = review). */
  review: ReviewLine[];
}

/**
 * The closed loop. Round 0 takes the seeds, teacher labels on a sample of the pool and generated
 * examples for every label. Each round then trains, evaluates on the validation set, diagnoses
 * weak labels, confused pairs and weak skills, and spends the next slice of budget among its arms
 * (uncertain-and-diverse pool labeling, and the generation strategies) as the bandit decides, every
 * new row passing the filters first. It stops when the budget is spent, when validation has not
 * improved for `patience` rounds, or when there is nothing left to acquire.
 *
 * Each round's phases, in order: acquire and admit (acquire-round.ts), train and evaluate
 * (train-evaluate.ts), measure arms (measure-arms.ts), check labels (check-labels.ts), decide to
 * stop (stop-rule.ts).
 */
export async function runLoop(input: LoopInput): Promise<LoopOutcome> {
  const loop = await setUpLoop(input);
  const { task, gate, emitter } = loop;
  const rounds: RoundRecord[] = [];
  const plateau = new Plateau(task.loop);
  let stopReason: StopReason = 'max-rounds';
  let last: Trained | undefined;
  let weaknesses: Weaknesses = { weakest: [], confusedPairs: [], weakSkills: [] };

  for (let round = 0; round <= task.loop.maxRounds; round++) {
    // A teacher that answers without I/O (the dataset teacher) never hands control back to the event
    // loop, so a Ctrl-C or a studio Stop would only be seen after the run: give it a turn every round.
    await new Promise((resolve) => setImmediate(resolve));
    input.signal?.throwIfAborted();
    emitter?.emit({
      type: 'round-start',
      round,
      trainSize: loop.set.examples.length,
      answersUsed: gate.used().answers,
    });
    const acquired = await acquireRound(loop, { round, student: last?.student, weaknesses });
    const early = stopBeforeTraining({
      round,
      added: acquired.counts.added,
      budgetHit: acquired.budgetHit,
      answersLeft: gate.remainingAnswers(),
    });
    if (early) {
      stopReason = early;
      break;
    }
    if (round === 0)
      checkTrainable(loop.set, loop.labels, loop.watch, acquired.budgetHit || gate.remainingAnswers() === 0);

    const trained = trainAndEvaluate(loop, round, last?.student);
    last = trained;
    weaknesses = trained.weaknesses;
    const arms = measureArms(loop, round, acquired, trained);
    const checked = await checkLabels(loop, round, acquired.budgetHit);
    const improved = plateau.record(trained.metrics.macroF1);
    rounds.push(roundRecord(loop, round, { acquired, trained, arms, labelNoise: checked.labelNoise }));
    emitter?.emit({ type: 'round-end', round, improved, best: plateau.best });

    const stop = stopAfterRound({ budgetHit: checked.budgetHit, answersLeft: gate.remainingAnswers(), plateau });
    if (stop) {
      stopReason = stop;
      break;
    }
  }

  if (!last) {
    loop.watch.blameTeacher();
    throw neverTrainedError();
  }
  return outcome(loop, { last, rounds, stopReason });
}

function outcome(
  loop: Loop,
  { last, rounds, stopReason }: { last: Trained; rounds: RoundRecord[]; stopReason: StopReason },
): LoopOutcome {
  return {
    student: last.student,
    set: loop.set,
    rounds,
    stopReason,
    validation: loop.validation,
    final: last.metrics,
    poolExcluded: loop.pool.excluded.size,
    review: loop.noise?.review ?? [],
  };
}
