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
import { nearCopies } from '../near-copies.js';
import { Plateau } from '../stop-rule.js';
import { brief, scoreStudent } from './evaluate.js';
import { type Pick, pickRandom, pickUncertain } from './select.js';
import type {
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
 * diversity, `margin` = most uncertain, `random` = the baseline arm. Pool texts that nearly copy a
 * gold text are set aside first (leakage guard), and no text is asked twice. Stops on budget,
 * an exhausted pool, a validation F1 plateau or `loop.maxRounds`.
 */
export async function runExtractLoop(input: ExtractLoopInput): Promise<ExtractLoopOutcome> {
  const { task, teacher, gate, emitter } = input;
  const types = task.labels.map((l) => l.name);
  const rng = new Rng(task.seed);
  const excluded = await leakage(input);
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

  for (let round = 0; round <= task.loop.maxRounds; round++) {
    await new Promise((resolve) => setImmediate(resolve));
    input.signal?.throwIfAborted();
    emitter?.emit({ type: 'round-start', round, trainSize: training.length, answersUsed: gate.used().answers });
    const rejectedBefore = rejected.length;
    const strategy = task.loop.strategy;
    const k = round === 0 ? task.loop.initialLabels : task.loop.answersPerRound;
    const arm: ExtractRoundRecord['arm'] = round === 0 || strategy === 'random' || !student ? 'random' : 'uncertainty';
    const picks =
      arm === 'random'
        ? pickRandom(unasked, k, rng)
        : pickUncertain(unasked, k, student!, {
            candidates: task.loop.candidatePool,
            diverse: strategy === 'closed-loop',
            rng,
            types: types.length,
            favourEntities: input.selection?.favourEntities,
          });
    const added = await ask(picks, arm, round);
    training.push(...added);
    if (round > 0 && added.length === 0) {
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
    const val = scoreStudent(student, validation, types).metrics;
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
      },
      validation: brief(validation.length, val),
      ...(gold && input.gold ? { gold: brief(input.gold.length, gold) } : {}),
      weakest: Object.entries(val.perType)
        .map(([type, s]) => ({ type, f1: s.f1 }))
        .sort((a, b) => a.f1 - b.f1)
        .slice(0, 3),
      trainMs,
    });
    input.onRound?.({ round, answers: used.answers, student });
    const improved = plateau.record(val.micro.f1);
    emitter?.emit({ type: 'round-end', round, improved, best: plateau.best });
    if (budgetHit || gate.remainingAnswers() === 0) {
      stopReason = 'budget';
      break;
    }
    if (unasked.length === 0) {
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
