import { describe, expect, it } from 'vitest';
import { answersToTarget, answersToTargetInterpolated, medianAnswers, targetOf } from './loop-math.js';

const curve = [
  { answers: 200, accuracy: 0.5 },
  { answers: 400, accuracy: 0.7 },
  { answers: 600, accuracy: 0.9 },
  { answers: 800, accuracy: 0.85 },
];

describe('answers to target', () => {
  it('is the answers of the first round at or over the target, not a later or interpolated one', () => {
    expect(answersToTarget(curve, 0.7)).toBe(400);
    expect(answersToTarget(curve, 0.71)).toBe(600);
    expect(answersToTarget(curve, 0.5)).toBe(200);
  });

  it('is null when no round reaches the target', () => {
    expect(answersToTarget(curve, 0.95)).toBeNull();
    expect(answersToTarget([], 0.1)).toBeNull();
  });

  it('interpolates between the last round below and the first at or over', () => {
    expect(answersToTargetInterpolated(curve, 0.8)).toBeCloseTo(500);
    expect(answersToTargetInterpolated(curve, 0.4)).toBe(200);
    expect(answersToTargetInterpolated(curve, 0.95)).toBeNull();
  });

  it('targets 95% of the full-data accuracy', () => {
    expect(targetOf(0.9)).toBeCloseTo(0.855);
  });

  it('counts a seed that never got there as infinite in the median', () => {
    expect(medianAnswers([400, null, 600])).toBe(600);
    expect(medianAnswers([400, null, null])).toBeNull();
    expect(medianAnswers([400, 800])).toBe(600);
    expect(medianAnswers([])).toBeNull();
  });
});
