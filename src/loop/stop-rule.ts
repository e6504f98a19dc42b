import type { StopReason } from '../events.js';
import type { LoopSettings } from '../task/schema.js';

/** Tracks the best validation score and the rounds since it last improved by more than `minDelta`. */
export class Plateau {
  best = -Infinity;
  stale = 0;

  constructor(private readonly settings: Pick<LoopSettings, 'minDelta' | 'patience'>) {}

  /** Records a round's score; returns whether it improved on the best. */
  record(score: number): boolean {
    const improved = score > this.best + this.settings.minDelta;
    if (improved) {
      this.best = score;
      this.stale = 0;
    } else {
      this.stale += 1;
    }
    return improved;
  }

  get reached(): boolean {
    return this.stale >= this.settings.patience;
  }
}

/** Before training: a round that added nothing ends the run (budget spent, or nothing left to acquire). */
export function stopBeforeTraining(args: {
  round: number;
  added: number;
  budgetHit: boolean;
  answersLeft: number;
}): StopReason | undefined {
  if (args.round === 0 || args.added > 0) return undefined;
  return args.budgetHit || args.answersLeft === 0 ? 'budget' : 'pool-exhausted';
}

/** Decide to stop, after a round: the budget is spent, or validation has not improved for `patience` rounds. */
export function stopAfterRound(args: {
  budgetHit: boolean;
  answersLeft: number;
  plateau: Plateau;
}): StopReason | undefined {
  if (args.budgetHit || args.answersLeft === 0) return 'budget';
  if (args.plateau.reached) return 'plateau';
  return undefined;
}
