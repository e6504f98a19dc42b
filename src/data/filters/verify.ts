import { textId } from '../../util/hash.js';
import type { CandidateRow, Removal } from '../candidate.js';
import { sameLabels, showLabels } from './label-sets.js';
import type { FilterContext, FilterResult, RowFilter } from './types.js';

export type VerifyMode = 'drop' | 'relabel';

/**
 * Asks the teacher to label each generated row's text, as it would any input: a generator that
 * wrote off-label text is caught when the labeler disagrees. Pool rows were labeled that way
 * already and pass untouched.
 *
 * One answer per verified row. Rows beyond the answers given pass unverified (counted as
 * `unchecked`) rather than dropped: running out of budget says nothing about a row.
 */
export class VerifyFilter implements RowFilter {
  readonly name = 'verify';

  constructor(readonly mode: VerifyMode) {}

  async apply(rows: CandidateRow[], ctx: FilterContext): Promise<FilterResult> {
    const generated = rows.flatMap((row, i) => (row.source === 'generated' ? [i] : []));
    const checked = generated.slice(0, Math.max(0, Math.floor(ctx.answers)));
    const unchecked = generated.length - checked.length;
    if (checked.length === 0) return { kept: rows.slice(), removed: [], answers: 0, unchecked };

    const results = await ctx.teacher.label(checked.map((i) => ({ id: textId(rows[i].text), text: rows[i].text })));
    const verdicts = new Map(checked.map((rowIndex, k) => [rowIndex, results[k]]));
    const kept: CandidateRow[] = [];
    const removed: Removal[] = [];
    let relabeled = 0;
    rows.forEach((row, i) => {
      if (!verdicts.has(i)) {
        kept.push(row);
        return;
      }
      const verdict = verdicts.get(i) ?? { ok: false as const, reason: 'the teacher returned no answer for it' };
      if (verdict.ok && sameLabels(verdict.labels, row.labels)) {
        kept.push(row);
      } else if (!verdict.ok) {
        // No usable second opinion is no confirmation; there is also nothing to relabel with.
        removed.push({
          row,
          filter: this.name,
          reason: `teacher verification gave no usable answer: ${verdict.reason}`,
        });
      } else if (this.mode === 'relabel') {
        kept.push({ ...row, labels: verdict.labels });
        relabeled++;
      } else {
        removed.push({ row, filter: this.name, reason: `teacher verification says ${showLabels(verdict.labels)}` });
      }
    });
    return { kept, removed, relabeled, answers: checked.length, unchecked };
  }
}
