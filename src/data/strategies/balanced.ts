import type { Rng } from '../../util/random.js';

/**
 * Picks values so that, over a whole run, every value of a group is used about equally often:
 * always one of the least used so far, the tie broken by the seeded rng. Spreading beats random
 * sampling here because a round asks for few combinations, and random draws would leave some
 * values out for several rounds.
 */
export class BalancedPicker {
  private readonly counts = new Map<string, number>();

  pick(group: string, values: readonly string[], rng: Rng): string | undefined {
    if (values.length === 0) return undefined;
    let least = Infinity;
    let tied: string[] = [];
    for (const v of values) {
      const c = this.count(group, v);
      if (c < least) {
        least = c;
        tied = [v];
      } else if (c === least) {
        tied.push(v);
      }
    }
    const chosen = tied[rng.int(tied.length)];
    this.use(group, chosen);
    return chosen;
  }

  /** Counts a use chosen elsewhere (a forced weak value), so later picks balance around it. */
  use(group: string, value: string, times = 1): void {
    const key = `${group}\u0000${value}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + times);
  }

  count(group: string, value: string): number {
    return this.counts.get(`${group}\u0000${value}`) ?? 0;
  }
}
