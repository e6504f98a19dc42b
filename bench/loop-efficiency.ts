/**
 * Loop efficiency: how many teacher answers each selection strategy needs to get the student to 95%
 * of what it reaches on the full training set, and what a noisy teacher does to the final student.
 * The teacher is the dataset itself (`dataset:` teacher over the train rows). The test split is cut
 * in two by distinct text (fixed seed): the loop validates on one half (its eval file: the closed
 * loop steers by its errors there), and every round's student of every strategy is scored on the
 * other half, which no run ever sees.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distill } from '../src/run/distill.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { taskFromObject } from '../src/task/load.js';
import type { LoopSettings, Task } from '../src/task/schema.js';
import type { RoundCheckpoint } from '../src/loop/types.js';
import type { DistillOptions, DistillSummary } from '../src/run/types.js';
import { Rng } from '../src/util/random.js';
import { evaluate } from '../src/metrics/index.js';
import { writeRows, type Dataset, type Row } from './lib/datasets.js';
import { answersToTarget, medianAnswers, targetOf } from './lib/loop-math.js';
import { NOISE_MODEL, noiseRate, noisyOther, noisyTrain } from './lib/noise.js';
import { scoreLabels } from './lib/score.js';
import { overlapCount, splitByText } from './lib/split.js';
import type { CurvePoint, LoopResult, LoopStrategyResult, NoisyResult } from './lib/types.js';

export const NOISE = 0.15;

/**
 * Budgets: the loop's big enough for random sampling to get there on most sets, small enough to run
 * 9 loops per set; the noisy run's big enough that data quantity is not what holds the student back.
 * Round sizes are a fixed share of the budget, so every run has about the same number of rounds.
 * Gold is capped (imdb's 25,000 long test texts, re-scored every round of 10 runs, would take hours).
 */
const SIZES = {
  // 200 answers a round, so answers-to-target is read at a 200-answer resolution; 4,000 answers
  // keeps three datasets × 3 strategies × 3 seeds within about an hour on two cores.
  full: { budget: 4000, rounds: 20, noisyBudget: 10000, noisyRounds: 10, gold: 6000 },
  quick: { budget: 600, rounds: 6, noisyBudget: 1000, noisyRounds: 4, gold: Infinity },
};
const GOLD_SEED = 7;
/** Which test rows are held out: fixed, so every strategy and seed is scored on the same ones (as in skill targeting). */
export const HOLDOUT_SEED = 11;

/** Half of the test rows (indices, by distinct text) for the loop's validation, the rest held out. */
export function splitTest(texts: readonly string[]): { seen: number[]; held: number[] } {
  return splitByText(texts, 0.5, HOLDOUT_SEED);
}

const STRATEGIES = { loop: 'closed-loop', random: 'random', margin: 'margin' } as const;
type StrategyKey = keyof typeof STRATEGIES;

export interface Files {
  dir: string;
  teacher: string;
  pool: string;
  gold: string;
}

/** The dataset teacher's file (train rows, or their noisy labels), the pool (train texts) and the validation file, in a fresh temp dir. */
export function writeFiles(ds: Dataset, gold: readonly Row[], teacherRows: readonly Row[] = ds.train): Files {
  const dir = mkdtempSync(join(tmpdir(), `bench-loop-${ds.name}-`));
  const files = {
    dir,
    teacher: join(dir, 'teacher.jsonl'),
    pool: join(dir, 'pool.jsonl'),
    gold: join(dir, 'gold.jsonl'),
  };
  writeRows(files.teacher, teacherRows, ds.multiLabel);
  writeFileSync(files.pool, `${ds.train.map((r) => JSON.stringify({ text: r.text })).join('\n')}\n`);
  writeRows(files.gold, gold, ds.multiLabel);
  return files;
}

