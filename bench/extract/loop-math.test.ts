import { describe, expect, it } from 'vitest';
import { answerRatio, areaUnderCurve, meanCurve, readStrategy } from './loop-math.js';

const curve = (pts: [number, number][]) => pts.map(([answers, accuracy]) => ({ answers, accuracy }));

describe('extraction loop math', () => {
  it('counts answers to 95% of full-data span F1, per seed and as the median, exact and interpolated', () => {
    // full F1 0.4 → target 0.38
    const a = curve([
      [200, 0.2],
      [400, 0.3],
      [600, 0.4],
    ]);
    const b = curve([
      [200, 0.1],
      [400, 0.38],
      [600, 0.39],
    ]);
    const never = curve([
      [200, 0.1],
      [400, 0.2],
    ]);
    const r = readStrategy([a, b, never], 0.4);
    expect(r.perSeed).toEqual([600, 400, null]);
    // a crosses 0.38 at 400 + (0.08 / 0.1) × 200 = 560
    expect(r.perSeedInterpolated[0]).toBeCloseTo(560, 6);
    expect(r.perSeedInterpolated[1]).toBe(400);
    // null counts as infinitely many answers: median of 400, 600, ∞ is 600
    expect(r.median).toBe(600);
    expect(r.finalF1).toEqual([0.4, 0.39, 0.2]);
  });

  it('gives the loop/random ratio, an upper bound when random never got there, none when the loop did not', () => {
    expect(answerRatio(600, 1200, 3000)).toEqual({ ratio: 0.5, bound: 'exact' });
    expect(answerRatio(600, null, 3000)).toEqual({ ratio: 0.2, bound: 'at most' });
    expect(answerRatio(null, 1200, 3000)).toEqual({ ratio: null, bound: 'none' });
  });

  it('averages seeds point by point over their common rounds', () => {
    const m = meanCurve([
      curve([
        [100, 0.2],
        [200, 0.4],
      ]),
      curve([
        [100, 0.4],
        [200, 0.6],
        [300, 0.7],
      ]),
    ]);
    expect(m.map((p) => p.answers)).toEqual([100, 200]);
    expect(m[0].accuracy).toBeCloseTo(0.3, 9);
    expect(m[1].accuracy).toBeCloseTo(0.5, 9);
  });

  it('area under the curve: trapezoids over answers, per answer spanned', () => {
    // 100→0.2, 300→0.4, 400→0.4: (0.3×200 + 0.4×100) / 300 = 1/3
    expect(
      areaUnderCurve(
        curve([
          [100, 0.2],
          [300, 0.4],
          [400, 0.4],
        ]),
      ),
    ).toBeCloseTo(1 / 3, 9);
    expect(areaUnderCurve(curve([[100, 0.25]]))).toBe(0.25);
    expect(areaUnderCurve([])).toBe(0);
  });
});
