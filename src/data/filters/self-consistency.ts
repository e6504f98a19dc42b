import { textId } from '../../util/hash.js';
import type { CandidateRow, Removal } from '../candidate.js';
import { labelKey, sameLabels, showLabels } from './label-sets.js';
import { percent } from './quote.js';
import type { FilterContext, FilterResult, RowFilter } from './types.js';

/** Temperature of the extra samples: high enough that an unsure teacher answers differently. */
export const SAMPLE_TEMPERATURE = 0.7;

/**
 * Asks the teacher to label each pool row again, `samples − 1` more times at SAMPLE_TEMPERATURE.
 * The label set most samples gave (the row's own answer counts as one) becomes the row's labels,
 * and the share that gave it becomes its confidence; a row the teacher cannot agree with itself
 * on is dropped. Multi-label answers vote as whole sets.
 *
 * Costs samples − 1 answers per row; rows beyond the answers given pass unchecked.
 */
export class SelfConsistencyFilter implements RowFilter {
  readonly name = 'self-consistency';

  constructor(
    readonly samples: number,
    readonly minAgreement: number,
  ) {}

  async apply(rows: CandidateRow[], ctx: FilterContext): Promise<FilterResult> {
    const extra = this.samples - 1;
    const pool = rows.flatMap((row, i) => (row.source === 'pool' ? [i] : []));
    if (extra < 1) return { kept: rows.slice(), removed: [], answers: 0 };
    const checked = pool.slice(0, Math.max(0, Math.floor(ctx.answers / extra)));
    const unchecked = pool.length - checked.length;

    const votes = new Map<number, (readonly string[] | undefined)[]>(checked.map((i) => [i, [rows[i].labels]]));
    const inputs = checked.map((i) => ({ id: textId(rows[i].text), text: rows[i].text }));
    let answers = 0;
    // One sample at a time, never concurrently: the gate numbers identical requests in call order,
    // and that numbering is what lets a re-run replay the same samples from the cache.
    for (let s = 0; s < extra && inputs.length > 0; s++) {
      const results = await ctx.teacher.label(inputs, { temperature: SAMPLE_TEMPERATURE });
      answers += inputs.length;
      checked.forEach((i, k) => {
        const r = results[k];
        votes.get(i)!.push(r?.ok ? r.labels : undefined);
      });
    }

    const kept: CandidateRow[] = [];
    const removed: Removal[] = [];
    let relabeled = 0;
    rows.forEach((row, i) => {
      const rowVotes = votes.get(i);
      if (!rowVotes) {
        kept.push(row);
        return;
      }
      const { labels, count } = majority(rowVotes);
      const agreement = count / rowVotes.length;
      const voted: CandidateRow = { ...row, labels: [...labels], confidence: agreement };
      if (agreement < this.minAgreement) {
        removed.push({
          row: voted,
          filter: this.name,
          reason: `teacher agreed with itself on ${count} of ${rowVotes.length} samples (${percent(agreement)}), under the ${percent(this.minAgreement)} required; most said ${showLabels(labels)}`,
        });
        return;
      }
      if (!sameLabels(labels, row.labels)) relabeled++;
      kept.push(voted);
    });
    return { kept, removed, relabeled, answers, unchecked };
  }
}

/**
 * The label set with the most votes. Ties go to the row's own answer (the first vote, asked at the
 * teacher's usual temperature), then to the set voted first. An unusable sample votes for nothing.
 */
function majority(votes: readonly (readonly string[] | undefined)[]): { labels: readonly string[]; count: number } {
  const tally = new Map<string, { labels: readonly string[]; count: number }>();
  for (const v of votes) {
    if (!v) continue;
    const key = labelKey(v);
    const entry = tally.get(key);
    if (entry) entry.count++;
    else tally.set(key, { labels: v, count: 1 });
  }
  let best: { labels: readonly string[]; count: number } = { labels: votes[0] ?? [], count: 0 };
  for (const entry of tally.values()) if (entry.count > best.count) best = entry;
  return best;
}
