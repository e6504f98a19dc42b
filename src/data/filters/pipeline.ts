import type { CandidateRow, Removal } from '../candidate.js';
import type { FilterContext, RowFilter } from './types.js';

export interface FilterStepReport {
  filter: string;
  /** Rows the filter received. */
  input: number;
  removed: number;
  relabeled: number;
  answers: number;
  unchecked: number;
}

export interface PipelineResult {
  kept: CandidateRow[];
  removed: Removal[];
  relabeled: number;
  answers: number;
  /** Per filter, in the order they ran. */
  steps: FilterStepReport[];
}

/**
 * Runs filters in order, each on what the previous kept. They share `ctx.answers`: each is given
 * what the ones before it left, so together they never spend more.
 */
export async function applyFilters(
  filters: readonly RowFilter[],
  rows: CandidateRow[],
  ctx: FilterContext,
): Promise<PipelineResult> {
  let kept = rows;
  const removed: Removal[] = [];
  const steps: FilterStepReport[] = [];
  let answers = 0;
  let relabeled = 0;
  for (const filter of filters) {
    if (kept.length === 0) break;
    const left = Math.max(0, ctx.answers - answers);
    const result = await filter.apply(kept, { ...ctx, answers: left });
    if (result.answers > left)
      throw new Error(`filter ${filter.name} spent ${result.answers} answers but was given ${left}`);
    steps.push({
      filter: filter.name,
      input: kept.length,
      removed: result.removed.length,
      relabeled: result.relabeled ?? 0,
      answers: result.answers,
      unchecked: result.unchecked ?? 0,
    });
    kept = result.kept;
    removed.push(...result.removed);
    answers += result.answers;
    relabeled += result.relabeled ?? 0;
  }
  return { kept, removed, relabeled, answers, steps };
}
