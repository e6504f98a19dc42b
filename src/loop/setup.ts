import type { SkillSteerTarget, Task } from '../task/schema.js';
import type { Teacher } from '../teacher/types.js';
import type { CallGate } from '../teacher/call-gate.js';
import type { Emitter } from '../events.js';
import type { LabeledText, TextPool } from '../core/types.js';
import type { GenerationStrategy, KnownRows } from '../data/strategies/types.js';
import type { RowFilter } from '../data/filters/types.js';
import type { RoundCheckpoint } from './types.js';
import { buildStrategies } from '../data/strategies/index.js';
import { buildFilters } from '../data/filters/index.js';
import { AttributeStrategy } from '../data/strategies/attribute.js';
import { defaultThreads, nearCopies } from './near-copies.js';
import { Rng } from '../util/random.js';
import { TrainingSet } from './training-set.js';
import { buildValidation } from './validation.js';
import { StrategyBandit } from './bandit.js';
import { MIN_MEASURED_ROWS } from './ablation.js';
import { SkillTracker } from './skills.js';
import { LabelNoiseCheck } from './label-noise.js';
import { noValidationError } from './too-small.js';
import { RejectionWatch } from './rejection-watch.js';
import { PoolPositions } from './pool-positions.js';
import { asTextPool } from '../read/text-pool.js';
import type { HumanCorrections } from '../store/corrections.js';

export interface LoopInput {
  task: Task;
  teacher: Teacher;
  gate: CallGate;
  /** Unlabeled texts (de-duplicated, gold texts already removed): an array, or a pool on disk (read/PoolIndex). */
  pool: readonly string[] | TextPool;
  /** Gold evaluation rows, if the user gave some. They serve as the validation set. */
  gold?: readonly LabeledText[];
  /** Second opinions on flagged labels (data.reviewTeacher); default: `teacher`. */
  reviewTeacher?: Teacher;
  emitter?: Emitter;
  signal?: AbortSignal;
  /** Worker threads for per-text passes over a large pool (default: every core but one, at most 8). */
  threads?: number;
  /** Each round's student, after its evaluation (DistillOptions.onRound). */
  onRound?: (checkpoint: RoundCheckpoint) => void;
  /**
   * Reviewers' decisions from the studio (texts not in the pool nor the evaluation rows): labeled
   * texts are training rows from the start, unusable ones are never admitted.
   */
  human?: HumanCorrections;
}

/** What every phase of the loop works with: fixed for the run, except the state its parts keep. */
export interface Loop {
  input: LoopInput;
  task: Task;
  teacher: Teacher;
  gate: CallGate;
  emitter?: Emitter;
  labels: string[];
  /** Closed loop (strategies, bandit, skills, label noise) rather than plain pool labeling. */
  closed: boolean;
  /** With the teacher's price known, arms are charged in dollars and the bandit compares gain per dollar. */
  priced: boolean;
  rng: Rng;
  set: TrainingSet;
  validation: { rows: LabeledText[]; split: 'gold' | 'validation' };
  evalTexts: string[];
  /** Worker threads for per-text work over the pool (near-copy pass, candidate scoring). */
  threads: number;
  /** The pool, with the near-copies of evaluation rows set aside and the texts already taken. */
  pool: PoolPositions;
  strategies: GenerationStrategy[];
  attributeStrategy?: AttributeStrategy;
  filters: RowFilter[];
  /** `pool` (when there is one) and the strategies' names: what the bandit shares each round among. */
  arms: string[];
  bandit: StrategyBandit;
  /** Measured for the report unless off. */
  skills?: SkillTracker;
  /** The skill tracker when data.skillSteer names `target` (pool picks, generation, row weights). */
  steers(target: SkillSteerTarget): SkillTracker | undefined;
  noise?: LabelNoiseCheck;
  known: KnownRows;
  /** Stops the run when the teacher's answers are mostly unusable. */
  watch: RejectionWatch;
}

