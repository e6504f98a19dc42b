import type { CandidateRow, Removal } from '../candidate.js';
import { NearDupIndex } from '../near-dup/near-dup-index.js';
import type { KnownRows } from '../strategies/types.js';
import { quote } from './quote.js';
import type { FilterContext, FilterResult, RowFilter } from './types.js';

/**
 * Drops a candidate that is a near-duplicate of a training row or of an earlier candidate in the
 * same batch: a teacher that repeats itself would otherwise buy the same example many times over
 * and weigh it that many times in training.
 *
 * One instance lives for a run and indexes the training rows incrementally, since they only grow;
 * if they ever do not extend what it indexed, it starts over.
 */
export class DedupFilter implements RowFilter {
  readonly name = 'dedup';
  private index: NearDupIndex;
  private texts: string[] = [];
  private seedTexts: string[] = [];
  private rowsIndexed = 0;

  constructor(readonly threshold: number) {
    this.index = new NearDupIndex({ threshold });
  }

  async apply(rows: CandidateRow[], ctx: FilterContext): Promise<FilterResult> {
    this.catchUp(ctx.known);
    // Kept candidates go to a batch index, not the training one: a later filter may still drop them.
    const batch = new NearDupIndex({ threshold: this.threshold });
    const batchTexts: string[] = [];
    const kept: CandidateRow[] = [];
    const removed: Removal[] = [];
    for (const row of rows) {
      const sig = this.index.fingerprint(row.text);
      const known = this.index.nearest(sig);
      const earlier = batch.nearest(sig);
      if (known && (!earlier || known.similarity >= earlier.similarity)) {
        removed.push({
          row,
          filter: this.name,
          reason: `near-duplicate (similarity ${known.similarity.toFixed(2)}) of a training row: ${quote(this.texts[Number(known.id)])}`,
        });
      } else if (earlier) {
        removed.push({
          row,
          filter: this.name,
          reason: `near-duplicate (similarity ${earlier.similarity.toFixed(2)}) of an earlier row in this batch: ${quote(batchTexts[Number(earlier.id)])}`,
        });
      } else {
        batch.add(String(batchTexts.length), sig);
        batchTexts.push(row.text);
        kept.push(row);
      }
    }
    return { kept, removed, answers: 0 };
  }

  private catchUp(known: KnownRows): void {
    const seeds = known.seeds.map((s) => s.text);
    const extendsIndexed =
      sameTexts(seeds, this.seedTexts) &&
      known.rows.length >= this.rowsIndexed &&
      (this.rowsIndexed === 0 || known.rows[this.rowsIndexed - 1].text === this.texts[this.texts.length - 1]);
    if (!extendsIndexed) {
      this.index = new NearDupIndex({ threshold: this.threshold });
      this.texts = [];
      this.rowsIndexed = 0;
      this.seedTexts = seeds;
      for (const text of seeds) this.addKnown(text);
    }
    for (let i = this.rowsIndexed; i < known.rows.length; i++) this.addKnown(known.rows[i].text);
    this.rowsIndexed = known.rows.length;
  }

  private addKnown(text: string): void {
    this.index.add(String(this.texts.length), text);
    this.texts.push(text);
  }
}

function sameTexts(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}
