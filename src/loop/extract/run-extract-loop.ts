import { BudgetExceededError } from '../../errors.js';
import type { Emitter, StopReason } from '../../events.js';
import { arrayPool } from '../../read/text-pool.js';
import type { SpanStudent } from '../../student/sequence/types.js';
import { trainSpanStudent } from '../../student/span-registry.js';
import type { Task } from '../../task/schema.js';
import type { CallGate } from '../../teacher/call-gate.js';
import type { ExtractTeacher } from '../../teacher/extract/types.js';
import { textId } from '../../util/hash.js';
import { Rng } from '../../util/random.js';
import { MIN_MEASURED_ROWS } from '../ablation.js';
import { StrategyBandit } from '../bandit.js';
import { nearCopies } from '../near-copies.js';
import { nearCopyTest } from '../near-copy-test.js';
import { Plateau } from '../stop-rule.js';
import { diagnoseExtract, type ExtractWeaknesses } from './diagnose.js';
import { brief, scoreStudent } from './evaluate.js';
import { SpanFilters } from './filters/index.js';
import { armPrior, extractArms, POOL_ARM } from './generate-arms.js';
import { generateForArms } from './generate-rows.js';
import { creditArms } from './measure-arms.js';
import { SeenTexts } from './seen-texts.js';
import { type Pick, pickRandom, pickUncertain } from './select.js';
import type {
  ExtractArmRound,
  ExtractLoopOutcome,
  ExtractRoundRecord,
  ExtractRow,
  ExtractSource,
  GoldText,
  PoolText,
  RejectedAnswer,
} from './types.js';

export interface ExtractLoopInput {
  task: Task;
  teacher: ExtractTeacher;
  gate: CallGate;
  pool: PoolText[];
  gold?: GoldText[];
  emitter?: Emitter;
  signal?: AbortSignal;
  /** Exact duplicates dropped while reading the pool (reported). */
  duplicates?: number;
  /**
   * Called after every round's training with that round's student: the loop bench scores it on a
   * held-out half no run sees (bench/extract/loop.ts), so nothing in the loop is tuned on that figure.
   */
  onRound?: (checkpoint: ExtractRoundCheckpoint) => void;
  /** Selection variants the loop bench compares (bench/extract/loop.ts `--favour-entities`); off by default. */
  selection?: { favourEntities?: boolean };
}

export interface ExtractRoundCheckpoint {
  round: number;
  /** Teacher answers consumed so far (validation split included). */
  answers: number;
  student: SpanStudent;
}

/** Share of an answer cap the teacher-labeled validation split may take. */
const VALIDATION_SHARE = 0.2;

/**
 * The extraction loop. One answer = one text annotated. Before round 0 a teacher-annotated
 * validation split is drawn at random (early stopping is judged on it; a gold `eval` file is only
 * reported, so the figure it gives is not tuned on). Round 0 asks about a random sample of the
 * pool (`loop.initialLabels`) and takes the seeds; every later round trains the student, and asks
 * about `loop.answersPerRound` texts picked by the strategy: `closed-loop` = most uncertain with
 * diversity, `margin` = most uncertain, `random` = the baseline arm. With `closed-loop`, a teacher
 * that can generate and `loop.poolShare` < 1, later rounds are shared by the bandit among the pool
 * and the generation arms (weak type, hard negatives for the most confused pair, entity-free;
 * generate-arms.ts), aimed by the last round's diagnosis on validation, credited by ablation
 * (measure-arms.ts). Pool texts that nearly copy a gold text are set aside first (leakage guard;
 * generated texts pass the same guard and a dedup against everything seen), and no text is asked
 * twice. Stops on budget, an exhausted pool (without generation arms), a round that buys nothing,
 * a validation F1 plateau or `loop.maxRounds`.
 */
