import type { Task } from '../../task/schema.js';
import type { Teacher } from '../../teacher/types.js';
import type { Emitter } from '../../events.js';
import type { CandidateRow, Removal } from '../candidate.js';
import type { KnownRows } from '../strategies/types.js';

export interface FilterContext {
  task: Task;
  teacher: Teacher;
  round: number;
  known: KnownRows;
  /** Texts of the evaluation rows (gold or validation): nothing like them may be trained on. */
  evalTexts: readonly string[];
  /** Answers the filter may spend (verification, self-consistency); it must not spend more. */
  answers: number;
  emitter?: Emitter;
}

export interface FilterResult {
  kept: CandidateRow[];
  removed: Removal[];
  /** Rows kept but changed (relabeled by verification), for the report. */
  relabeled?: number;
  /** Teacher answers spent. */
  answers: number;
  /** Rows passed on without the check because the answers ran out (verification, self-consistency). */
  unchecked?: number;
}

/** A check between the teacher's output and the training set. Each reports what it removed and why. */
export interface RowFilter {
  readonly name: string;
  apply(rows: CandidateRow[], ctx: FilterContext): Promise<FilterResult>;
}
