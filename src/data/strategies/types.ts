import type { Task } from '../../task/schema.js';
import type { Teacher } from '../../teacher/types.js';
import type { Emitter } from '../../events.js';
import type { Rng } from '../../util/random.js';
import type { CandidateRow } from '../candidate.js';
import type { RejectedRow } from '../example.js';

/** Where the student is weak, as the loop diagnosed it after the last round. */
export interface Weaknesses {
  /** Labels with the lowest validation F1, worst first. */
  weakest: { label: string; f1: number }[];
  /** Gold label mistaken for predicted label, most frequent first. */
  confusedPairs: { gold: string; predicted: string; count: number }[];
  /** Attribute values with the highest validation error rate, worst first (from the skill profile). */
  weakSkills: { attribute: string; value: string; label?: string; errorRate: number; support: number }[];
}

/** What the training set already holds, for strategies that anchor on it or avoid repeating it. */
export interface KnownRows {
  /** Seed examples (the user's own), per label. */
  seeds: { text: string; labels: string[] }[];
  /** Current training rows, in acquisition order. */
  rows: readonly { text: string; labels: string[]; attributes?: Record<string, string> }[];
  has(text: string): boolean;
}

export interface StrategyContext {
  task: Task;
  teacher: Teacher;
  round: number;
  rng: Rng;
  weaknesses: Weaknesses;
  known: KnownRows;
  emitter?: Emitter;
}

export interface StrategyOutput {
  rows: CandidateRow[];
  rejected: RejectedRow[];
  /** Teacher answers actually spent (≤ the answers given); auxiliary calls (attribute proposals) spend none. */
  answers: number;
}

/**
 * A way of asking the teacher for training rows. The loop's bandit gives each strategy a share of
 * the round's answers and measures what its rows were worth. Strategies keep their own state across
 * rounds (attribute dimensions, tree leaves, hop frontier), so one instance lives for a whole run.
 */
export interface GenerationStrategy {
  readonly name: string;
  produce(ctx: StrategyContext, answers: number): Promise<StrategyOutput>;
}

export type StrategyFactory = (task: Task) => GenerationStrategy;
