import type { SkillSteerTarget, Task } from '../task/schema.js';
import type { Teacher } from '../teacher/types.js';
import type { CallGate } from '../teacher/call-gate.js';
import type { Emitter, StopReason } from '../events.js';
import type { LabeledText } from '../core/types.js';
import type { Student } from '../student/types.js';
import type { CandidateRow } from '../data/candidate.js';
import type { StrategyContext, StrategyOutput, Weaknesses, KnownRows } from '../data/strategies/types.js';
import type { RoundCheckpoint, RoundRecord } from './types.js';
import type { EvalMetrics } from '../core/types.js';
import { BudgetExceededError } from '../errors.js';
import { trainStudent } from '../student/registry.js';
import { evaluate } from '../metrics/index.js';
import { buildStrategies } from '../data/strategies/index.js';
import { buildFilters } from '../data/filters/index.js';
import { NearDupIndex } from '../data/near-dup/near-dup-index.js';
import { Rng } from '../util/random.js';
import { TrainingSet } from './training-set.js';
import { labelPool } from './acquire.js';
import { runGenerate } from '../data/strategies/common.js';
import { admit, type Admission } from './admit.js';
import { choosePool, diagnose } from './choose-pool.js';
import { buildValidation } from './validation.js';
import { StrategyBandit } from './bandit.js';
import { MIN_MEASURED_ROWS, measureArmGains } from './ablation.js';
import { SkillTracker } from './skills.js';
import { AttributeStrategy } from '../data/strategies/attribute.js';
import { LabelNoiseCheck, type LabelNoiseRound } from './label-noise.js';
import type { ReviewLine } from '../data/label-noise/index.js';

export interface LoopInput {
  task: Task;
  teacher: Teacher;
  gate: CallGate;
  /** Unlabeled texts (de-duplicated, gold texts already removed). */
  pool: readonly string[];
  /** Gold evaluation rows, if the user gave some. They serve as the validation set. */
  gold?: readonly LabeledText[];
  /** Second opinions on flagged labels (data.reviewTeacher); default: `teacher`. */
  reviewTeacher?: Teacher;
  emitter?: Emitter;
  signal?: AbortSignal;
  /** Each round's student, after its evaluation (DistillOptions.onRound). */
  onRound?: (checkpoint: RoundCheckpoint) => void;
}

export interface LoopOutcome {
  student: Student;
  set: TrainingSet;
  rounds: RoundRecord[];
  stopReason: StopReason;
  validation: { rows: LabeledText[]; split: 'gold' | 'validation' };
  /** Metrics of the final student on the validation rows (gold when given). */
  final: EvalMetrics;
  /** Pool texts set aside as near-copies of evaluation rows (leakage guard). */
  poolExcluded: number;
  /** Flagged rows for a person to look at (data.labelNoise = review). */
  review: ReviewLine[];
}

/**
 * The closed loop. Round 0 takes the seeds, teacher labels on a sample of the pool and generated
 * examples for every label. Each round then trains, evaluates on the validation set, diagnoses
 * weak labels, confused pairs and weak skills, and spends the next slice of budget among its arms
 * (uncertain-and-diverse pool labeling, and the generation strategies) as the bandit decides, every
 * new row passing the filters first. It stops when the budget is spent, when validation has not
 * improved for `patience` rounds, or when there is nothing left to acquire.
 */
