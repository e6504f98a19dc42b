import type { Source } from './example.js';

/**
 * A row on its way into the training set: produced by pool labeling or a generation strategy,
 * not yet through the filters. Attributes travel with it into the skill profile.
 */
export interface CandidateRow {
  text: string;
  labels: string[];
  source: Exclude<Source, 'seed'>;
  /** Name of the strategy that produced it (`pool` for pool labeling). */
  strategy: string;
  /** With source `human`: a reviewer's studio correction answered the label request, not the teacher. */
  reviewer?: string;
  /** Teacher's confidence, 0..1, when known (self-consistency agreement, verification). */
  confidence?: number;
  /** Attribute values (e.g. `tone: angry`, `leaf: refunds/partial`, `cluster: card_arrival#2`). */
  attributes?: Record<string, string>;
}

/** What a filter removed and why; the report counts these per filter and per round. */
export interface Removal {
  row: CandidateRow;
  filter: string;
  reason: string;
}
