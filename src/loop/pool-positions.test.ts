import { describe, expect, it } from 'vitest';
import { arrayPool } from '../read/text-pool.js';
import { Rng } from '../util/random.js';
import { AvailablePositions, drawIndices, PoolPositions, range, SHUFFLE_MAX } from './pool-positions.js';
import { TrainingSet } from './training-set.js';

describe('AvailablePositions', () => {
  it('maps the i-th available index to the position the listed array held', () => {
    const rng = new Rng(3);
    for (const total of [1, 2, 10, 500]) {
      const removed = [...new Set(Array.from({ length: rng.int(total) }, () => rng.int(total)))].sort((a, b) => a - b);
      const listed = range(total).filter((p) => !removed.includes(p));
      const view = new AvailablePositions(total, removed);
      expect(view.size).toBe(listed.length);
      expect(view.positionsAt(range(view.size))).toEqual(listed);
      expect(() => view.positionAt(view.size)).toThrow(RangeError);
    }
  });
});

describe('PoolPositions', () => {
  it('leaves out near-copies and the texts the training set took, round after round', () => {
    const texts = Array.from({ length: 40 }, (_, i) => `text ${i % 30}`);
    const positions = new PoolPositions(arrayPool(texts), new Set([0, 5]));
    const set = new TrainingSet();
    set.reserve(['text 7']);
    let view = positions.available(set);
    const expected = (gone: number[]) => range(40).filter((p) => !gone.includes(p));
    expect(view.positionsAt(range(view.size))).toEqual(expected([0, 5, 7, 37]));
    set.reserve(['text 12', 'not in the pool']);
    view = positions.available(set);
    expect(view.positionsAt(range(view.size))).toEqual(expected([0, 5, 7, 37, 12]));
  });
});

describe('drawIndices', () => {
  it('draws as one shuffle of every index up to SHUFFLE_MAX, so small pools repeat earlier runs', () => {
    expect(drawIndices(1000, 20, new Rng(9))).toEqual(new Rng(9).sample(range(1000), 20));
    expect(drawIndices(SHUFFLE_MAX, 5, new Rng(9))).toEqual(new Rng(9).sample(range(SHUFFLE_MAX), 5));
  });

  it('draws k distinct indices in O(k) above it, the same for the same seed', () => {
    const a = drawIndices(50_000_000, 5000, new Rng(4));
    expect(a).toEqual(drawIndices(50_000_000, 5000, new Rng(4)));
    expect(new Set(a).size).toBe(5000);
    expect(a.every((i) => Number.isInteger(i) && i >= 0 && i < 50_000_000)).toBe(true);
    expect(drawIndices(SHUFFLE_MAX + 1, 0, new Rng(4))).toEqual([]);
  });
});
