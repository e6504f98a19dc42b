import type { CandidateRow, Removal } from '../data/candidate.js';
import type { FilterContext, RowFilter } from '../data/filters/types.js';
import type { TrainingSet } from './training-set.js';

export interface FilterStats {
  removed: number;
  relabeled: number;
  answers: number;
  /** A few reasons, for the report. */
  examples: string[];
}

export interface Admission {
  /** Rows added to the training set, per arm (strategy). */
  addedByArm: Record<string, number>;
  byFilter: Record<string, FilterStats>;
  removals: Removal[];
}

/**
 * Runs the candidates through the filters in order, then adds the survivors to the training set
 * with their provenance. Filters see the set as it was before this batch.
 */
export async function admit(
  candidates: CandidateRow[],
  filters: readonly RowFilter[],
  ctx: Omit<FilterContext, 'answers'> & { answers: () => number },
  set: TrainingSet,
  teacherId: string,
): Promise<Admission> {
  const byFilter: Record<string, FilterStats> = {};
  const removals: Removal[] = [];
  let rows = candidates;
  for (const filter of filters) {
    const result = await filter.apply(rows, { ...ctx, answers: ctx.answers() });
    byFilter[filter.name] = {
      removed: result.removed.length,
      relabeled: result.relabeled ?? 0,
      answers: result.answers,
      examples: result.removed.slice(0, 5).map((r) => r.reason),
    };
    removals.push(...result.removed);
    rows = result.kept;
  }
  const addedByArm: Record<string, number> = {};
  for (const row of rows) {
    const attributes = { ...(row.attributes ?? {}), strategy: row.strategy };
    const added = set.add({
      text: row.text,
      labels: row.labels,
      source: row.source,
      round: ctx.round,
      teacher: teacherId,
      confidence: row.confidence,
      attributes,
    });
    if (added) addedByArm[row.strategy] = (addedByArm[row.strategy] ?? 0) + 1;
  }
  return { addedByArm, byFilter, removals };
}
