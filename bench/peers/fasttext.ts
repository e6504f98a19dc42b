import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/util/random.js';
import type { Dataset, Row } from '../lib/datasets.js';
import { atLeastOneFromTrain } from '../lib/decode.js';
import { sizes } from '../lib/measure.js';
import { runProc } from '../lib/proc.js';
import { scoreLabels } from '../lib/score.js';
import { timeModel, timeThroughput } from '../lib/timed.js';
import { fromTiming, type Measured } from '../lib/types.js';
import { ftLabel, parseFastTextPredictions } from './fasttext-parse.js';

/** The same small grid on every dataset, chosen on its validation split. */
export const FT_GRID = { epoch: [10, 25, 50], lr: [0.25, 0.5, 1.0] };
/** Fixed for every set: the settings of the fastText reference runs (word bigrams, char 3–5-grams, dim 100). */
const FIXED = ['-dim', '100', '-wordNgrams', '2', '-minn', '3', '-maxn', '5', '-thread', '1', '-seed', '1'];
/**
 * Quantization: `-qnorm -retrain -dsub 4` with fastText's own retrain defaults (epoch 5, lr 0.1), one
 * thread; the cutoff (how many words and n-grams are kept) is chosen on validation: the smallest file
 * within QUANT_TOLERANCE of the unquantized model's validation accuracy, else the most accurate.
 */
export const FT_CUTOFFS = [5000, 10000, 20000, 50000, 100000];
export const QUANT_TOLERANCE = 0.005;

