import type { CandidateRow, Removal } from '../candidate.js';
import { NearDupIndex } from '../near-dup/near-dup-index.js';
import { quote } from './quote.js';
import type { FilterContext, FilterResult, RowFilter } from './types.js';

/**
 * Default similarity (character-shingle Jaccard) at or above which a candidate counts as a copy of
 * an evaluation text: copies with case, punctuation or a word or two changed in a longer text. It is
 * set above the 0.6-0.8 band on purpose: on banking77, 827 train texts sit in that band around a test
 * text, and they are ordinary paraphrases ("how soon will my card arrive?" / "When will my card
 * arrive?") that every peer trains on, not copies. `data.leakageThreshold` moves it.
 */
export const LEAKAGE_THRESHOLD = 0.8;

/**
 * Drops a candidate that is a near-duplicate of an evaluation text, so the student is never
 * trained on what it will be scored on. Counts what it caught, for the report.
 */
export class LeakageFilter implements RowFilter {
  readonly name = 'leakage';
  private caughtSoFar = 0;
  /** Built once per evaluation set: the loop passes the same array every round. */
  private readonly indexes = new WeakMap<readonly string[], NearDupIndex>();

  constructor(readonly threshold = LEAKAGE_THRESHOLD) {}

  /** Candidates dropped since this filter was built, over all rounds. */
  get caught(): number {
    return this.caughtSoFar;
  }

  async apply(rows: CandidateRow[], ctx: FilterContext): Promise<FilterResult> {
    const index = this.indexFor(ctx.evalTexts);
    const kept: CandidateRow[] = [];
    const removed: Removal[] = [];
    for (const row of rows) {
      const match = index.nearest(row.text);
      if (match) {
        removed.push({
          row,
          filter: this.name,
          reason: `near-duplicate (similarity ${match.similarity.toFixed(2)}) of an evaluation text: ${quote(ctx.evalTexts[Number(match.id)])}`,
        });
      } else {
        kept.push(row);
      }
    }
    this.caughtSoFar += removed.length;
    return { kept, removed, answers: 0 };
  }

  private indexFor(evalTexts: readonly string[]): NearDupIndex {
    let index = this.indexes.get(evalTexts);
    if (!index) {
      index = new NearDupIndex({ threshold: this.threshold });
      evalTexts.forEach((text, i) => index!.add(String(i), text));
      this.indexes.set(evalTexts, index);
    }
    return index;
  }
}