/** The training set before any answer: the seeds, and the texts reviewers labeled or set aside. */
function initialSet(task: LoopInput['task'], human: LoopInput['human']): TrainingSet {
  const set = new TrainingSet();
  for (const s of task.seeds)
    set.add({ text: s.text, labels: s.labels, source: 'seed', round: 0, teacher: 'user', confidence: 1 });
  // A reviewer's label stands in for the teacher's: trained on from round 0, never paid for.
  for (const [text, h] of human?.labels ?? [])
    set.add({
      text,
      labels: h.labels,
      source: 'human',
      round: 0,
      teacher: 'human',
      reviewer: h.reviewer,
      confidence: 1,
    });
  set.reserve(human?.unusable ?? []);
  return set;
}

/** Seeds, the validation set, and the parts of the loop: strategies, filters, bandit, skills, label noise. */
export async function setUpLoop(input: LoopInput): Promise<Loop> {
  const { task, teacher, gate } = input;
  const inputPool = asTextPool(input.pool);
  const threads = input.threads ?? defaultThreads();
  const rng = new Rng(task.seed);
  const set = initialSet(task, input.human);
  const closed = task.loop.strategy === 'closed-loop';
  const validation = await buildValidation({
    task,
    teacher,
    gate,
    pool: inputPool,
    gold: input.gold,
    set,
    rng: rng.fork(1),
  });
  const watch = new RejectionWatch(teacher);
  // A teacher-labeled split is the run's first batch of answers: a teacher that cannot be used stops here.
  if (validation.split === 'validation' && (validation.rows.length > 0 || set.rejected.length > 0))
    watch.record({
      answers: validation.rows.length + set.rejected.length,
      rows: validation.rows.length,
      rejected: set.rejected,
    });
  if (validation.rows.length === 0) {
    watch.blameTeacher();
    throw noValidationError(task, inputPool.size, gate.remainingAnswers() === 0);
  }
  const evalTexts = validation.rows.map((r) => r.text);
  // Pool texts that nearly copy an evaluation row could never be admitted (the leakage guard would
  // drop them after they were paid for), so they are set aside before anything is spent on them.
  const pool = new PoolPositions(
    inputPool,
    task.data.leakageGuard
      ? await nearCopies(inputPool, evalTexts, Math.min(task.data.leakageThreshold, task.data.dedupThreshold), threads)
      : new Set(),
  );
  const strategies = closed ? buildStrategies(task) : [];
  // Without a pool there is nothing to label: the strategies share every round between them.
  const arms = [...(pool.usable > 0 ? ['pool'] : []), ...strategies.map((s) => s.name)];
  const skills =
    closed && task.data.skillProfile !== 'off' ? new SkillTracker(task, teacher, validation.rows) : undefined;
  const steering = skills && task.data.skillProfile === 'steer' ? skills : undefined;
  return {
    input,
    task,
    teacher,
    gate,
    emitter: input.emitter,
    labels: task.labels.map((l) => l.name),
    closed,
    priced: gate.priced(),
    rng,
    set,
    validation,
    evalTexts,
    threads,
    pool,
    strategies,
    attributeStrategy: strategies.find((s): s is AttributeStrategy => s instanceof AttributeStrategy),
    filters: buildFilters(task.data),
    arms,
    // Probes a bit over the measurable minimum: filters may drop a few of a probe's rows.
    bandit: new StrategyBandit(arms, { probe: MIN_MEASURED_ROWS + 4, protect: ['pool'] }),
    skills,
    steers: (target) => (steering && task.data.skillSteer.includes(target) ? steering : undefined),
    noise:
      closed && task.data.labelNoise !== 'off' ? new LabelNoiseCheck(task, teacher, input.reviewTeacher) : undefined,
    known: { seeds: task.seeds, rows: set.examples, has: (t) => set.has(t) },
    watch,
  };
}
