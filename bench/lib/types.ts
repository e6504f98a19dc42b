import type { ModelTiming } from './timed.js';

/**
 * What a model runner measures; the scores are added by `score` so every model is scored by the same
 * code. Every timing figure is the median of `runs` whole-process runs pinned to one core; `timing`
 * holds each figure's runs, min and max (bench/lib/timed.ts says what is timed).
 */
export interface Measured {
  /** Whole-process training wall seconds (start-up, reading, training, saving). */
  trainSeconds: number;
  /** Peak RSS of the training process, MiB (GNU time). */
  peakMB: number | null;
  /** Test texts per second on one core, model load excluded. */
  predictPerSecond: number | null;
  /** One text at a time, in-process; null where the tool offers no per-call API. */
  latencyP50Micros: number | null;
  latencyP99Micros: number | null;
  latencyMeanMicros: number | null;
  /** How many times each timed command ran. */
  runs: number;
  timing: ModelTiming;
  modelBytes: number;
  /** Accuracy of the chosen settings on the validation split (what they were chosen by). */
  validationAccuracy: number | null;
  /** Predicted labels per test row, in test order. */
  predictions: string[][];
  /** fastText only: the quantized .ftz (cutoff tuned on validation), its size, test accuracy and throughput. */
  quantizedBytes?: number;
  quantizedAccuracy?: number;
  quantizedPredictPerSecond?: number | null;
  /** Anything that qualifies the numbers (settings, tuning). */
  settings: Record<string, unknown>;
}

/** The scalar (median) timing fields of a model from its timing runs. */
export function fromTiming(
  t: ModelTiming,
): Pick<
  Measured,
  | 'trainSeconds'
  | 'peakMB'
  | 'predictPerSecond'
  | 'latencyP50Micros'
  | 'latencyP99Micros'
  | 'latencyMeanMicros'
  | 'runs'
  | 'timing'
> {
  const pps = t.predictPerSecond?.median ?? null;
  return {
    trainSeconds: t.trainSeconds.median,
    peakMB: t.peakMB?.median ?? null,
    predictPerSecond: pps,
    latencyP50Micros: t.latencyP50Micros?.median ?? null,
    latencyP99Micros: t.latencyP99Micros?.median ?? null,
    latencyMeanMicros: pps ? 1e6 / pps : null,
    runs: t.trainSeconds.runs,
    timing: t,
  };
}

export interface ModelResult extends Omit<Measured, 'predictions'> {
  accuracy: number;
  macroF1: number;
  /** Multi-label only; null otherwise. */
  microF1: number | null;
}

export interface Ratios {
  /** Student accuracy minus the peer's, in points (0–100 scale). */
  accuracyPoints: number;
  macroF1Points: number;
  /** Student over peer: < 1 means the student is faster to train / smaller / lighter. */
  trainSeconds: number;
  modelBytes: number;
  /** Against the peer's quantized file (fastText's .ftz), and student minus its accuracy in points; null for other peers. */
  quantizedModelBytes: number | null;
  quantizedAccuracyPoints: number | null;
  peakMB: number | null;
  /** Student over peer (the faster of the peer's files): > 1 means the student predicts faster. */
  predictPerSecond: number | null;
}

export interface CurvePoint {
  answers: number;
  accuracy: number;
}

export interface LoopStrategyResult {
  /** Per seed: answers at the first round reaching 95% of full-data accuracy, null if never within the budget. */
  perSeed: (number | null)[];
  /** Median over seeds, "never reached" counted as infinite; null when the median itself is never. */
  median: number | null;
  curves: CurvePoint[][];
}

export interface LoopResult {
  /**
   * The test split is cut in two (by distinct text, fixed seed): the loop validates on one half (its
   * eval file) and every strategy's students are scored on the other, which no run ever sees.
   */
  scoredOn: 'held-out';
  heldOutRows: number;
  validationRows: number;
  heldOutSeed: number;
  /** Held-out rows whose text is also in the validation file: 0, checked at run time. */
  overlap: number;
  /** The full-data student's accuracy on the held-out rows. */
  fullAccuracy: number;
  target: number;
  /** Answer budget each loop run had. */
  budget: number;
  /** Held-out rows scored (all of the held-out half, or a fixed-seed sample where it is huge). */
  goldRows: number;
  seeds: number[];
  /** Loop settings every strategy ran with. */
  settings: Record<string, unknown>;
  answersTo95: { loop: number | null; random: number | null; margin: number | null };
  strategies: { loop: LoopStrategyResult; random: LoopStrategyResult; margin: LoopStrategyResult };
  curves: { loop: CurvePoint[][]; random: CurvePoint[][]; margin: CurvePoint[][] };
}

export interface NoisyResult {
  noise: number;
  /** The noise model: which texts get a wrong label and which label (bench/lib/noise.ts). */
  noiseModel: string;
  /** Share of train rows the noisy teacher labels wrongly, and of the held-out rows. */
  trainNoise: number;
  scoredOn: 'held-out';
  /** The noisy teacher's accuracy on the same held-out rows as the loop. */
  teacherAccuracy: number;
  /** The final student's accuracy on those rows. */
  studentAccuracy: number;
  answers: number;
  budget: number;
  settings: Record<string, unknown>;
}

