/**
 * Label-noise detection: the train split labeled by the benchmark's noisy teacher (15% text-dependent
 * noise, bench/lib/noise.ts), then confident learning over 5-fold out-of-fold student probabilities.
 * Scored against the dataset's own labels; then the student is trained on the noisy labels, on them
 * with the flagged rows relabeled by a second noisy teacher (same noise model, another seed: asking the
 * first again would return the same answer), and with them dropped. The dataset's labels are never
 * used to repair anything.
 */
import { dropIssues, findLabelIssues } from '../src/data/label-noise/index.js';
import { evaluate } from '../src/metrics/index.js';
import { trainStudent } from '../src/student/registry.js';
import type { Dataset, Row } from './lib/datasets.js';
import { NOISE_MODEL, noisyTrain } from './lib/noise.js';
import type { LabelNoiseResult } from './lib/types.js';
import { STUDENT_SEED } from './peers/student.js';

export const LABEL_NOISE = 0.15;
const FOLDS = 5;
/** The repair teacher's seed offset: a different fold split of its reference model and different draws. */
const REPAIR_SEED_OFFSET = 1000;

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

export async function runLabelNoise(
  ds: Dataset,
  o: { seed: number; log: (msg: string) => void },
): Promise<LabelNoiseResult> {
  const noisy = noisyTrain(ds.train, ds.labels, LABEL_NOISE, o.seed);
  const second = noisyTrain(ds.train, ds.labels, LABEL_NOISE, o.seed + REPAIR_SEED_OFFSET);
  const wrong = new Set(noisy.flatMap((r, i) => (same(r.labels, ds.train[i].labels) ? [] : [i])));
  const options = { labels: ds.labels, multiLabel: ds.multiLabel, seed: STUDENT_SEED };
  const issues = findLabelIssues(noisy, { ...options, folds: FOLDS });
  const hits = issues.filter((i) => wrong.has(i.index)).length;

  const accuracy = (rows: readonly Row[]) =>
    evaluate(trainStudent('hashed-linear', rows, options, {}), ds.test).accuracy;
  const flagged = new Set(issues.map((i) => i.index));
  const repaired = noisy.map((r, i) => (flagged.has(i) ? second[i] : r));
  const result: LabelNoiseResult = {
    noise: LABEL_NOISE,
    noiseModel: NOISE_MODEL,
    repairTeacher: `a second noisy teacher: the same noise model with seed ${o.seed + REPAIR_SEED_OFFSET}`,
    repairedCorrect: [...flagged].filter((i) => same(repaired[i].labels, ds.train[i].labels)).length,
    wrong: wrong.size,
    flagged: issues.length,
    recall: wrong.size ? hits / wrong.size : 0,
    precision: issues.length ? hits / issues.length : 0,
    folds: FOLDS,
    accuracyClean: accuracy(ds.train),
    accuracyNoisy: accuracy(noisy),
    accuracyRepaired: accuracy(repaired),
    accuracyDropped: accuracy(dropIssues(noisy, issues)),
  };
  o.log(
    `  label noise ${ds.name}: ${result.wrong} wrong, ${result.flagged} flagged, recall ${result.recall.toFixed(3)}, precision ${result.precision.toFixed(3)}, repaired correctly ${result.repairedCorrect}; ` +
      `test accuracy clean ${result.accuracyClean.toFixed(3)}, noisy ${result.accuracyNoisy.toFixed(3)}, repaired ${result.accuracyRepaired.toFixed(3)}, dropped ${result.accuracyDropped.toFixed(3)}`,
  );
  return result;
}
