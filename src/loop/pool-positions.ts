import type { TextPool } from '../core/types.js';
import type { TrainingSet } from './training-set.js';

/**
 * Which pool positions are still available: not set aside as near-copies of evaluation rows, and
 * not holding a text the training set has seen (labeled, generated or reserved for validation).
 * Kept as positions so that a pool on disk is never read whole: each round looks up only the text
 * ids the training set gained since the last round, which the budget bounds.
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
  available(set: TrainingSet): number[] {
    let k = 0;
    for (const id of set.ids()) {
      // ids() keeps first-seen order, so the ids past `looked` are the new ones.
      if (k++ < this.looked) continue;
      for (const p of this.pool.positionsOf(id)) this.used.add(p);
    }
    this.looked = k;
    const out: number[] = [];
    for (let p = 0; p < this.pool.size; p++) if (!this.excluded.has(p) && !this.used.has(p)) out.push(p);
    return out;
  }
}
