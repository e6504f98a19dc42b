import type { TextPool } from '../core/types.js';
import { samplePositions, type IntSource } from '../read/pool-index.js';
import type { TrainingSet } from './training-set.js';

/**
 * Pools up to this size are drawn from by one shuffle of all their indices, as the loop always did,
 * so runs on them repeat the results recorded before (the demo's, the 100k bench's). Above it a
 * draw of k costs O(k) (samplePositions): shuffling a million indices every round made a round's
 * time grow with the pool. Both are uniform; they are different draws for the same seed.
 */
export const SHUFFLE_MAX = 100_000;

/** k distinct indices out of 0..size-1, uniformly: a whole shuffle for small pools, O(k) for large ones. */
export function drawIndices(size: number, k: number, rng: IntSource & { sample<T>(xs: readonly T[], k: number): T[] }) {
  if (size <= SHUFFLE_MAX) return rng.sample(range(size), k);
  return samplePositions(size, Math.max(0, k), rng);
}

/** 0..n-1. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * The available pool positions, addressed by index (the i-th available position in pool order),
 * as the old array of available texts was, without listing them: positions removed (near-copies,
 * texts taken) are few, so the i-th available one is found by binary search over them.
 */
export class AvailablePositions {
  readonly size: number;

  /** `removed`: distinct positions in 0..total-1, ascending. */
  constructor(
    total: number,
    private readonly removed: readonly number[],
  ) {
    this.size = total - removed.length;
  }

  /** The pool position of the i-th available text. */
  positionAt(i: number): number {
    if (!(Number.isInteger(i) && i >= 0 && i < this.size))
      throw new RangeError(`available index ${i} is outside 0..${this.size - 1}`);
    // The answer is i + (how many removed positions r_m have r_m - m <= i): r_m - m is how many
    // available positions lie below r_m, which never decreases with m.
    let lo = 0;
    let hi = this.removed.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.removed[mid] - mid <= i) lo = mid + 1;
      else hi = mid;
    }
    return i + lo;
  }

  positionsAt(indices: readonly number[]): number[] {
    return indices.map((i) => this.positionAt(i));
  }
}

/**
 * Which pool positions are still available: not set aside as near-copies of evaluation rows, and
 * not holding a text the training set has seen (labeled, generated or reserved for validation).
 * Kept as positions so that a pool on disk is never read whole: each round looks up only the text
 * ids the training set gained since the last round, which the budget bounds, and nothing in a
 * round walks every position.
 */
export class PoolPositions {
  private readonly used = new Set<number>();
  private looked = 0;

  constructor(
    readonly pool: TextPool,
    /** Positions of near-copies of evaluation rows, set aside before round 0. */
    readonly excluded: ReadonlySet<number>,
  ) {}

  /** Positions left once the near-copies are set aside. */
  get usable(): number {
    return this.pool.size - this.excluded.size;
  }

  /** Available positions in pool order, as the old `pool.filter(t => !set.has(t))` gave texts. */
  available(set: TrainingSet): AvailablePositions {
    let k = 0;
    for (const id of set.ids()) {
      // ids() keeps first-seen order, so the ids past `looked` are the new ones.
      if (k++ < this.looked) continue;
      for (const p of this.pool.positionsOf(id)) this.used.add(p);
    }
    this.looked = k;
    const removed = new Set(this.excluded);
    for (const p of this.used) removed.add(p);
    return new AvailablePositions(
      this.pool.size,
      [...removed].sort((a, b) => a - b),
    );
  }
}
