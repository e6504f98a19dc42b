import type { Student } from '../student/types.js';
import type { CandidateRow } from '../data/candidate.js';
import type { StrategyOutput, Weaknesses } from '../data/strategies/types.js';
import { BudgetExceededError } from '../errors.js';
import { runGenerate } from '../data/strategies/common.js';
import { labelPool } from './acquire.js';
import { admit, type Admission } from './admit.js';
import { choosePool } from './choose-pool.js';
import { type AvailablePositions, drawIndices } from './pool-positions.js';
import type { Rng } from '../util/random.js';
import type { Loop } from './setup.js';

/** Where the loop stands when a round starts: last round's student and what it got wrong. */
export interface RoundStart {
  round: number;
  student?: Student;
  weaknesses: Weaknesses;
}

/** What a round bought: each arm's output, the rows the filters let in, what each arm cost. */
export interface Acquired {
  outputs: Record<string, StrategyOutput>;
  admission: Admission;
  /** Dollars of each arm's own requests (filters' checks are not charged to arms, as with answers). */
  armDollars: Record<string, number>;
  /** A budget cap stopped the acquisition or the filters part-way. */
  budgetHit: boolean;
  counts: AcquiredCounts;
}

/** Rows a round added (from the pool and generated) and answers it could not use. */
export interface AcquiredCounts {
  added: number;
  pool: number;
  generated: number;
  rejected: number;
}

/** Runs one arm's acquisition and charges the dollars its requests cost to that arm. */
type Meter = (arm: string, acquire: () => Promise<StrategyOutput>) => Promise<StrategyOutput>;

/**
 * Acquire and admit: spends the round's answers among the arms, then runs what they bought through
 * the filters into the training set. A budget cap met on the way ends the round's buying, not the
 * run: what was bought before it still counts.
 */
export async function acquireRound(loop: Loop, start: RoundStart): Promise<Acquired> {
  const { task, gate, emitter } = loop;
  const answers = Math.min(
    gate.remainingAnswers(),
    start.round === 0 ? roundZeroAnswers(loop) : task.loop.answersPerRound,
  );
  const acquired: Acquired = {
    outputs: {},
    admission: { addedByArm: {}, byFilter: {}, removals: [] },
    armDollars: {},
    budgetHit: false,
    counts: { added: 0, pool: 0, generated: 0, rejected: 0 },
  };
  try {
    await acquire(loop, start, answers, acquired);
    acquired.admission = await admitOutputs(loop, start.round, acquired.outputs);
    // Once the attribute strategy has the teacher's dimensions, the validation rows get tagged with them.
    if (loop.skills && loop.attributeStrategy)
      await loop.skills.tagValidation(loop.teacher, loop.attributeStrategy.dimensions());
  } catch (e) {
    if (!(e instanceof BudgetExceededError)) throw e;
    acquired.budgetHit = true;
    emitter?.emit({
      type: 'budget-exhausted',
      limit: e.limit,
      used: gate.used()[e.limit],
      cap: task.budget[e.limit] ?? 0,
    });
  }
  const counts = countAcquired(acquired);
  emitter?.emit({
    type: 'acquire-end',
    round: start.round,
    labeled: counts.pool,
    generated: counts.generated,
    rejected: counts.rejected,
  });
  return { ...acquired, counts };
}

function countAcquired({ admission, outputs }: Acquired): AcquiredCounts {
  const added = sum(Object.values(admission.addedByArm));
  const pool = admission.addedByArm.pool ?? 0;
  const rejected = sum(Object.values(outputs).map((o) => o.rejected.length));
  return { added, pool, generated: added - pool, rejected };
}

/** The available pool positions as a pool of their own: index i is the i-th available text. */
interface PoolView {
  size: number;
  textsAt(indices: readonly number[]): string[];
}