/** The fastText tutorial's preprocessing: punctuation split off, lowercase. fastText itself only splits on whitespace. */
export function ftText(text: string): string {
  return text
    .replace(/([.!?,'/()":;])/g, ' $1 ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

const SHUFFLE_SEED = 1;

/** fastText reads its input in order and does not shuffle: a file sorted by label (imdb's is) would leave the decaying learning rate on the last label's rows. */
function writeTrain(file: string, rows: readonly Row[]): void {
  const lines = new Rng(SHUFFLE_SEED).shuffle(rows.map((r) => `${r.labels.map(ftLabel).join(' ')} ${ftText(r.text)}`));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

const writeTexts = (file: string, texts: readonly string[]) => writeFileSync(file, `${texts.map(ftText).join('\n')}\n`);

/** Picks the cutoff as documented on FT_CUTOFFS. */
export function chooseCutoff(
  candidates: { cutoff: number; bytes: number; accuracy: number }[],
  unquantizedAccuracy: number,
): { cutoff: number; bytes: number; accuracy: number } {
  const ok = candidates.filter((c) => c.accuracy >= unquantizedAccuracy - QUANT_TOLERANCE);
  if (ok.length) return ok.reduce((a, b) => (b.bytes < a.bytes ? b : a));
  return candidates.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
}

export async function runFastText(ds: Dataset, quick: boolean): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), `bench-ft-${ds.name}-`));
  try {
    const f = (name: string) => join(dir, name);
    const multi = ds.multiLabel ? { atLeastOne: atLeastOneFromTrain(ds.train) } : null;
    const loss = ds.multiLabel ? ['-loss', 'ova'] : [];
    const predictArgs = (model: string, texts: string) =>
      ds.multiLabel ? ['predict-prob', model, texts, '-1', '0'] : ['predict', model, texts, '1'];
    const predict = async (model: string, rows: readonly Row[], file: string) => {
      writeTexts(
        file,
        rows.map((r) => r.text),
      );
      const out = await runProc('fasttext', predictArgs(model, file));
      return parseFastTextPredictions(out.stdout, rows.length, ds.labels, multi);
    };
    const accuracyOn = async (model: string, rows: Row[]) =>
      scoreLabels({ ...ds, test: rows }, await predict(model, rows, f('val.txt'))).accuracy;
    const supervised = (input: string, out: string, p: { epoch: number; lr: number }) => [
      'supervised',
      '-input',
      input,
      '-output',
      out,
      '-epoch',
      `${p.epoch}`,
      '-lr',
      `${p.lr}`,
      ...FIXED,
      ...loss,
    ];

    // 1. epoch × lr on the validation split (untimed).
    writeTrain(f('fit.txt'), ds.tuning.fit);
    const grid: { epoch: number; lr: number; accuracy: number }[] = [];
    const bestFit = f('fit-best');
    for (const epoch of FT_GRID.epoch)
      for (const lr of FT_GRID.lr) {
        await runProc('fasttext', supervised(f('fit.txt'), f('fit-try'), { epoch, lr }));
        const accuracy = await accuracyOn(f('fit-try.bin'), ds.tuning.validation);
        // Keep only the best model so far: each is 0.4–0.8 GB.
        if (grid.every((g) => accuracy > g.accuracy)) renameSync(f('fit-try.bin'), `${bestFit}.bin`);
        else rmSync(f('fit-try.bin'));
        rmSync(f('fit-try.vec'), { force: true });
        grid.push({ epoch, lr, accuracy });
      }
    const best = grid.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));

    // 2. Quantization cutoff on the validation split (untimed).
    const quantize = (input: string, out: string, cutoff: number) =>
      runProc('fasttext', [
        'quantize',
        '-input',
        input,
        '-output',
        out,
        '-qnorm',
        '-retrain',
        '-cutoff',
        `${cutoff}`,
        '-dsub',
        '4',
        '-thread',
        '1',
      ]);
    const cutoffs: { cutoff: number; bytes: number; accuracy: number }[] = [];
    for (const cutoff of FT_CUTOFFS) {
      await quantize(f('fit.txt'), bestFit, cutoff);
      cutoffs.push({
        cutoff,
        bytes: statSync(`${bestFit}.ftz`).size,
        accuracy: await accuracyOn(`${bestFit}.ftz`, ds.tuning.validation),
      });
    }
    const chosen = chooseCutoff(cutoffs, best.accuracy);
    rmSync(`${bestFit}.bin`, { force: true });

    // 3. The final model on all of train, timed like every model; then its quantized file.
    writeTrain(f('train.txt'), ds.train);
    const model = f('model.bin');
    const { throughputLines } = sizes(quick);
    const testTexts = ds.test.map((r) => r.text);
    const t = await timeModel(
      {
        dir,
        train: { cmd: 'fasttext', args: supervised(f('train.txt'), f('model'), best) },
        // The final progress line is printed, then a newline, when training ends and before the model is saved.
        markStderr: /100\.0%[^\r]*\n/,
        predict: (texts) => ({ cmd: 'fasttext', args: predictArgs(model, texts) }),
        writeTexts,
      },
      testTexts,
      { throughputLines, latencyTexts: 0 },
    );
    const predictions = await predict(model, ds.test, f('test.txt'));
    const modelBytes = statSync(model).size;
    const q0 = performance.now();
    await quantize(f('train.txt'), f('model'), chosen.cutoff);
    const quantizeSeconds = (performance.now() - q0) / 1000;
    const ftz = f('model.ftz');
    const quantizedPredictions = await predict(ftz, ds.test, f('test.txt'));
    const quantizedThroughput = await timeThroughput(
      { dir, predict: (texts) => ({ cmd: 'fasttext', args: predictArgs(ftz, texts) }), writeTexts },
      testTexts,
      throughputLines,
      undefined,
      '-ftz',
    );
    return {
      ...fromTiming(t),
      modelBytes,
      quantizedBytes: statSync(ftz).size,
      quantizedAccuracy: scoreLabels(ds, quantizedPredictions).accuracy,
      quantizedPredictPerSecond: quantizedThroughput?.median ?? null,
      predictions,
      validationAccuracy: best.accuracy,
      settings: {
        epoch: best.epoch,
        lr: best.lr,
        dim: 100,
        wordNgrams: 2,
        minn: 3,
        maxn: 5,
        thread: 1,
        bucket: 2_000_000,
        loss: ds.multiLabel ? 'ova' : 'softmax',
        multiLabelDecision: multi ? `probability ≥ 0.5${multi.atLeastOne ? ', top label if none' : ''}` : null,
        tuning: { grid, chosenOn: 'validation' },
        quantize: {
          command: `fasttext quantize -input TRAIN -output MODEL -qnorm -retrain -cutoff ${chosen.cutoff} -dsub 4 -thread 1`,
          cutoff: chosen.cutoff,
          cutoffs,
          rule: `smallest .ftz within ${QUANT_TOLERANCE * 100} pt of the unquantized validation accuracy`,
          seconds: quantizeSeconds,
          throughput: quantizedThroughput,
        },
        fitTimedTo: 'end of training (last progress line, before saving), from the same runs',
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
