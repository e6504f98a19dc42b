/**
 * Skill targeting: teacher answers the closed loop needs to reach 95% of the full-data student's
 * accuracy with the skill profile steering acquisition (`data.skillProfile: steer`) and without
 * (`report`: measured, steering nothing),
 * everything else equal. Same setup as loop efficiency (the dataset teacher over the train rows,
 * the train texts as pool, a fresh MemoryStore per run), except for the gold rows: the profile is
 * built from the loop's validation errors, and anything aimed at those rows looks better on them
 * than it is. So half of the test split is the loop's eval file and the other half, which the loop
 * never sees, scores every round's student (through `onRound`, with `evaluate`, as the loop scores
 * its own half).
 */
import { rmSync } from 'node:fs';
import { taskFromObject } from '../src/task/load.js';
import type { DataSettings, LoopSettings, SkillProfileMode, Task } from '../src/task/schema.js';
import { evaluate } from '../src/metrics/index.js';
import type { Dataset } from './lib/datasets.js';
import { scoreLabels } from './lib/score.js';
import type { CurvePoint, SkillTargetingResult, SkillTargetingScore } from './lib/types.js';
import {
  answersToTarget,
  answersToTargetInterpolated,
  curveOf,
  HOLDOUT_SEED,
  medianAnswers,
  roundPlan,
  runOne,
  splitTest,
  targetOf,
  writeFiles,
  type Files,
} from './loop-efficiency.js';

export const SKILL_DATASETS: readonly string[] = ['banking77', 'emotion'];

const SIZES = {
  full: { budget: 4000, rounds: 20 },
  quick: { budget: 1000, rounds: 10 },
};
/** Both arms use the attribute strategy: with the profile it aims at the weak clusters, without it spreads evenly. */
const STRATEGIES: DataSettings['strategies'] = ['weak-label', 'hard-negative', 'attribute'];
const ARMS = { skills: 'steer', plain: 'report' } as const;
type Arm = keyof typeof ARMS;

function buildTask(
  ds: Dataset,
  files: Files,
  loop: Partial<LoopSettings>,
  skillProfile: SkillProfileMode,
  budget: number,
  seed: number,
): Task {
  return taskFromObject(
    {
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
    },
    { baseDir: files.dir },
  );
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
  // The same halves as loop efficiency, cut by distinct text so no held-out text is in the eval file.
  const split = splitTest(ds.test.map((r) => r.text));
  const seenSet = { ...ds, test: split.seen.map((i) => ds.test[i]) };
  const heldSet = { ...ds, test: split.held.map((i) => ds.test[i]) };
  const fullOn = (set: Dataset, indices: number[]) =>
    scoreLabels(
      set,
      indices.map((i) => o.studentPredictions[i]),
    ).accuracy;
  const full = { seen: fullOn(seenSet, split.seen), held: fullOn(heldSet, split.held) };
  const files = writeFiles(ds, seenSet.test);
  try {
    const held = { skills: [] as CurvePoint[][], plain: [] as CurvePoint[][] };
    const seen = { skills: [] as CurvePoint[][], plain: [] as CurvePoint[][] };
    for (const arm of Object.keys(ARMS) as Arm[]) {
      for (const seed of o.seeds) {
        const t0 = performance.now();
        const curve: CurvePoint[] = [];
        const summary = await runOne(buildTask(ds, files, settings, ARMS[arm], budget, seed), files.dir, (c) =>
          curve.push({ answers: c.answers, accuracy: evaluate(c.student, heldSet.test).accuracy }),
        );
        held[arm].push(curve);
        seen[arm].push(curveOf(summary));
        o.log(
          `  skills ${ds.name} ${arm} seed ${seed}: held-out accuracy ${curve.at(-1)?.accuracy.toFixed(3) ?? '-'}, to target ${answersToTarget(curve, targetOf(full.held)) ?? 'not reached'} (on the loop's half: ${answersToTarget(seen[arm].at(-1)!, targetOf(full.seen)) ?? 'not reached'}) (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
        );
      }
    }
    return {
      ...scoreCurves(held, full.held, heldSet.test.length),
      budget,
      seeds: o.seeds,
      settings: { ...settings, strategies: STRATEGIES, heldOutSeed: HOLDOUT_SEED },
      curves: held,
      seen: scoreCurves(seen, full.seen, seenSet.test.length),
    };
  } finally {
    rmSync(files.dir, { recursive: true, force: true });
  }
}

function scoreCurves(curves: Record<Arm, CurvePoint[][]>, fullAccuracy: number, rows: number): SkillTargetingScore {
  const target = targetOf(fullAccuracy);
  const byArm = <T>(f: (curve: CurvePoint[]) => T) => ({ skills: curves.skills.map(f), plain: curves.plain.map(f) });
  const medians = (per: Record<Arm, (number | null)[]>) => ({
    skills: medianAnswers(per.skills),
    plain: medianAnswers(per.plain),
  });
  const ratioOf = (m: Record<Arm, number | null>) =>
    m.skills !== null && m.plain !== null ? m.skills / m.plain : null;
  const perSeed = byArm((c) => answersToTarget(c, target));
  const answersTo95 = medians(perSeed);
  const between = byArm((c) => answersToTargetInterpolated(c, target));
  const betweenMedians = medians(between);
  const final = (arm: Arm) => mean(curves[arm].map((c) => c.at(-1)?.accuracy ?? 0));
  return {
    rows,
    fullAccuracy,
    target,
    answersTo95,
    perSeed,
    ratio: ratioOf(answersTo95),
    interpolated: { ...betweenMedians, perSeed: between, ratio: ratioOf(betweenMedians) },
    finalAccuracy: { skills: final('skills'), plain: final('plain') },
  };
}

const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