/** Through the same validation as a task file, so the benchmark cannot run a task a user could not write. */
function buildTask(ds: Dataset, files: Files, loop: Partial<LoopSettings>, budget: number, seed: number): Task {
  return taskFromObject(
    {
      name: `bench-${ds.name}`,
      instruction: `Classify the text into the ${ds.name} labels.`,
      multiLabel: ds.multiLabel,
      labels: ds.labels,
      pool: files.pool,
      eval: files.gold,
      // Noise, when any, is in the teacher's file (bench/lib/noise.ts), so its label answers and the
      // rows it hands out as "generated" carry the same wrong labels.
      teacher: { model: `dataset:${files.teacher}` },
      budget: { answers: budget },
      loop,
      seed,
    },
    { baseDir: files.dir },
  );
}

export async function runOne(task: Task, tmp: string, onRound?: DistillOptions['onRound']): Promise<DistillSummary> {
  const outDir = mkdtempSync(join(tmp, 'run-'));
  try {
    // A fresh MemoryStore per run: no cached answer may carry over between strategies or seeds.
    return await distill(task, { outDir, store: new MemoryStore(), overwrite: true, onRound });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export function curveOf(summary: DistillSummary): CurvePoint[] {
  return summary.rounds.filter((r) => r.gold).map((r) => ({ answers: r.answers, accuracy: r.gold!.accuracy }));
}

export {
  answersToTarget,
  answersToTargetInterpolated,
  medianAnswers,
  TARGET_SHARE,
  targetOf,
} from './lib/loop-math.js';

/** Plateau stopping off: every strategy spends its whole budget, so the curves are comparable end to end. */
export function roundPlan(budget: number, rounds: number): Partial<LoopSettings> {
  const perRound = Math.max(100, Math.ceil(budget / rounds / 100) * 100);
  const maxRounds = Math.ceil(budget / perRound) + 1;
  return { initialLabels: perRound, answersPerRound: perRound, maxRounds, patience: maxRounds + 1 };
}

export interface LoopOptions {
  quick: boolean;
  seeds: number[];
  /** The full-data student's test predictions (test order), to score it on the loop's gold rows. */
  studentPredictions: string[][];
  log: (msg: string) => void;
}

const cap = (indices: number[], max: number, seed: number) =>
  indices.length > max ? new Rng(seed).sample(indices, max).sort((a, b) => a - b) : indices;

/** The test split cut in two (checked disjoint by text), capped where huge: the loop's validation half and the held-out half. */
function halves(ds: Dataset, size: (typeof SIZES)['full']) {
  const split = splitTest(ds.test.map((r) => r.text));
  const overlap = overlapCount(
    ds.test.map((r) => r.text),
    split,
  );
  if (overlap > 0) throw new Error(`${overlap} held-out test texts are also in the loop's validation half`);
  // Capped where the test set is huge (imdb): every round of every run scores them.
  const heldIdx = cap(split.held, size.gold, GOLD_SEED);
  const seenIdx = cap(split.seen, size.gold, GOLD_SEED + 1);
  return {
    overlap,
    heldIdx,
    held: heldIdx.map((i) => ds.test[i]),
    validation: seenIdx.map((i) => ds.test[i]),
  };
}

const scoreRound = (held: readonly Row[], curve: CurvePoint[]) => (c: RoundCheckpoint) => {
  curve.push({ answers: c.answers, accuracy: evaluate(c.student, held).accuracy });
};

/** Answers to 95% of the full-data student for the closed loop, random and margin, every seed, scored on the held-out half. */
export async function runLoopEfficiency(ds: Dataset, o: LoopOptions): Promise<LoopResult> {
  const size = o.quick ? SIZES.quick : SIZES.full;
  const budget = Math.min(size.budget, ds.train.length);
  const loopSettings = roundPlan(budget, size.rounds);
  const { overlap, heldIdx, held, validation } = halves(ds, size);
  const fullAccuracy = scoreLabels(
    { ...ds, test: held },
    heldIdx.map((i) => o.studentPredictions[i]),
  ).accuracy;
  const target = targetOf(fullAccuracy);
  const files = writeFiles(ds, validation);
  try {
    const strategies = {} as Record<StrategyKey, LoopStrategyResult>;
    for (const key of Object.keys(STRATEGIES) as StrategyKey[]) {
      const curves: CurvePoint[][] = [];
      for (const seed of o.seeds) {
        const t0 = performance.now();
        const curve: CurvePoint[] = [];
        await runOne(
          buildTask(ds, files, { ...loopSettings, strategy: STRATEGIES[key] }, budget, seed),
          files.dir,
          scoreRound(held, curve),
        );
        curves.push(curve);
        const last = curve.at(-1);
        o.log(
          `  loop ${ds.name} ${key} seed ${seed}: ${last?.answers ?? 0} answers, held-out accuracy ${last?.accuracy.toFixed(3) ?? '-'}, to target ${answersToTarget(curve, target) ?? 'not reached'} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
        );
      }
      const perSeed = curves.map((c) => answersToTarget(c, target));
      strategies[key] = { perSeed, median: medianAnswers(perSeed), curves };
    }
    return {
      scoredOn: 'held-out',
      heldOutRows: held.length,
      validationRows: validation.length,
      heldOutSeed: HOLDOUT_SEED,
      overlap,
      fullAccuracy,
      target,
      budget,
      goldRows: held.length,
      seeds: o.seeds,
      settings: {
        ...loopSettings,
        fullDataStudent: "hashed-linear, library defaults (the loop students' settings), all of train",
      },
      answersTo95: {
        loop: strategies.loop.median,
        random: strategies.random.median,
        margin: strategies.margin.median,
      },
      strategies,
      curves: { loop: strategies.loop.curves, random: strategies.random.curves, margin: strategies.margin.curves },
    };
  } finally {
    rmSync(files.dir, { recursive: true, force: true });
  }
}

/**
 * The noisy teacher: text-dependent noise in its file, so label answers and "generated" rows share it.
 * Closed loop, first seed, validating on the loop half; teacher and final student scored on the held-out half.
 */
export async function runNoisyTeacher(
  ds: Dataset,
  o: Pick<LoopOptions, 'quick' | 'seeds' | 'log'>,
): Promise<NoisyResult> {
  const size = o.quick ? SIZES.quick : SIZES.full;
  const { held, validation } = halves(ds, size);
  const noiseSeed = o.seeds[0];
  const noisyRows = noisyTrain(ds.train, ds.labels, NOISE, noiseSeed);
  const noisyFiles = writeFiles(ds, validation, noisyRows);
  try {
    const noisyBudget = Math.min(size.noisyBudget, ds.train.length);
    const noisySettings = roundPlan(noisyBudget, size.noisyRounds);
    const curve: CurvePoint[] = [];
    const noisySummary = await runOne(
      buildTask(ds, noisyFiles, { ...noisySettings, strategy: 'closed-loop' }, noisyBudget, noiseSeed),
      noisyFiles.dir,
      scoreRound(held, curve),
    );
    const teacherOnHeld = noisyOther(held, ds.train, ds.labels, NOISE, noiseSeed);
    const teacherAcc = scoreLabels(
      { ...ds, test: held },
      teacherOnHeld.map((r) => r.labels),
    ).accuracy;
    const studentAcc = curve.at(-1)?.accuracy ?? 0;
    o.log(
      `  noisy ${ds.name}: train noise ${noiseRate(ds.train, noisyRows).toFixed(3)}, teacher ${teacherAcc.toFixed(3)} on held-out, student ${studentAcc.toFixed(3)}`,
    );
    return {
      noise: NOISE,
      noiseModel: NOISE_MODEL,
      trainNoise: noiseRate(ds.train, noisyRows),
      scoredOn: 'held-out',
      teacherAccuracy: teacherAcc,
      studentAccuracy: studentAcc,
      answers: noisySummary.teacher.answers,
      budget: noisyBudget,
      settings: { ...noisySettings, seed: noiseSeed, rounds: noisySummary.rounds.length },
    };
  } finally {
    rmSync(noisyFiles.dir, { recursive: true, force: true });
  }
}
