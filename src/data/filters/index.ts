import type { DataSettings } from '../../task/schema.js';
import { DedupFilter } from './dedup.js';
import { LeakageFilter } from './leakage.js';
import { SelfConsistencyFilter } from './self-consistency.js';
import type { RowFilter } from './types.js';
import { VerifyFilter } from './verify.js';

export type { FilterContext, FilterResult, RowFilter } from './types.js';
export { applyFilters, type FilterStepReport, type PipelineResult } from './pipeline.js';
export { DedupFilter } from './dedup.js';
export { LEAKAGE_THRESHOLD, LeakageFilter } from './leakage.js';
export { SAMPLE_TEMPERATURE, SelfConsistencyFilter } from './self-consistency.js';
export { VerifyFilter, type VerifyMode } from './verify.js';

/** The filter a task's data settings ask for, or undefined when they switch it off. */
export type FilterFactory = (data: DataSettings) => RowFilter | undefined;

/**
 * Every filter, in the order the loop runs them: the free index lookups first, so the filters that
 * spend teacher answers never spend them on a row that would be dropped anyway.
 */
export const FILTERS = {
  dedup: (data) => new DedupFilter(data.dedupThreshold),
  // A user who lowers dedupThreshold calls more texts the same; the guard follows it down, never up.
  leakage: (data) =>
    data.leakageGuard ? new LeakageFilter(Math.min(data.leakageThreshold, data.dedupThreshold)) : undefined,
  verify: (data) => (data.verify === 'off' ? undefined : new VerifyFilter(data.verify)),
  'self-consistency': (data) =>
    data.selfConsistency > 1 ? new SelfConsistencyFilter(data.selfConsistency, data.minAgreement) : undefined,
} satisfies Record<string, FilterFactory>;

export type FilterName = keyof typeof FILTERS;

/**
 * Fresh filters for one run, in order. Build them once per run: dedup indexes the training rows
 * incrementally and leakage its evaluation texts once, across rounds.
 */
export function buildFilters(data: DataSettings): RowFilter[] {
  return (Object.values(FILTERS) as FilterFactory[]).flatMap((make) => make(data) ?? []);
}