function poolView(loop: Loop, available: AvailablePositions): PoolView {
  return { size: available.size, textsAt: (indices) => loop.pool.pool.textsAt(available.positionsAt(indices)) };
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

/** Fills `acquired.outputs` arm by arm, so the arms done before a budget cap keep their rows. */
async function acquire(loop: Loop, start: RoundStart, answers: number, acquired: Acquired): Promise<void> {
  const metered = meter(loop, acquired.armDollars);
  const roundRng = loop.rng.fork(100 + start.round);
  const available = poolView(loop, loop.pool.available(loop.set));
  if (start.round === 0 || !start.student) {
    Object.assign(acquired.outputs, await roundZero(loop, start, { answers, available, metered, rng: roundRng }));
  } else if (!loop.closed) {
    const picked = await choosePool(
      { ...pickSettings(loop), pool: available, student: start.student, rng: roundRng },
      Math.min(answers, available.size),
    );
    acquired.outputs.pool = await metered('pool', () =>
      labelPool(loop.teacher, available.textsAt(picked), start.round),
    );
  } else {
    const spend = { answers, available, metered, rng: roundRng };
    await acquireByBandit(loop, { ...start, student: start.student }, spend, acquired);
  }
}

interface Spend {
  answers: number;
  /** Pool texts not yet taken (labeled or reserved for validation). */
  available: PoolView;
  metered: Meter;
  /** The round's generator: pool picks draw from it, each strategy gets a fork of it. */
  rng: Rng;
}

/** The closed loop after round 0: the bandit splits the answers among pool labeling and the strategies. */
async function acquireByBandit(
  loop: Loop,
  start: RoundStart & { student: Student },
  { answers, available, metered, rng: roundRng }: Spend,
  acquired: Acquired,
): Promise<void> {
  const { task, teacher, gate, arms } = loop;
  const split = loop.bandit.allocate(answers, prior(loop));
  if (arms.includes('pool')) {
    const poolCount = Math.min(available.size, Math.floor(split.pool / task.data.selfConsistency));
    const poolSkills = loop.steers('pool');
    const picked = await choosePool(
      {
        ...pickSettings(loop),
        pool: available,
        student: start.student,
        rng: roundRng,
        skills: poolSkills && ((t) => poolSkills.poolTargets(t)),
      },
      poolCount,
    );
    acquired.outputs.pool = await metered('pool', () => labelPool(teacher, available.textsAt(picked), start.round));
  }
  const perRow = task.data.verify === 'off' ? 1 : 2;
  for (const s of loop.strategies) {
    const share = Math.floor(split[s.name] / perRow);
    if (share <= 0) continue;
    const ctx = { ...strategyContext(loop, start), rng: roundRng.fork(hashName(s.name)) };
    acquired.outputs[s.name] = await metered(s.name, () => s.produce(ctx, Math.min(share, gate.remainingAnswers())));
  }
}

/** No student yet: a random sample of the pool, plus (closed loop only) examples of every label. */
async function roundZero(
  loop: Loop,
  start: RoundStart,
  { answers, available, metered, rng }: Spend,
): Promise<Record<string, StrategyOutput>> {
  const ctx = { ...strategyContext(loop, start), rng };
  const generateWanted = loop.closed
    ? Math.min(answers, loop.task.loop.initialGeneratePerLabel * loop.labels.length)
    : 0;
  const poolCount = Math.min(available.size, answers - generateWanted);
  const out: Record<string, StrategyOutput> = {
    pool: await metered('pool', () =>
      // One shuffle of the available positions for a pool of up to SHUFFLE_MAX, as before: the same sample.
      labelPool(ctx.teacher, available.textsAt(drawIndices(available.size, poolCount, ctx.rng)), ctx.round),
    ),
  };
  const generate = loop.closed ? answers - poolCount : 0;
  if (generate > 0) {
    const plan = spreadOverLabels(loop.labels, generate).map((request) => ({ request }));
    out['weak-label'] = await metered('weak-label', async () => {
      const { rows, rejected, answers: spent } = await runGenerate(ctx, 'weak-label', plan);
      return { rows, rejected, answers: spent };
    });
  }
  return out;
}

/** The filters, then the training set: what the arms bought that passes. */
async function admitOutputs(loop: Loop, round: number, outputs: Record<string, StrategyOutput>): Promise<Admission> {
  const { task, teacher, known, evalTexts, gate, emitter, set } = loop;
  const candidates: CandidateRow[] = Object.values(outputs).flatMap((o) => o.rows);
  for (const o of Object.values(outputs)) for (const r of o.rejected) set.reject(r);
  return admit({
    candidates,
    filters: loop.filters,
    ctx: { task, teacher, round, known, evalTexts, answers: gate.remainingAnswers(), emitter },
    set,
    teacherId: teacher.id,
  });
}

/**
 * Charges each arm the dollars its requests cost (cached answers at what they cost when bought, so a
 * resumed run measures the same), and shows its answers to the rejection watch, which stops the run
 * when they are mostly unusable.
 */
function meter(loop: Loop, armDollars: Record<string, number>): Meter {
  return async (name, acquire) => {
    const before = loop.gate.used().dollars;
    try {
      const output = await acquire();
      loop.watch.record({ answers: output.answers, rows: output.rows.length, rejected: output.rejected });
      return output;
    } finally {
      armDollars[name] = (armDollars[name] ?? 0) + loop.gate.used().dollars - before;
    }
  };
}

function strategyContext(loop: Loop, start: RoundStart) {
  const { task, teacher, known, emitter } = loop;
  return { task, teacher, round: start.round, weaknesses: start.weaknesses, known, emitter };
}

function pickSettings(loop: Loop) {
  return {
    strategy: loop.task.loop.strategy,
    candidatePool: loop.task.loop.candidatePool,
    labels: loop.labels,
    threads: loop.threads,
  };
}

/** Round 0 spends what the loop settings ask for: initial pool labels plus generated examples per label. */
function roundZeroAnswers(loop: Loop): number {
  return loop.task.loop.initialLabels + loop.task.loop.initialGeneratePerLabel * loop.labels.length;
}

/** Before anything is measured: the task's pool share for pool labeling, the rest evenly among strategies. */
function prior(loop: Loop): Record<string, number> {
  const strategies = loop.arms.filter((a) => a !== 'pool');
  const out: Record<string, number> = { pool: strategies.length > 0 ? loop.task.loop.poolShare : 1 };
  for (const s of strategies) out[s] = (1 - loop.task.loop.poolShare) / strategies.length;
  return out;
}

function spreadOverLabels(labels: readonly string[], answers: number): { label: string; n: number }[] {
  if (answers <= 0 || labels.length === 0) return [];
  const base = Math.floor(answers / labels.length);
  const extra = answers % labels.length;
  return labels.map((label, i) => ({ label, n: base + (i < extra ? 1 : 0) })).filter((r) => r.n > 0);
}

function hashName(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) >>> 0;
  return h;
}
