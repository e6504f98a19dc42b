import type { DistillSummary } from '../run/types.js';
import type { LedgerTotals } from '../store/types.js';
import type { SkillProfileMode, SkillSteerTarget } from '../task/schema.js';

/** A held-out input the final student labels wrongly. `text` is untrusted and escaped on render. */
export interface WrongExample {
  text: string;
  gold: string[];
  predicted: string[];
  /** Student's probability for its (top) prediction, 0..1. */
  confidence: number;
}

/** Rows of the final training set, counted by where they came from. */
export interface TrainingBreakdown {
  bySource: Record<string, number>;
  /** Round in which rows were acquired (0 = initial), ascending. */
  byRound: { round: number; seed: number; pool: number; generated: number }[];
}

/** Which data checks the task switched on, so a section can tell "off" from "ran and found nothing". */
export interface DataChecks {
  labelNoise: 'off' | 'relabel' | 'review';
  leakageGuard: boolean;
  skillProfile: SkillProfileMode;
  /** What steering aimed at the weak values (data.skillSteer); absent in reports written before it existed (then: generation and weights). */
  skillSteer?: SkillSteerTarget[];
  bandit: boolean;
  /** Only the closed loop runs strategies, the bandit, the skill profile and the label-noise check. */
  closedLoop: boolean;
}

export interface ReportData {
  summary: DistillSummary;
  /** Shown up to the first 50; order them as the reader should see them (e.g. most confident first). */
  examplesWrong: WrongExample[];
  training: TrainingBreakdown;
  teacherKind: 'llm' | 'dataset';
  teacherId: string;
  ledger: LedgerTotals;
  studentMicrosPerPrediction: number;
  /** Milliseconds per answer over live teacher calls; null when every answer was cached or from a dataset. */
  teacherMsPerAnswer: number | null;
  /** The task's data settings; without them the data sections infer what ran from the round records. */
  checks?: DataChecks;
  /** ISO time the report was made; default now. Fixed in tests for stable output. */
  generatedAt?: string;
}
