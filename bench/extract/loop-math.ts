import { answersToTarget, answersToTargetInterpolated, medianAnswers, targetOf } from '../lib/loop-math.js';
import type { CurvePoint } from '../lib/types.js';

/** One strategy's span-F1 curves (one per seed) read against the full-data target. */
export interface StrategyReading {
  /** First evaluated round at or over the target, per seed (null: never reached). */
  perSeed: (number | null)[];
  /** The same, read off the line between the rounds either side of the crossing. */
  perSeedInterpolated: (number | null)[];
  median: number | null;
  medianInterpolated: number | null;
  /** Held-out span F1 of the last round, per seed. */
  finalF1: number[];
  /**
   * Area under the learning curve: trapezoids over answers, divided by the answers spanned, per
   * seed. Answers-to-target reads one crossing of a curve that jumps ±0.03 F1 between rounds on
   * WNUT-17; the area uses every round, so it separates strategies with less noise.
   */
  areaUnderCurve: number[];
}

export function areaUnderCurve(curve: readonly CurvePoint[]): number {
  if (curve.length === 0) return 0;
  if (curve.length === 1) return curve[0].accuracy;
  let area = 0;
  for (let i = 1; i < curve.length; i++)
    area += ((curve[i].accuracy + curve[i - 1].accuracy) / 2) * (curve[i].answers - curve[i - 1].answers);
  return area / (curve.at(-1)!.answers - curve[0].answers);
}

/** The loop math of the classification bench (bench/lib/loop-math.ts), on span-F1 curves. */
export function readStrategy(curves: readonly CurvePoint[][], fullF1: number): StrategyReading {
  const target = targetOf(fullF1);
  const perSeed = curves.map((c) => answersToTarget([...c], target));
  const perSeedInterpolated = curves.map((c) => answersToTargetInterpolated([...c], target));
  return {
    perSeed,
    perSeedInterpolated,
    median: medianAnswers(perSeed),
    medianInterpolated: medianAnswers(perSeedInterpolated),
    finalF1: curves.map((c) => c.at(-1)?.accuracy ?? 0),
    areaUnderCurve: curves.map((c) => areaUnderCurve(c)),
  };
}

/**
 * The figure: answers the loop needs over answers random selection needs to reach the target
 * (≤ 0.6 passes). Null when the loop never got there. When random never got there within the budget
 * but the loop did, the budget is a floor on random's answers, so the ratio is an upper bound
 * (`bound: 'at most'`).
 */
export function answerRatio(
  loop: number | null,
  random: number | null,
  budget: number,
): { ratio: number | null; bound: 'exact' | 'at most' | 'none' } {
  if (loop === null) return { ratio: null, bound: 'none' };
  if (random === null) return { ratio: loop / budget, bound: 'at most' };
  return { ratio: loop / random, bound: 'exact' };
}

/** Mean of a curve's points at the same answer counts across seeds (seeds share the round plan). */
export function meanCurve(curves: readonly CurvePoint[][]): CurvePoint[] {
  if (curves.length === 0) return [];
  const n = Math.min(...curves.map((c) => c.length));
  return Array.from({ length: n }, (_, i) => ({
    answers: curves[0][i].answers,
    accuracy: curves.reduce((s, c) => s + c[i].accuracy, 0) / curves.length,
  }));
}
