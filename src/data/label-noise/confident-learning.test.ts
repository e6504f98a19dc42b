import { describe, expect, it } from 'vitest';
import {
  calibrateJoint,
  confidentJoint,
  confidentLearningIssues,
  perClassThresholds,
  pruneCounts,
} from './confident-learning.js';

// Three rows of class 0, three of class 1; row 2 looks like class 1, row 5 is unsure.
const probs = [
  [0.9, 0.1],
  [0.8, 0.2],
  [0.2, 0.8],
  [0.1, 0.9],
  [0.3, 0.7],
  [0.5, 0.5],
];
const given = [0, 0, 0, 1, 1, 1];

describe('confident learning (hand-computed)', () => {
  it('thresholds are the mean own-class probability', () => {
    const t = perClassThresholds(probs, given, 2);
    expect(t[0]).toBeCloseTo((0.9 + 0.8 + 0.2) / 3, 12);
    expect(t[1]).toBeCloseTo((0.9 + 0.7 + 0.5) / 3, 12);
  });

  it('a class no row carries is never confident', () => {
    expect(perClassThresholds([[1, 0]], [0], 2)[1]).toBe(Infinity);
  });

  it('confident joint: most probable class among those over threshold', () => {
    // t0 = 0.633, t1 = 0.7: row 2 → 1, row 4 → 1 (0.7 counts, epsilon), row 5 → none.
    const { counts, confident } = confidentJoint(probs, given, 2, perClassThresholds(probs, given, 2));
    expect([...confident]).toEqual([0, 0, 1, 1, 1, -1]);
    expect(counts).toEqual([
      [2, 1],
      [0, 2],
    ]);
  });

  it('calibration rescales rows to class sizes, and pruning keeps totals as integers', () => {
    const cal = calibrateJoint(
      [
        [2, 1],
        [0, 2],
      ],
      [3, 3],
    );
    expect(cal[0][0]).toBeCloseTo(2, 12);
    expect(cal[0][1]).toBeCloseTo(1, 12);
    expect(cal[1]).toEqual([0, 3]);
    expect(pruneCounts(cal, [3, 3], 1)).toEqual([
      [2, 1],
      [0, 3],
    ]);
  });

  it('pruning never leaves a class below minPerClass', () => {
    expect(pruneCounts([[0, 4]], [4], 2)).toEqual([[2, 2]]);
  });

  it('flags the row that looks like the other class, with its suggestion', () => {
    for (const filterBy of ['prune_by_noise_rate', 'confident_learning', 'both'] as const) {
      expect(confidentLearningIssues(probs, given, 2, { filterBy })).toEqual([
        { index: 2, given: 0, suggested: 1, selfConfidence: 0.2 },
      ]);
    }
  });

  it('no row is flagged when the model agrees with every label', () => {
    expect(
      confidentLearningIssues(
        [
          [0.9, 0.1],
          [0.2, 0.8],
        ],
        [0, 1],
        2,
      ),
    ).toEqual([]);
  });
});
