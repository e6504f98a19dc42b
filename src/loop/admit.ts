import type { CandidateRow, Removal } from '../data/candidate.js';
import { applyFilters } from '../data/filters/pipeline.js';
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

export interface AdmitOptions {
  candidates: CandidateRow[];
  filters: readonly RowFilter[];
  /** `answers`: what the filters may spend together (the gate's remaining answers). */
  ctx: FilterContext;
  set: TrainingSet;
  teacherId: string;
}

/**
 * Runs the candidates through the filter pipeline (src/data/filters/pipeline.ts, which holds the
 * filters together to the answers given), then adds the survivors to the training set with their
 * provenance. Filters see the set as it was before this batch.
 */
export async function admit({ candidates, filters, ctx, set, teacherId }: AdmitOptions): Promise<Admission> {
  const result = await applyFilters(filters, candidates, ctx);
  // Every filter has a line each round, also those the pipeline skipped because nothing was left.
  const byFilter: Record<string, FilterStats> = {};
  for (const filter of filters) byFilter[filter.name] = { removed: 0, relabeled: 0, answers: 0, examples: [] };
  for (const step of result.steps) {
    byFilter[step.filter] = {
      removed: step.removed,
      relabeled: step.relabeled,
      answers: step.answers,
      examples: result.removed
        .filter((r) => r.filter === step.filter)
        .slice(0, 5)
        .map((r) => r.reason),
    };
  }
  const addedByArm: Record<string, number> = {};
  for (const row of result.kept) {
    const attributes = { ...(row.attributes ?? {}), strategy: row.strategy };
    const added = set.add({
      text: row.text,
      labels: row.labels,
      source: row.source,
      round: ctx.round,
      // A reviewer's label is nobody's teacher answer: the row says who gave it.
      teacher: row.source === 'human' ? 'human' : teacherId,
      ...(row.reviewer ? { reviewer: row.reviewer } : {}),
      confidence: row.confidence,
      attributes,
    });
    if (added) addedByArm[row.strategy] = (addedByArm[row.strategy] ?? 0) + 1;
  }
  return { addedByArm, byFilter, removals: result.removed };
}
