/**
 * The data-quality measurements of one dataset: label-noise detection and repair, and (on the
 * sets with a target) skill-targeted acquisition. A failure is noted in `skipped`, never fatal.
 */
import type { Dataset } from './lib/datasets.js';
import type { DatasetResult } from './lib/types.js';
import { runLabelNoise } from './label-noise.js';
import { runSkillTargeting, SKILL_DATASETS } from './skill-targeting.js';

export interface DataRunOptions {
  quick: boolean;
  /** Off with --only-skills. */
  labelNoise: boolean;
  /** Skill targeting runs 2 × seeds whole loops: on in a full run, in a quick one only when asked (`--skills`). */
  skills: boolean;
  seeds: number[];
  studentPredictions: string[][] | null;
  log: (msg: string) => void;
}

export async function runDataBenches(ds: Dataset, result: DatasetResult, o: DataRunOptions): Promise<void> {
  if (o.labelNoise) {
    await attempt(result, 'label noise', o.log, async () => {
      result.labelNoise = await runLabelNoise(ds, { seed: o.seeds[0], log: o.log });
    });
  }
  if (!SKILL_DATASETS.includes(ds.name)) return;
  if (!o.skills)
    return void result.skipped.push('skill targeting: not asked for (--no-skills, or a quick run without --skills)');
  const studentPredictions = o.studentPredictions;
  if (!studentPredictions)
    return void result.skipped.push('skill targeting: needs the full-data student accuracy, and the student failed');
  await attempt(result, 'skill targeting', o.log, async () => {
    result.skills = await runSkillTargeting(ds, { quick: o.quick, seeds: o.seeds, studentPredictions, log: o.log });
  });
}

async function attempt(
  result: DatasetResult,
  what: string,
  log: (msg: string) => void,
  run: () => Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (e) {
    result.skipped.push(`${what} failed: ${(e as Error).message.split('\n')[0]}`);
    log(`  ${what} FAILED: ${(e as Error).stack ?? e}`);
  }
}
