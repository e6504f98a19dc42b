import type { CurvePoint } from './types.js';

/** The share of the full-data student's accuracy a loop must reach: the "95% of full-data accuracy". */
export const TARGET_SHARE = 0.95;

/** The accuracy the loop benches count answers to. */
export function targetOf(fullAccuracy: number): number {
  return TARGET_SHARE * fullAccuracy;
}

/** No interpolation: the answers spent by the first evaluated round at or over the target. */
export function answersToTarget(curve: CurvePoint[], target: number): number | null {
  return curve.find((p) => p.accuracy >= target)?.answers ?? null;
}

/**
 * Where the curve crosses the target, read off the line between the last round below it and the
 * first at or over it. Rounds come every few hundred answers, so `answersToTarget` moves in those
 * steps; this estimates the answers in between (null: never reached).
 */
export function answersToTargetInterpolated(curve: CurvePoint[], target: number): number | null {
  const i = curve.findIndex((p) => p.accuracy >= target);
  if (i < 0) return null;
  if (i === 0) return curve[0].answers;
  const a = curve[i - 1];
  const b = curve[i];
  return a.answers + ((target - a.accuracy) / (b.accuracy - a.accuracy)) * (b.answers - a.answers);
}

/** Median with "never reached" counted as infinitely many answers, so one failed seed cannot make a strategy look cheaper. */
export function medianAnswers(values: (number | null)[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.map((v) => v ?? Infinity).sort((a, b) => a - b);
  const m =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return Number.isFinite(m) ? m : null;
}