export async function runLoop(input: LoopInput): Promise<LoopOutcome> {
  const { task, teacher, gate, emitter } = input;
  const labels = task.labels.map((l) => l.name);
  const rng = new Rng(task.seed);
  const set = new TrainingSet();
  const loop = task.loop;
  const closed = loop.strategy === 'closed-loop';
  // With the teacher's price known, arms are charged in dollars and the bandit compares gain per dollar.
  const priced = gate.priced();

  for (const s of task.seeds)
    set.add({ text: s.text, labels: s.labels, source: 'seed', round: 0, teacher: 'user', confidence: 1 });
  const validation = await buildValidation({
    task,
    teacher,
    gate,
    pool: input.pool,
    gold: input.gold,
    set,
    rng: rng.fork(1),
  });
  // Checked before round 0 spends anything: a run graded on nothing would "complete" with accuracy 0.
  if (validation.rows.length === 0) throw noValidationError(task, input.pool.length);
  const evalTexts = validation.rows.map((r) => r.text);
  // Pool texts that nearly copy an evaluation row could never be admitted (the leakage guard would
  // drop them after they were paid for), so they are set aside before anything is spent on them.
  const pool = task.data.leakageGuard
    ? withoutNearCopies(input.pool, evalTexts, Math.min(task.data.leakageThreshold, task.data.dedupThreshold))
    : input.pool;
  const strategies = closed ? buildStrategies(task) : [];
  const attributeStrategy = strategies.find((s): s is AttributeStrategy => s instanceof AttributeStrategy);
  const filters = buildFilters(task.data);
  // Without a pool there is nothing to label: the strategies share every round between them.
  const arms = [...(pool.length > 0 ? ['pool'] : []), ...strategies.map((s) => s.name)];
  // Probes a bit over the measurable minimum: filters may drop a few of a probe's rows.
  const bandit = new StrategyBandit(arms, { probe: MIN_MEASURED_ROWS + 4, protect: ['pool'] });
  // Measured for the report unless off; with steer it aims what data.skillSteer names (pool picks, generation, row weights).
  const skills =
    closed && task.data.skillProfile !== 'off' ? new SkillTracker(task, teacher, validation.rows) : undefined;
  const steering = skills && task.data.skillProfile === 'steer' ? skills : undefined;
  const steers = (target: SkillSteerTarget) =>
    steering && task.data.skillSteer.includes(target) ? steering : undefined;
  const poolSkills = steers('pool');
  const noise =
    closed && task.data.labelNoise !== 'off' ? new LabelNoiseCheck(task, teacher, input.reviewTeacher) : undefined;
  const known: KnownRows = { seeds: task.seeds, rows: set.examples, has: (t) => set.has(t) };

  const rounds: RoundRecord[] = [];
  let stopReason: StopReason = 'max-rounds';
  let best = -Infinity;
  let stale = 0;
  let student: Student | undefined;
  let metrics: EvalMetrics | undefined;
  let weaknesses: Weaknesses = { weakest: [], confusedPairs: [], weakSkills: [] };

  for (let round = 0; round <= loop.maxRounds; round++) {
    input.signal?.throwIfAborted();
    emitter?.emit({ type: 'round-start', round, trainSize: set.examples.length, answersUsed: gate.used().answers });
    const answers = Math.min(gate.remainingAnswers(), round === 0 ? roundZeroAnswers(task) : loop.answersPerRound);
    const outputs: Record<string, StrategyOutput> = {};
    let admission: Admission = { addedByArm: {}, byFilter: {}, removals: [] };
    let budgetHit = false;
    // Dollars of each arm's own requests (cached answers count at what they cost when bought, so a
    // resumed run measures the same); filters' checks are not charged to arms, as with answers.
    const armDollars: Record<string, number> = {};
    const metered: Meter = async (name, acquire) => {
      const before = gate.used().dollars;
      try {
        return await acquire();
      } finally {
        armDollars[name] = (armDollars[name] ?? 0) + gate.used().dollars - before;
      }
    };
    try {
      const roundRng = rng.fork(100 + round);
      const available = pool.filter((t) => !set.has(t));
      if (round === 0 || !student) {
        Object.assign(
          outputs,
          await roundZero(
            { task, teacher, round, rng: roundRng, weaknesses, known, emitter },
            answers,
            available,
            labels,
            metered,
          ),
        );
      } else if (!closed) {
        const picked = choosePool(
          {
            strategy: loop.strategy,
            candidatePool: loop.candidatePool,
            pool: available,
            student,
            labels,
            rng: roundRng,
          },
          Math.min(answers, available.length),
        );
        outputs.pool = await metered('pool', () =>
          labelPool(
            teacher,
            picked.map((i) => available[i]),
            round,
          ),
        );
      } else {
        const split = bandit.allocate(answers, prior(task, arms));
        if (arms.includes('pool')) {
          const poolCount = Math.min(available.length, Math.floor(split.pool / task.data.selfConsistency));
          const picked = choosePool(
            {
              strategy: loop.strategy,
              candidatePool: loop.candidatePool,
              pool: available,
              student,
              labels,
              rng: roundRng,
              skills: poolSkills && ((t) => poolSkills.poolTargets(t)),
            },
            poolCount,
          );
          outputs.pool = await metered('pool', () =>
            labelPool(
              teacher,
              picked.map((i) => available[i]),
              round,
            ),
          );
        }
        const perRow = task.data.verify === 'off' ? 1 : 2;
        for (const s of strategies) {
          const share = Math.floor(split[s.name] / perRow);
          if (share <= 0) continue;
          outputs[s.name] = await metered(s.name, () =>
            s.produce(
              { task, teacher, round, rng: roundRng.fork(hashName(s.name)), weaknesses, known, emitter },
              Math.min(share, gate.remainingAnswers()),
            ),
          );
        }
      }
      const candidates: CandidateRow[] = Object.values(outputs).flatMap((o) => o.rows);
      for (const o of Object.values(outputs)) for (const r of o.rejected) set.reject(r);
      admission = await admit({
        candidates,
        filters,
        ctx: { task, teacher, round, known, evalTexts, answers: gate.remainingAnswers(), emitter },
        set,
        teacherId: teacher.id,
      });
      // Once the attribute strategy has the teacher's dimensions, the validation rows get tagged with them.
      if (skills && attributeStrategy) await skills.tagValidation(teacher, attributeStrategy.dimensions());
    } catch (e) {
      if (!(e instanceof BudgetExceededError)) throw e;
      budgetHit = true;
      emitter?.emit({
        type: 'budget-exhausted',
        limit: e.limit,
        used: gate.used()[e.limit],
        cap: task.budget[e.limit] ?? 0,
      });
    }
    const added = sum(Object.values(admission.addedByArm));
    const rejected = sum(Object.values(outputs).map((o) => o.rejected.length));
    const poolAdded = admission.addedByArm.pool ?? 0;
    emitter?.emit({ type: 'acquire-end', round, labeled: poolAdded, generated: added - poolAdded, rejected });
    if (round > 0 && added === 0) {
      stopReason = budgetHit || gate.remainingAnswers() === 0 ? 'budget' : 'pool-exhausted';
      break;
    }
    if (round === 0) checkTrainable(set, labels);

    emitter?.emit({ type: 'train-start', round, rows: set.examples.length });
    const t0 = performance.now();
    // The student still holds last round's, trained on every row of earlier rounds.
    const trainRows = set.rows(steers('weights')?.weigher(set.examples, student && { student, round: round - 1 }));
    student = trainStudent(
      task.student.kind,
      trainRows,
      {
        labels,
        multiLabel: task.multiLabel,
        seed: task.seed,
        onEpoch: (r) => emitter?.emit({ type: 'train-epoch-end', round, ...r }),
      },
      task.student.params,
    );
    const trainMs = Math.round(performance.now() - t0);
    emitter?.emit({ type: 'train-end', round, ms: trainMs });

    metrics = evaluate(student, validation.rows);
    const diagnosis = diagnose(metrics);
    const profile = skills?.update(student, round);
    weaknesses = { ...diagnosis, weakSkills: steers('generation')?.weakSkills() ?? [] };
    const used = gate.used();
    emitter?.emit({
      type: 'eval-end',
      round,
      split: validation.split,
      accuracy: metrics.accuracy,
      macroF1: metrics.macroF1,
      microF1: metrics.microF1,
      answers: used.answers,
      dollars: used.dollars,
    });
    input.onRound?.({ round, answers: used.answers, student });

    const armRecord: NonNullable<RoundRecord['arms']> = {};
    for (const [name, o] of Object.entries(outputs))
      armRecord[name] = {
        answers: o.answers,
        rows: admission.addedByArm[name] ?? 0,
        ...(priced ? { dollars: armDollars[name] ?? 0 } : {}),
      };
    if (closed && task.data.bandit && round > 0) {
      const answersByArm = Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, o.answers]));
      const perAnswer = measureArmGains({
        task,
        set,
        round,
        arms: Object.keys(outputs),
        answers: answersByArm,
        full: student,
        rows: trainRows,
        validation: validation.rows,
      });
      // Per answer, or per dollar with a price; recorded as the gain the arm's answers bought.
      const gains = bandit.recordRound(
        Object.fromEntries(
          Object.entries(perAnswer).map(([name, value]) => [name, { ...armRecord[name], perAnswer: value }]),
        ),
        priced,
      );
      for (const [name, gain] of Object.entries(gains)) armRecord[name].gain = gain;
    }

    let labelNoise: LabelNoiseRound | undefined;
    if (noise && !budgetHit) {
      try {
        labelNoise = await noise.run(set, round, gate.remainingAnswers());
      } catch (e) {
        if (!(e instanceof BudgetExceededError)) throw e;
        budgetHit = true;
      }
    }

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
      added: { pool: poolAdded, generated: added - poolAdded, seed: round === 0 ? task.seeds.length : 0, rejected },
      validation: summary,
      gold: validation.split === 'gold' ? summary : undefined,
      weakest: diagnosis.weakest,
      confusedPairs: diagnosis.confusedPairs,
      arms: armRecord,
      filters: admission.byFilter,
      skills: profile?.entries.slice(0, 20),
      labelNoise,
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
    throw new BudgetExceededError(
      'answers',
      'the budget ran out before the student could be trained once; raise budget.answers',
    );
  }
  return {
    student,
    set,
    rounds,
    stopReason,
    validation,
    final: metrics,
    poolExcluded: input.pool.length - pool.length,
    review: noise?.review ?? [],
  };
}

