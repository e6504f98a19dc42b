import { BudgetExceededError } from '../errors.js';
import type { LabelNoiseRound } from './label-noise.js';
import type { Loop } from './setup.js';

/**
 * Check labels: the confident-learning pass over the training rows (data.labelNoise), when it is on
 * and the budget was not already met this round. A cap met here ends the run after this round.
 */
export async function checkLabels(
  loop: Loop,
  round: number,
  budgetHit: boolean,
): Promise<{ labelNoise?: LabelNoiseRound; budgetHit: boolean }> {
  if (!loop.noise || budgetHit) return { budgetHit };
  try {
    return { labelNoise: await loop.noise.run(loop.set, round, loop.gate.remainingAnswers()), budgetHit };
  } catch (e) {
    if (!(e instanceof BudgetExceededError)) throw e;
    return { budgetHit: true };
  }
}