export async function runExtractLoop(input: ExtractLoopInput): Promise<ExtractLoopOutcome> {
  const { task, teacher, gate, emitter } = input;
  const types = task.labels.map((l) => l.name);
  const rng = new Rng(task.seed);
  const excluded = await leakage(input);
  if (excluded.size > 0) teacher.setAside?.([...excluded].map((i) => input.pool[i].text));
  const seedIds = new Set((task.spanSeeds ?? []).map((s) => textId(s.text)));
  let unasked = input.pool.filter((p, i) => !excluded.has(i) && !seedIds.has(p.id));
  const seeds: ExtractRow[] = (task.spanSeeds ?? []).map((s) => ({
    id: textId(s.text),
    text: s.text,
    spans: s.spans.map((sp) => ({ ...sp, status: 'gold' as const })),
    source: 'seed',
    round: 0,
    rejected: [],
  }));
  const training: ExtractRow[] = [...seeds];
  const rejected: RejectedAnswer[] = [];
  const rounds: ExtractRoundRecord[] = [];
  const plateau = new Plateau(task.loop);
  let stopReason: StopReason = 'max-rounds';
  let budgetHit = false;
  const filters = new SpanFilters(task, teacher, gate);

  /** Asks the teacher about picks within the budget; returns what was annotated. */
  const ask = async (picks: Pick[], source: ExtractSource, round: number): Promise<ExtractRow[]> => {
    const allowed = Math.min(picks.length, gate.remainingAnswers());
    const taken = picks.slice(0, allowed);
    if (allowed < picks.length) budgetHit = true;
    const askedIds = new Set(taken.map((p) => p.item.id));
    unasked = unasked.filter((p) => !askedIds.has(p.id));
    if (taken.length === 0) return [];
    let results: Awaited<ReturnType<ExtractTeacher['extract']>>;
    try {
      results = await teacher.extract(taken.map((p) => ({ id: p.item.id, text: p.item.text })));
    } catch (e) {
      if (!(e instanceof BudgetExceededError)) throw e;
      budgetHit = true;
      return [];
    }
    const rows: ExtractRow[] = [];
    results.forEach((r, i) => {
      const { item, uncertainty } = taken[i];
      if (!r.ok) {
        rejected.push({ id: item.id, text: item.text, raw: r.raw, reason: r.reason, round });
        return;
      }
      const tokens = r.tokens ?? item.tokens;
      rows.push({
        id: item.id,
        text: item.text,
        spans: r.spans,
        ...(tokens ? { tokens } : {}),
        source,
        round,
        rejected: r.rejected,
        ...(uncertainty !== undefined ? { uncertainty } : {}),
      });
    });
    return rows;
  };

  const validationWanted = Math.min(
    task.loop.validationSize,
    Math.floor(unasked.length * VALIDATION_SHARE),
    Number.isFinite(gate.remainingAnswers()) ? Math.floor(gate.remainingAnswers() * VALIDATION_SHARE) : Infinity,
  );
  const validation = await ask(pickRandom(unasked, validationWanted, rng), 'random', 0);
  let student: SpanStudent | undefined;

  // Generation arms and the bandit that shares each round's answers among them and the pool.
  const arms = extractArms(task, teacher);
  const generating = arms.length > 1;
  const prior = armPrior(task, arms);
  // Probes a bit over the measurable minimum: dedup may drop a few of a probe's rows.
  const bandit = new StrategyBandit(arms, { probe: MIN_MEASURED_ROWS + 4, protect: [POOL_ARM] });
  const seen = new SeenTexts(task.data.dedupThreshold);
  for (const r of [...training, ...validation]) seen.add(r.text);
  const leaks =
    generating && input.gold?.length && task.data.leakageGuard
      ? nearCopyTest(
          input.gold.map((g) => g.text),
          task.data.leakageThreshold,
        )
      : undefined;
  let weaknesses: ExtractWeaknesses = { weakest: [], confused: [] };

  for (let round = 0; round <= task.loop.maxRounds; round++) {
    await new Promise((resolve) => setImmediate(resolve));
    input.signal?.throwIfAborted();
    emitter?.emit({ type: 'round-start', round, trainSize: training.length, answersUsed: gate.used().answers });
    const rejectedBefore = rejected.length;
    const answersBefore = gate.used().answers;
    const strategy = task.loop.strategy;
    const k = round === 0 ? task.loop.initialLabels : task.loop.answersPerRound;
    const arm: ExtractRoundRecord['arm'] = round === 0 || strategy === 'random' || !student ? 'random' : 'uncertainty';
    const bandits = generating && round > 0 && student !== undefined;
    const split = bandits ? bandit.allocate(Math.min(k, gate.remainingAnswers()), prior) : { [POOL_ARM]: k };
    const gen = bandits
      ? await generateForArms({ teacher, gate, arms, split, weaknesses, training, round, seen, leaks })
      : { rows: [], rejected: [], answers: 0, arms: {}, budgetHit: false };
    if (gen.budgetHit) budgetHit = true;
    const generated = gen.rows;
    rejected.push(...gen.rejected);
    const armRounds: Record<string, ExtractArmRound> = gen.arms;
    // A generated text is never asked about afterwards (the dataset teacher may hand out pool texts).
    if (generated.length || rejected.length > rejectedBefore) {
      const taken = new Set([...generated.map((r) => r.id), ...rejected.slice(rejectedBefore).map((r) => r.id)]);
      unasked = unasked.filter((p) => !taken.has(p.id));
    }
    // The pool gets its share plus what the generation arms could not spend, so a round stays full.
    const poolWanted = Math.max(0, k - gen.answers);
    // As classification: after round 0 the pool's share includes its self-consistency samples.
    const poolTexts = round === 0 ? poolWanted : filters.textsFor(poolWanted);
    const picks =
      arm === 'random'
        ? pickRandom(unasked, poolTexts, rng)
        : pickUncertain(unasked, poolTexts, student!, {
            candidates: task.loop.candidatePool,
            diverse: strategy === 'closed-loop',
            rng,
            types: types.length,
            favourEntities: input.selection?.favourEntities,
          });
    const dollarsBefore = gate.used().dollars;
    const poolAnswersBefore = gate.used().answers;
    const asked = (await ask(picks, arm, round)).map((r) => ({ ...r, arm: POOL_ARM }));
    for (const r of asked) seen.add(r.text);
    // Span filters (filters/): self-consistency on pool rows, verification of generated rows, the
    // label-noise check; drops go to `rejected`, and what they spend is charged to the rows' arms.
    const added = await filters.admit([...asked, ...generated], { round, training, rejected });
    const charged = filters.chargeArms(armRounds, added);
    armRounds[POOL_ARM] = {
      share: split[POOL_ARM] ?? poolWanted,
      answers: gate.used().answers - poolAnswersBefore - charged.answers,
      rows: added.filter((r) => r.arm === POOL_ARM).length,
      ...(gate.priced() ? { dollars: gate.used().dollars - dollarsBefore - charged.dollars } : {}),
    };
    training.push(...added);
    if (round > 0 && gate.used().answers === answersBefore) {
      stopReason = budgetHit || gate.remainingAnswers() === 0 ? 'budget' : 'pool-exhausted';
      break;
    }

    emitter?.emit({ type: 'train-start', round, rows: training.length });
    const t0 = performance.now();
    student = trainSpanStudent(
      task.student.kind,
      training.map((r) => ({ text: r.text, spans: r.spans, ...(r.tokens ? { tokens: r.tokens } : {}) })),
      { types, seed: task.seed },
      task.student.params,
    );
    const trainMs = Math.round(performance.now() - t0);
    emitter?.emit({ type: 'train-end', round, ms: trainMs });
    const scored = scoreStudent(student, validation, types);
    const val = scored.metrics;
    weaknesses = diagnoseExtract(
      val,
      validation.map((r) => r.spans),
      scored.predicted,
      types,
    );
    if (bandits && task.data.bandit)
      creditArms({
        bandit,
        task,
        types,
        training,
        round,
        arms: armRounds,
        full: student,
        validation,
        priced: gate.priced(),
      });
    const gold = input.gold ? scoreStudent(student, input.gold, types).metrics : undefined;
    const used = gate.used();
    rounds.push({
      round,
      arm,
      trainSize: training.length,
      answers: used.answers,
      dollars: used.dollars,
      added: {
        pool: added.length,
        seed: round === 0 ? seeds.length : 0,
        rejected: rejected.length - rejectedBefore,
        validation: round === 0 ? validation.length : 0,
        ...(generating ? { generated: generated.length } : {}),
      },
      validation: brief(validation.length, val),
      ...(gold && input.gold ? { gold: brief(input.gold.length, gold) } : {}),
      weakest: weaknesses.weakest,
      confused: weaknesses.confused,
      ...(generating ? { arms: armRounds } : {}),
      trainMs,
    });
    input.onRound?.({ round, answers: used.answers, student });
    const improved = plateau.record(val.micro.f1);
    emitter?.emit({ type: 'round-end', round, improved, best: plateau.best });
    if (budgetHit || gate.remainingAnswers() === 0) {
      stopReason = 'budget';
      break;
    }
    // With generation arms an empty pool leaves them to spend; a round that buys nothing stops the run.
    if (unasked.length === 0 && !generating) {
      stopReason = 'pool-exhausted';
      break;
    }
    if (plateau.reached) {
      stopReason = 'plateau';
      break;
    }
  }
  if (!student) throw new Error('unreachable: round 0 always trains');
  return {
    student,
    training,
    validation,
    rejected,
    rounds,
    stopReason,
    poolExcluded: excluded.size,
    duplicates: input.duplicates ?? 0,
    ...(filters.active ? { filters: filters.report } : {}),
  };
}

/** Pool positions that (nearly) copy a gold text, when the guard is on. */
async function leakage(input: ExtractLoopInput): Promise<Set<number>> {
  const { task, gold, pool } = input;
  if (!gold || gold.length === 0 || !task.data.leakageGuard) return new Set();
  return nearCopies(
    arrayPool(pool.map((p) => p.text)),
    gold.map((g) => g.text),
    task.data.leakageThreshold,
  );
}
