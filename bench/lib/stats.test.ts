import { describe, expect, it } from 'vitest';
import { median, relativeSpread, timing } from './stats.js';

describe('median and timing', () => {
  it('takes the middle of an odd count and the mean of the middle two of an even one, whatever the order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([10, 1, 4, 2])).toBe(3);
    expect(median([5])).toBe(5);
  });

  it('refuses no values instead of inventing a figure', () => {
    expect(() => median([])).toThrow(/no values/);
  });

  it('keeps runs, min, max and the raw values beside the median', () => {
    const t = timing([2.5, 1.5, 9]);
    expect(t).toEqual({ median: 2.5, min: 1.5, max: 9, runs: 3, values: [2.5, 1.5, 9] });
    expect(relativeSpread(t)).toBeCloseTo(3);
  });
});
