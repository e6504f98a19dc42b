import { describe, expect, it } from 'vitest';
import { largestRemainder } from './largest-remainder.js';

describe('largestRemainder', () => {
  it('floors each share and gives what is left to the largest remainders, ties to the earlier position', () => {
    expect(largestRemainder([1.5, 1.5, 1.0], 4)).toEqual([2, 1, 1]);
    expect(largestRemainder([0.2, 2.7, 1.1], 4)).toEqual([0, 3, 1]);
    expect(largestRemainder([2, 3], 5)).toEqual([2, 3]);
  });
});