/** BudgetExceededError's own hint only says to raise the cap; here the data may be what is short. */
function tooSmall(message: string, hint: string): BudgetExceededError {
  return Object.assign(new BudgetExceededError('answers', message), { hint });
}

function noValidationError(task: Task, poolSize: number): BudgetExceededError {
  const cap = task.budget.answers === undefined ? '' : ` and a quarter of budget.answers (${task.budget.answers})`;
  return tooSmall(
    `too little to train on: the validation set is empty, so no student could be judged (no eval file was given, and a teacher-labeled validation split takes at most a third of the pool (${poolSize} texts)${cap})`,
    'raise budget.answers (or --budget-answers), give a larger pool, or give an eval file of labeled rows (eval / --eval)',
  );
}

/** After round 0: a classifier that has seen a single label can only ever answer that label. */
function checkTrainable(set: TrainingSet, labels: readonly string[]): void {
  const counts = set.countByLabel();
  const represented = labels.filter((l) => (counts.get(l) ?? 0) > 0);
  if (represented.length >= 2) return;
  const rows = set.examples.length;
  throw tooSmall(
    `too little to train on: after round 0 the training set has ${rows} row${rows === 1 ? '' : 's'} covering ${represented.length} of ${labels.length} labels${represented.length === 1 ? ` (only "${represented[0]}")` : ''}; a student needs at least 2`,
    'raise budget.answers (or --budget-answers), add seeds for the missing labels, or give a pool that differs from the eval file',
  );
}

