import type { EvalMetrics } from '../core/types.js';
import type { StopReason } from '../events.js';
import type { RoundRecord } from '../loop/types.js';
import type { CostPlan } from '../loop/plan.js';
import type { LedgerTotals } from '../store/types.js';
import type { SkillProfileMode, SkillSteerTarget } from '../task/schema.js';

/** Contents of summary.json: what a finished run did and reached. run/ writes it; the report renders it. */
export interface DistillSummary {
  /** Run-directory format version (run/run-files.ts RUN_FORMAT_VERSION); absent in runs written before versions existed. */
  formatVersion?: number;
  runId: string;
  dir: string;
  status: 'complete' | 'failed';
  stopReason: StopReason;
  task: string;
  teacher: {
    id: string;
    kind: 'llm' | 'dataset';
    answers: number;
    requests: number;
    cacheHits: number;
    dollars: number;
    dollarsUsed: number;
    inputTokens: number;
    outputTokens: number;
    rejected: number;
  };
  student: { kind: string; modelBytes: number; microsPerPrediction: number };
  final: EvalMetrics & { split: 'gold' | 'validation' };
  rounds: RoundRecord[];
  trainingRows: number;
  /** Pool texts set aside before labeling because they nearly copy an evaluation row (leakage guard). */
  poolExcludedAsLeakage: number;
  /** What the run was planned to spend before it started (`apprentice plan`). Absent in runs written before it existed. */
  plan?: CostPlan;
  /**
   * Reviewers' corrections from the studio this run used: training rows labeled by a person instead
   * of the teacher (not paid for), texts left out as unusable, and the corrections file. Absent
   * when corrections were turned off, and in runs written before they existed.
   */
  human?: { rows: number; unusable: number; file: string };
  /** A student retrained from another run's rows (`apprentice retrain`, the studio's "Retrain now"): scores before and after. */
  retrain?: {
    of: string;
    before?: { accuracy: number; macroF1: number; n: number };
    after: { accuracy: number; macroF1: number; n: number };
    rows: number;
    human: number;
    unusable: number;
  };
  /** Diversity and coverage of the final training rows. Absent in runs written before it existed. */
  data?: TrainingDataStats;
  ms: number;
}

/** Word-level diversity of a set of rows; distinct-n is corpus-size dependent, so compare like with like. */
export interface TextDiversity {
  rows: number;
  /** Distinct word unigrams / all unigrams (0 when there are none). */
  distinct1: number;
  /** Distinct word bigrams / all bigrams, bigrams taken within a text. */
  distinct2: number;
  /** Share of these rows with a near-duplicate among the other training rows. */
  nearDupRate: number;
  /** Label entropy over the task's labels divided by its maximum: 1 = perfectly balanced. */
  labelEntropy: number;
}

export interface TrainingDataStats extends TextDiversity {
  /** Character-shingle Jaccard similarity at which two rows count as near-duplicates. */
  nearDupThreshold: number;
  /** Rows per label, most first; labels of the task with no rows are listed with 0. */
  labels: { label: string; rows: number }[];
  /** Per attribute name (bookkeeping ones left out): rows carrying it, distinct values, the most common values. */
  attributes: {
    name: string;
    rows: number;
    distinct: number;
    bySource: Record<string, number>;
    values: { value: string; rows: number }[];
  }[];
  bySource: Record<string, TextDiversity>;
}

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
  /** `human`: rows reviewers labeled in the studio (round 0), present only when there are some. */
  byRound: { round: number; seed: number; pool: number; generated: number; human?: number }[];
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
