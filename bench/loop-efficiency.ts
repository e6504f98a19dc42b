/**
 * Loop efficiency: how many teacher answers each selection strategy needs to get the student to 95%
 * of what it reaches on the full training set, and what a noisy teacher does to the final student.
 * The teacher is the dataset itself (`dataset:` teacher over the train rows); gold is the test split.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distill } from '../src/run/distill.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { taskFromObject } from '../src/task/load.js';
import type { LoopSettings, Task } from '../src/task/schema.js';
import type { DistillOptions, DistillSummary } from '../src/run/types.js';
import { Rng } from '../src/util/random.js';
import { writeRows, type Dataset, type Row } from './lib/datasets.js';
import { scoreLabels } from './lib/score.js';
import type { CurvePoint, LoopResult, LoopStrategyResult, NoisyResult } from './lib/types.js';
import { teacherAccuracy } from './teacher-accuracy.js';

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

const STRATEGIES = { loop: 'closed-loop', random: 'random', margin: 'margin' } as const;
type StrategyKey = keyof typeof STRATEGIES;

export interface Files {
  dir: string;
  teacher: string;
  pool: string;
  gold: string;
}

/** The dataset teacher's file (train rows), the pool (train texts) and the gold file, in a fresh temp dir. */
export function writeFiles(ds: Dataset, gold: readonly Row[]): Files {
  const dir = mkdtempSync(join(tmpdir(), `bench-loop-${ds.name}-`));
  const files = {
    dir,
    teacher: join(dir, 'teacher.jsonl'),
    pool: join(dir, 'pool.jsonl'),
    gold: join(dir, 'gold.jsonl'),
  };
  writeRows(files.teacher, ds.train, ds.multiLabel);
  writeFileSync(files.pool, `${ds.train.map((r) => JSON.stringify({ text: r.text })).join('\n')}\n`);
  writeRows(files.gold, gold, ds.multiLabel);
  return files;
}

/** Through the same validation as a task file, so the benchmark cannot run a task a user could not write. */
function buildTask(
  ds: Dataset,
  files: Files,
  loop: Partial<LoopSettings>,
  budget: number,
  seed: number,
  noise: number,
): Task {
  return taskFromObject(
    {
      name: `bench-${ds.name}`,
      instruction: `Classify the text into the ${ds.name} labels.`,
      multiLabel: ds.multiLabel,
      labels: ds.labels,
      pool: files.pool,
      eval: files.gold,
      teacher: { model: `dataset:${files.teacher}`, noise },
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

/** The share of the full-data student's accuracy a loop must reach: the "95% of full-data accuracy". */
export const TARGET_SHARE = 0.95;

/** The accuracy the loop benches count answers to. */
export function targetOf(fullAccuracy: number): number {
  return TARGET_SHARE * fullAccuracy;
}

/** No interpolation: the answers spent by the first evaluated round at or over the target. */
export function answersToTarget(curve: CurvePoint[], target: number): number | null {
  return curve.find((p) => p.accuracy >= target)?.answers ?? null;
}

/**
 * Where the curve crosses the target, read off the line between the last round below it and the
 * first at or over it. Rounds come every few hundred answers, so `answersToTarget` moves in those
 * steps; this estimates the answers in between (null: never reached).
 */
export function answersToTargetInterpolated(curve: CurvePoint[], target: number): number | null {
  const i = curve.findIndex((p) => p.accuracy >= target);
  if (i < 0) return null;
  if (i === 0) return curve[0].answers;
  const a = curve[i - 1];
  const b = curve[i];
  return a.answers + ((target - a.accuracy) / (b.accuracy - a.accuracy)) * (b.answers - a.answers);
}

/** Median with "never reached" counted as infinitely many answers, so one failed seed cannot make a strategy look cheaper. */
export function medianAnswers(values: (number | null)[]): number | null {
  const sorted = values.map((v) => v ?? Infinity).sort((a, b) => a - b);
  const m =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return Number.isFinite(m) ? m : null;
}

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

export async function runLoopEfficiency(
  ds: Dataset,
  o: LoopOptions,
): Promise<{ loop: LoopResult; noisy: NoisyResult }> {
  const size = o.quick ? SIZES.quick : SIZES.full;
  const budget = Math.min(size.budget, ds.train.length);
  const loopSettings = roundPlan(budget, size.rounds);
  const picked =
    ds.test.length > size.gold
      ? new Rng(GOLD_SEED).sample([...ds.test.keys()], size.gold).sort((a, b) => a - b)
      : [...ds.test.keys()];
  const gold = picked.map((i) => ds.test[i]);
  const fullAccuracy = scoreLabels(
    { ...ds, test: gold },
    picked.map((i) => o.studentPredictions[i]),
  ).accuracy;
  const target = targetOf(fullAccuracy);
  const files = writeFiles(ds, gold);
  try {
    const strategies = {} as Record<StrategyKey, LoopStrategyResult>;
    for (const key of Object.keys(STRATEGIES) as StrategyKey[]) {
      const curves: CurvePoint[][] = [];
      for (const seed of o.seeds) {
        const t0 = performance.now();
        const summary = await runOne(
          buildTask(ds, files, { ...loopSettings, strategy: STRATEGIES[key] }, budget, seed, 0),
          files.dir,
        );
        const curve = curveOf(summary);
        curves.push(curve);
        const last = curve.at(-1);
        o.log(
          `  loop ${ds.name} ${key} seed ${seed}: ${last?.answers ?? 0} answers, gold accuracy ${last?.accuracy.toFixed(3) ?? '-'}, to target ${answersToTarget(curve, target) ?? 'not reached'} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
        );
      }
      const perSeed = curves.map((c) => answersToTarget(c, target));
      strategies[key] = { perSeed, median: medianAnswers(perSeed), curves };
    }

    const noisyBudget = Math.min(size.noisyBudget, ds.train.length);
    const noisySettings = roundPlan(noisyBudget, size.noisyRounds);
    const noisyTask = buildTask(
      ds,
      files,
      { ...noisySettings, strategy: 'closed-loop' },
      noisyBudget,
      o.seeds[0],
      NOISE,
    );
    const noisySummary = await runOne(noisyTask, files.dir);
    const teacherAcc = await teacherAccuracy({ ...ds, test: gold }, files.dir, NOISE, o.seeds[0]);
    o.log(
      `  noisy ${ds.name}: teacher ${teacherAcc.toFixed(3)} on gold, student ${noisySummary.final.accuracy.toFixed(3)}`,
    );

    return {
      loop: {
        fullAccuracy,
        target,
        budget,
        goldRows: gold.length,
        seeds: o.seeds,
        settings: loopSettings,
        answersTo95: {
          loop: strategies.loop.median,
          random: strategies.random.median,
          margin: strategies.margin.median,
        },
        strategies,
        curves: { loop: strategies.loop.curves, random: strategies.random.curves, margin: strategies.margin.curves },
      },
      noisy: {
        noise: NOISE,
        teacherAccuracy: teacherAcc,
        studentAccuracy: noisySummary.final.accuracy,
        answers: noisySummary.teacher.answers,
        budget: noisyBudget,
        settings: noisySettings,
      },
    };
  } finally {
    rmSync(files.dir, { recursive: true, force: true });
  }
}
