import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Dataset, writeRows } from '../lib/datasets.js';
import { atLeastOneFromTrain } from '../lib/decode.js';
import { sizes } from '../lib/measure.js';
import { runProc } from '../lib/proc.js';
import { requirePython } from '../lib/setup.js';
import { fileBytes, timeModel, writeJsonTexts } from '../lib/timed.js';
import { fromTiming, type Measured } from '../lib/types.js';

const SCRIPT = fileURLToPath(new URL('./sklearn_peer.py', import.meta.url));

export type SklearnKind = 'svm' | 'svm_char' | 'lr';

const DESCRIBE: Record<SklearnKind, string> = {
  svm: 'TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True) + LinearSVC(C)',
  svm_char:
    "FeatureUnion(TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True), TfidfVectorizer(analyzer='char_wb', ngram_range=(2,5), sublinear_tf=True, min_df=2)) + LinearSVC(C)",
  lr: 'TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True) + LogisticRegression(C, max_iter=1000)',
};

/** A scikit-learn pipeline, C chosen on the validation split, then trained and timed like every model. */
export async function runSklearn(ds: Dataset, kind: SklearnKind, quick: boolean): Promise<Measured> {
  const python = requirePython();
  const dir = mkdtempSync(join(tmpdir(), `bench-sk-${ds.name}-`));
  try {
    const f = (name: string) => join(dir, name);
    const multi = ds.multiLabel ? 'multi' : 'single';
    const atLeastOne = ds.multiLabel && atLeastOneFromTrain(ds.train) ? '1' : '0';
    writeRows(f('train.jsonl'), ds.train, ds.multiLabel);
    writeRows(f('fit.jsonl'), ds.tuning.fit, ds.multiLabel);
    writeRows(f('val.jsonl'), ds.tuning.validation, ds.multiLabel);
    const py = (...args: string[]) => ({ cmd: python, args: [SCRIPT, ...args] });

    const tune = await runProc(python, [SCRIPT, 'tune', f('fit.jsonl'), f('val.jsonl'), kind, multi, atLeastOne]);
    const tuned = JSON.parse(tune.stdout.trim().split('\n').pop() as string) as {
      sklearn: string;
      scores: { C: number; accuracy: number }[];
    };
    const best = tuned.scores.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));

    const model = f('model.pkl');
    const { latencyTexts, throughputLines } = sizes(quick);
    const testTexts = ds.test.map((r) => r.text);
    const t = await timeModel(
      {
        dir,
        train: py('train', f('train.jsonl'), kind, `${best.C}`, model, multi),
        fitSecondsOf: (stdout) =>
          (JSON.parse(stdout.trim().split('\n').pop() as string) as { fitSeconds: number }).fitSeconds,
        predict: (texts, out) => py('predict', model, texts, out, atLeastOne),
        writeTexts: writeJsonTexts,
        latency: (texts, n) => py('latency', model, texts, `${n}`),
      },
      testTexts,
      { throughputLines, latencyTexts },
    );
    writeJsonTexts(f('test.texts'), testTexts);
    await runProc(python, [SCRIPT, 'predict', model, f('test.texts'), f('pred.jsonl'), atLeastOne]);
    const predictions = readFileSync(f('pred.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as string[]);
    return {
      ...fromTiming(t),
      modelBytes: fileBytes(model),
      predictions,
      validationAccuracy: best.accuracy,
      settings: {
        sklearn: tuned.sklearn,
        pipeline: DESCRIBE[kind],
        C: best.C,
        tuning: { grid: tuned.scores, chosenOn: 'validation' },
        multiLabel: ds.multiLabel ? 'OneVsRestClassifier' : null,
        multiLabelDecision: ds.multiLabel
          ? `${kind === 'lr' ? 'probability ≥ 0.5' : 'decision value > 0'}${atLeastOne === '1' ? ', top label if none' : ''}`
          : null,
        latencyTexts: Math.min(latencyTexts, ds.test.length),
        threads: 1,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
