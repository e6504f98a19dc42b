import type { Task } from '../task/schema.js';
import type { Teacher } from '../teacher/types.js';
import type { CallGate } from '../teacher/call-gate.js';
import type { Emitter } from '../events.js';
import type { StopReason } from '../events.js';
import type { LabeledText } from '../data/example.js';
import type { Student } from '../student/types.js';
import type { EvalMetrics, RoundRecord } from './types.js';
import { BudgetExceededError } from '../errors.js';
import { trainStudent } from '../student/registry.js';
import { evaluate } from '../metrics/index.js';
import { Rng } from '../util/random.js';
import { TrainingSet } from './training-set.js';
import { labelPool, generateExamples, type AcquireCounts } from './acquire.js';
import { planRound, diagnose, type Diagnosis } from './plan-round.js';
import { buildValidation } from './validation.js';

export interface LoopInput {
  task: Task;
  teacher: Teacher;
  gate: CallGate;
  /** Unlabeled texts (de-duplicated, gold texts already removed). */
  pool: readonly string[];
  /** Gold evaluation rows, if the user gave some. They serve as the validation set. */
  gold?: readonly LabeledText[];
  emitter?: Emitter;
  signal?: AbortSignal;
}

export interface LoopOutcome {
  student: Student;
  set: TrainingSet;
  rounds: RoundRecord[];
  stopReason: StopReason;
  validation: { rows: LabeledText[]; split: 'gold' | 'validation' };
  /** Metrics of the final student on the validation rows (gold when given). */
  final: EvalMetrics;
}

/**
 * The closed loop. Round 0 takes the seeds, teacher labels on a sample of the pool and generated
 * examples for every label. Each round then trains, evaluates on the validation set, diagnoses the
 * weakest labels and confused pairs, and spends the next slice of budget on them. It stops when the
 * budget is spent, when validation has not improved for `patience` rounds, or when there is nothing
 * left to acquire.
 */
export async function runLoop(input: LoopInput): Promise<LoopOutcome> {
  const { task, teacher, gate, emitter } = input;
  const labels = task.labels.map((l) => l.name);
  const rng = new Rng(task.seed);
  const set = new TrainingSet();
  const loop = task.loop;

  for (const s of task.seeds) set.add({ text: s.text, labels: s.labels, source: 'seed', round: 0, teacher: 'user', confidence: 1 });
  const validation = await buildValidation({ task, teacher, gate, pool: input.pool, gold: input.gold, set, rng: rng.fork(1) });

  const rounds: RoundRecord[] = [];
  let stopReason: StopReason = 'max-rounds';
  let best = -Infinity;
  let stale = 0;
  let student: Student | undefined;
  let metrics: EvalMetrics | undefined;
  let diagnosis: Diagnosis = { weakest: [], confusedPairs: [] };

  for (let round = 0; round <= loop.maxRounds; round++) {
    input.signal?.throwIfAborted();
    emitter?.emit({ type: 'round-start', round, trainSize: set.examples.length, answersUsed: gate.used().answers });
    const available = input.pool.filter((t) => !set.has(t));
    const answers = Math.min(gate.remainingAnswers(), round === 0 ? roundZeroAnswers(task) : loop.answersPerRound);
    let added: AcquireCounts = { pool: 0, generated: 0, rejected: 0 };
    let budgetHit = false;
    try {
      added = await acquire({ round, answers, available, student, diagnosis, labels, input, set, rng: rng.fork(100 + round) });
    } catch (e) {
      if (!(e instanceof BudgetExceededError)) throw e;
      budgetHit = true;
      emitter?.emit({ type: 'budget-exhausted', limit: e.limit, used: gate.used()[e.limit], cap: task.budget[e.limit] ?? 0 });
    }
    emitter?.emit({ type: 'acquire-end', round, labeled: added.pool, generated: added.generated, rejected: added.rejected });
    if (round > 0 && added.pool + added.generated === 0) {
      stopReason = budgetHit || gate.remainingAnswers() === 0 ? 'budget' : 'pool-exhausted';
      break;
    }

    emitter?.emit({ type: 'train-start', round, rows: set.examples.length });
    const t0 = performance.now();
    student = trainStudent(task.student.kind, set.rows(), {
      labels,
      multiLabel: task.multiLabel,
      seed: task.seed,
      onEpoch: (r) => emitter?.emit({ type: 'train-epoch-end', round, ...r }),
    }, task.student.params);
    const trainMs = Math.round(performance.now() - t0);
    emitter?.emit({ type: 'train-end', round, ms: trainMs });

    metrics = evaluate(student, validation.rows);
    diagnosis = diagnose(metrics);
    const used = gate.used();
    emitter?.emit({ type: 'eval-end', round, split: validation.split, accuracy: metrics.accuracy, macroF1: metrics.macroF1, microF1: metrics.microF1, answers: used.answers, dollars: used.dollars });

    const score = metrics.macroF1;
    const improved = score > best + loop.minDelta;
    if (improved) {
      best = score;
      stale = 0;
    } else {
      stale += 1;
    }
    const summary = { n: metrics.n, accuracy: metrics.accuracy, macroF1: metrics.macroF1, microF1: metrics.microF1 };
    rounds.push({
      round,
      trainSize: set.examples.length,
      answers: used.answers,
      dollars: used.dollars,
      added: { ...added, seed: round === 0 ? task.seeds.length : 0 },
      validation: summary,
      gold: validation.split === 'gold' ? summary : undefined,
      weakest: diagnosis.weakest,
      confusedPairs: diagnosis.confusedPairs,
      trainMs,
    });
    emitter?.emit({ type: 'round-end', round, improved, best });

    if (budgetHit || gate.remainingAnswers() === 0) {
      stopReason = 'budget';
      break;
    }
    if (stale >= loop.patience) {
      stopReason = 'plateau';
      break;
    }
  }

  if (!student || !metrics) {
    throw new BudgetExceededError('answers', 'the budget ran out before the student could be trained once; raise budget.answers');
  }
  return { student, set, rounds, stopReason, validation, final: metrics };
}

