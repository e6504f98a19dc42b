import type { Dataset } from './lib/datasets.js';
import { ratios, score } from './lib/score.js';
import type { DatasetResult, Measured, ModelResult } from './lib/types.js';
import { runFastText } from './peers/fasttext.js';
import { runSklearn } from './peers/sklearn.js';
import { runStudent } from './peers/student.js';

type ModelKey = 'student' | 'fasttext' | 'sklearn_svm' | 'sklearn_svm_char' | 'sklearn_lr';

const RUNNERS: Record<ModelKey, (ds: Dataset, quick: boolean) => Promise<Measured>> = {
  student: runStudent,
  fasttext: runFastText,
  sklearn_svm: (ds, quick) => runSklearn(ds, 'svm', quick),
  sklearn_svm_char: (ds, quick) => runSklearn(ds, 'svm_char', quick),
  sklearn_lr: (ds, quick) => runSklearn(ds, 'lr', quick),
};

/** Student and peers on the same split, one after another: never two timed processes at once. */
export async function compareModels(
  ds: Dataset,
  quick: boolean,
  log: (msg: string) => void,
  provenance: { commit: string; command: string; startedAt: string },
  skipModels = false,
): Promise<{ result: DatasetResult; studentPredictions: string[][] | null }> {
  let studentPredictions: string[][] | null = null;
  const result: DatasetResult = {
    dataset: ds.name,
    ...provenance,
    validation: {
      source: ds.tuning.source,
      rows: ds.tuning.validation.length,
      fitRows: ds.tuning.fit.length,
      seed: ds.tuning.seed,
      share: ds.tuning.share,
    },
    multiLabel: ds.multiLabel,
    n_train: ds.train.length,
    n_test: ds.test.length,
    labels: ds.labels.length,
    note: ds.note ?? null,
    student: null,
    fasttext: null,
    sklearn_svm: null,
    sklearn_svm_char: null,
    sklearn_lr: null,
    ratios: { fasttext: null, sklearn_svm: null, sklearn_svm_char: null, sklearn_lr: null },
    loop: null,
    noisy: null,
    skipped: [],
  };
  if (skipModels) result.skipped.push("models: --skip-models (an earlier run's stay, labelled with its commit)");
  for (const key of skipModels ? [] : (Object.keys(RUNNERS) as ModelKey[])) {
    try {
      const t0 = performance.now();
      const measured = await RUNNERS[key](ds, quick);
      if (key === 'student') studentPredictions = measured.predictions;
      const r: ModelResult = score(ds, measured);
      result[key] = r;
      log(
        `  ${key.padEnd(16)} accuracy ${r.accuracy.toFixed(3)} (validation ${r.validationAccuracy?.toFixed(3) ?? '-'})  macro-F1 ${r.macroF1.toFixed(3)}  train ${r.trainSeconds.toFixed(2)} s (median of ${r.runs})  ${fmt(r.peakMB)} MB  ${fmt(r.predictPerSecond)} texts/s  ${(r.modelBytes / 1024).toFixed(0)} KiB` +
          (r.quantizedBytes !== undefined
            ? `  quantized ${(r.quantizedBytes / 1024).toFixed(0)} KiB at ${r.quantizedAccuracy?.toFixed(3)}`
            : '') +
          `  [${((performance.now() - t0) / 1000).toFixed(0)} s with tuning]`,
      );
    } catch (e) {
      result.skipped.push(`${key} failed: ${(e as Error).message.split('\n')[0]}`);
      log(`  ${key} FAILED: ${(e as Error).message}`);
    }
  }
  if (result.student) {
    for (const peer of ['fasttext', 'sklearn_svm', 'sklearn_svm_char', 'sklearn_lr'] as const) {
      const p = result[peer];
      if (p) result.ratios[peer] = ratios(result.student, p);
    }
  }
  return { result, studentPredictions };
}

const fmt = (v: number | null) => (v === null ? '-' : v.toFixed(0));
