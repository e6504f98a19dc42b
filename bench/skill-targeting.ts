/**
 * Skill targeting: teacher answers the closed loop needs to reach 95% of the full-data student's
 * accuracy with the skill profile steering acquisition (`data.skillProfile: true`) and without,
 * everything else equal. Same setup as loop efficiency: the dataset teacher over the train rows,
 * the train texts as pool, the test split as gold, a fresh MemoryStore per run.
 */
import { rmSync } from 'node:fs';
import { taskFromObject } from '../src/task/load.js';
import type { DataSettings, LoopSettings, Task } from '../src/task/schema.js';
import type { Dataset } from './lib/datasets.js';
import { scoreLabels } from './lib/score.js';
import type { CurvePoint, SkillTargetingResult } from './lib/types.js';
import { answersToTarget, curveOf, medianAnswers, roundPlan, runOne, writeFiles, type Files } from './loop-efficiency.js';

export const SKILL_DATASETS: readonly string[] = ['banking77', 'emotion'];

const SIZES = {
  full: { budget: 4000, rounds: 20 },
  quick: { budget: 1000, rounds: 10 },
};
/** Both arms use the attribute strategy: with the profile it aims at the weak clusters, without it spreads evenly. */
const STRATEGIES: DataSettings['strategies'] = ['weak-label', 'hard-negative', 'attribute'];
const ARMS = { skills: true, plain: false } as const;
type Arm = keyof typeof ARMS;

function buildTask(ds: Dataset, files: Files, loop: Partial<LoopSettings>, skillProfile: boolean, budget: number, seed: number): Task {
  return taskFromObject({
    name: `bench-skills-${ds.name}`,
    instruction: `Classify the text into the ${ds.name} labels.`,
    multiLabel: ds.multiLabel,
    labels: ds.labels,
    pool: files.pool,
    eval: files.gold,
    teacher: { model: `dataset:${files.teacher}` },
    budget: { answers: budget },
    loop: { ...loop, strategy: 'closed-loop' },
    data: { strategies: STRATEGIES, skillProfile },
    seed,
  }, { baseDir: files.dir });
}

export interface SkillOptions {
  quick: boolean;
  seeds: number[];
  /** The full-data student's test predictions, in test order. */
  studentPredictions: string[][];
  log: (msg: string) => void;
}

export async function runSkillTargeting(ds: Dataset, o: SkillOptions): Promise<SkillTargetingResult> {
  const size = o.quick ? SIZES.quick : SIZES.full;
  const budget = Math.min(size.budget, ds.train.length);
  const settings = roundPlan(budget, size.rounds);
  const fullAccuracy = scoreLabels(ds, o.studentPredictions).accuracy;
  const target = 0.95 * fullAccuracy;
  const files = writeFiles(ds, ds.test);
  try {
    const curves = { skills: [] as CurvePoint[][], plain: [] as CurvePoint[][] };
    for (const arm of Object.keys(ARMS) as Arm[]) {
      for (const seed of o.seeds) {
        const t0 = performance.now();
        const curve = curveOf(await runOne(buildTask(ds, files, settings, ARMS[arm], budget, seed), files.dir));
        curves[arm].push(curve);
        o.log(`  skills ${ds.name} ${arm} seed ${seed}: gold accuracy ${curve.at(-1)?.accuracy.toFixed(3) ?? '-'}, to target ${answersToTarget(curve, target) ?? 'not reached'} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      }
    }
    const perSeed = { skills: curves.skills.map((c) => answersToTarget(c, target)), plain: curves.plain.map((c) => answersToTarget(c, target)) };
    const answersTo95 = { skills: medianAnswers(perSeed.skills), plain: medianAnswers(perSeed.plain) };
    const final = (arm: Arm) => mean(curves[arm].map((c) => c.at(-1)?.accuracy ?? 0));
    return {
      fullAccuracy,
      target,
      budget,
      seeds: o.seeds,
      settings: { ...settings, strategies: STRATEGIES },
      answersTo95,
      perSeed,
      ratio: answersTo95.skills !== null && answersTo95.plain !== null ? answersTo95.skills / answersTo95.plain : null,
      finalAccuracy: { skills: final('skills'), plain: final('plain') },
      curves,
    };
  } finally {
    rmSync(files.dir, { recursive: true, force: true });
  }
}

const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