/** Round 0 spends what the loop settings ask for: initial pool labels plus generated examples per label. */
function roundZeroAnswers(task: Task): number {
  return task.loop.initialLabels + task.loop.initialGeneratePerLabel * task.labels.length;
}

interface AcquireArgs {
  round: number;
  answers: number;
  available: string[];
  student: Student | undefined;
  diagnosis: Diagnosis;
  labels: string[];
  input: LoopInput;
  set: TrainingSet;
  rng: Rng;
}

async function acquire(a: AcquireArgs): Promise<AcquireCounts> {
  const { task, teacher } = a.input;
  if (a.answers <= 0) return { pool: 0, generated: 0, rejected: 0 };
  let poolTexts: string[];
  let generate: { label: string; n: number; guidance?: { confusedWith?: string } }[];
  if (a.round === 0 || !a.student) {
    // No student yet: a random sample of the pool, plus (closed loop only) examples of every label.
    const perLabel = task.loop.strategy === 'closed-loop' ? task.loop.initialGeneratePerLabel : 0;
    let genAnswers = Math.min(a.answers, perLabel * a.labels.length);
    const poolCount = Math.min(a.available.length, a.answers - genAnswers);
    if (task.loop.strategy === 'closed-loop') genAnswers = a.answers - poolCount;
    poolTexts = a.rng.sample(a.available, poolCount);
    generate = spreadOverLabels(a.labels, genAnswers);
  } else {
    const plan = planRound({
      strategy: task.loop.strategy,
      answers: a.answers,
      poolShare: task.loop.poolShare,
      candidatePool: task.loop.candidatePool,
      pool: a.available,
      student: a.student,
      diagnosis: a.diagnosis,
      labels: a.labels,
      canGenerate: true,
      rng: a.rng,
    });
    poolTexts = plan.pool.map((i) => a.available[i]);
    generate = plan.generate;
  }
  const labeled = await labelPool(teacher, poolTexts, a.set, a.round);
  const generated = await generateExamples(teacher, generate, a.set, a.round, { concurrency: task.teacher.concurrency, emitter: a.input.emitter });
  return { pool: labeled.pool, generated: generated.generated, rejected: labeled.rejected + generated.rejected };
}

function spreadOverLabels(labels: readonly string[], answers: number): { label: string; n: number }[] {
  if (answers <= 0 || labels.length === 0) return [];
  const base = Math.floor(answers / labels.length);
  const extra = answers % labels.length;
  return labels.map((label, i) => ({ label, n: base + (i < extra ? 1 : 0) })).filter((r) => r.n > 0);
}