/** Confident learning on train labels from a teacher with LLM-like noise; accuracies are on the test split. */
export interface LabelNoiseResult {
  noise: number;
  noiseModel: string;
  /** Who relabels the flagged rows: a second noisy teacher, never the dataset's labels. */
  repairTeacher: string;
  /** Flagged rows whose repaired label is the dataset's. */
  repairedCorrect: number;
  /** Train rows whose noisy label differs from the dataset's. */
  wrong: number;
  flagged: number;
  /** Share of the wrong labels flagged, and share of the flagged labels that are wrong. */
  recall: number;
  precision: number;
  folds: number;
  /** Student trained on the dataset's own labels: the ceiling. */
  accuracyClean: number;
  accuracyNoisy: number;
  /** Flagged rows relabeled by the second noisy teacher. */
  accuracyRepaired: number;
  /** Flagged rows dropped. */
  accuracyDropped: number;
}

/** Answers to 95% on one set of gold rows, both arms. */
export interface SkillTargetingScore {
  rows: number;
  /** The full-data student's accuracy on these rows, and 95% of it. */
  fullAccuracy: number;
  target: number;
  /** Median over seeds, "never reached" counted as infinite. */
  answersTo95: { skills: number | null; plain: number | null };
  perSeed: { skills: (number | null)[]; plain: (number | null)[] };
  /** skills ÷ plain answers to 95%: below 1 means targeting saves answers. */
  ratio: number | null;
  /**
   * The same read between rounds (answersToTargetInterpolated): medians over seeds, per seed, and
   * their ratio. Absent from results written before it was added.
   */
  interpolated?: {
    skills: number | null;
    plain: number | null;
    perSeed: { skills: (number | null)[]; plain: (number | null)[] };
    ratio: number | null;
  };
  /** Mean over seeds of the last round's accuracy. */
  finalAccuracy: { skills: number; plain: number };
}

/**
 * Closed loop with the skill profile steering acquisition (`skills`) and without (`plain`).
 * The test split is cut in two: the loop validates and builds its skill profile on one half (its
 * eval file), and every round's student is scored on the other, which it never sees. The top-level
 * figures are the held-out half's; `seen` has the same figures on the half the loop aimed at.
 */
export interface SkillTargetingResult extends SkillTargetingScore {
  budget: number;
  seeds: number[];
  settings: Record<string, unknown>;
  /** Held-out curves (absent from results written before the split). */
  curves: { skills: CurvePoint[][]; plain: CurvePoint[][] };
  seen?: SkillTargetingScore;
}

export interface DatasetResult {
  dataset: string;
  /** Git commit the figures were measured at (`-dirty`: with uncommitted changes), and the command. */
  commit: string;
  command: string;
  startedAt: string;
  /** Where hyperparameters were tuned (never on test). */
  validation: {
    source: 'published' | 'carved';
    rows: number;
    fitRows: number;
    seed: number | null;
    share: number | null;
  };
  multiLabel: boolean;
  n_train: number;
  n_test: number;
  labels: number;
  note: string | null;
  student: ModelResult | null;
  fasttext: ModelResult | null;
  sklearn_svm: ModelResult | null;
  /** TF-IDF word 1–2-grams + char_wb 2–5-grams, LinearSVC: the strong classical baseline. */
  sklearn_svm_char: ModelResult | null;
  sklearn_lr: ModelResult | null;
  ratios: {
    fasttext: Ratios | null;
    sklearn_svm: Ratios | null;
    sklearn_svm_char: Ratios | null;
    sklearn_lr: Ratios | null;
  };
  loop: LoopResult | null;
  noisy: NoisyResult | null;
  /** Absent from results written before these runs existed. */
  labelNoise?: LabelNoiseResult | null;
  skills?: SkillTargetingResult | null;
  /** Why a part is missing (a peer failed, the loop is not available yet...). */
  skipped: string[];
  /** Set in a checkpoint written while the run was still going: what it had not measured yet. */
  inProgress?: string;
  /**
   * Parts this run did not measure, kept from earlier runs: one origin per earlier run (which parts,
   * and that run's commit, command and start). Entries written before several origins were kept hold
   * a single object; `carriedOrigins` reads both.
   */
  carried?: CarriedOrigin[] | CarriedOrigin;
}

export interface CarriedOrigin {
  parts: string[];
  startedAt: string;
  commit: string;
  command: string;
}

export interface BenchResults {
  mode: 'full' | 'quick';
  commit: string;
  command: string;
  startedAt: string;
  finishedAt: string;
  machine: { cpu: string; cores: number; memoryGB: number; os: string; loadAverage: number[] };
  versions: {
    node: string;
    fasttext: string | null;
    sklearn: string | null;
    python: string | null;
    apprentice: string;
  };
  datasets: DatasetResult[];
  /** Runs merged into this file, oldest first (a full run can be done a few datasets at a time). */
  runs?: {
    startedAt: string;
    finishedAt: string;
    datasets: string[];
    machine: BenchResults['machine'];
    commit?: string;
    command?: string;
  }[];
}