function withoutNearCopies(
  pool: readonly string[],
  evalTexts: readonly string[],
  threshold: number,
): readonly string[] {
  if (evalTexts.length === 0) return pool;
  const index = new NearDupIndex({ threshold });
  evalTexts.forEach((t, i) => index.add(String(i), t));
  return pool.filter((t) => !index.nearest(t));
}

/** Round 0 spends what the loop settings ask for: initial pool labels plus generated examples per label. */
function roundZeroAnswers(task: Task): number {
  return task.loop.initialLabels + task.loop.initialGeneratePerLabel * task.labels.length;
}

/** Before anything is measured: the task's pool share for pool labeling, the rest evenly among strategies. */
function prior(task: Task, arms: readonly string[]): Record<string, number> {
  const strategies = arms.filter((a) => a !== 'pool');
  const out: Record<string, number> = { pool: strategies.length > 0 ? task.loop.poolShare : 1 };
  for (const s of strategies) out[s] = (1 - task.loop.poolShare) / strategies.length;
  return out;
}

/** Runs one arm's acquisition and charges the dollars its requests cost to that arm. */
type Meter = (arm: string, acquire: () => Promise<StrategyOutput>) => Promise<StrategyOutput>;

/** No student yet: a random sample of the pool, plus (closed loop only) examples of every label. */
async function roundZero(
  ctx: StrategyContext,
  answers: number,
  available: string[],
  labels: string[],
  metered: Meter,
): Promise<Record<string, StrategyOutput>> {
  const { task } = ctx;
  const closed = task.loop.strategy === 'closed-loop';
  const generateWanted = closed ? Math.min(answers, task.loop.initialGeneratePerLabel * labels.length) : 0;
  const poolCount = Math.min(available.length, answers - generateWanted);
  const out: Record<string, StrategyOutput> = {
    pool: await metered('pool', () => labelPool(ctx.teacher, ctx.rng.sample(available, poolCount), ctx.round)),
  };
  const generate = closed ? answers - poolCount : 0;
  if (generate > 0) {
    const plan = spreadOverLabels(labels, generate).map((request) => ({ request }));
    out['weak-label'] = await metered('weak-label', async () => {
      const { rows, rejected, answers: spent } = await runGenerate(ctx, 'weak-label', plan);
      return { rows, rejected, answers: spent };
    });
  }
  return out;
}

function spreadOverLabels(labels: readonly string[], answers: number): { label: string; n: number }[] {
  if (answers <= 0 || labels.length === 0) return [];
  const base = Math.floor(answers / labels.length);
  const extra = answers % labels.length;
  return labels.map((label, i) => ({ label, n: base + (i < extra ? 1 : 0) })).filter((r) => r.n > 0);
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

function hashName(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) >>> 0;
  return h;
}
