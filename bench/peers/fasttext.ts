import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Rng } from '../../src/util/random.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset } from '../lib/datasets.js';
import { runProc } from '../lib/proc.js';
import { repeatTo, sizes } from '../lib/measure.js';
import type { Measured } from '../lib/types.js';

interface FastTextParams {
  epoch: number;
  lr: number;
  dim: number;
}

/** Tuned settings from the reference runs (docs/benchmarks.md); datasets without one get the small-set settings. */
const TUNED: Record<string, FastTextParams> = { banking77: { epoch: 50, lr: 1.0, dim: 100 } };
const DEFAULT: FastTextParams = { epoch: 25, lr: 0.5, dim: 50 };

/** The fastText tutorial's preprocessing: punctuation split off, lowercase. fastText itself only splits on whitespace. */
export function ftText(text: string): string {
  return text
    .replace(/([.!?,'/()":;])/g, ' $1 ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

const SHUFFLE_SEED = 1;

const ftLabel = (l: string) => `__label__${l.replace(/\s/g, '_')}`;

export async function runFastText(ds: Dataset, quick: boolean): Promise<Measured> {
  const p = TUNED[ds.name] ?? DEFAULT;
  const dir = mkdtempSync(join(tmpdir(), `bench-ft-${ds.name}-`));
  try {
    const train = join(dir, 'train.txt');
    const test = join(dir, 'test.txt');
    // fastText reads its input in order and does not shuffle: a file sorted by label (imdb's is)
    // leaves the decaying learning rate on the last label's rows and a model that predicts it.
    const lines = new Rng(SHUFFLE_SEED).shuffle(
      ds.train.map((r) => `${r.labels.map(ftLabel).join(' ')} ${ftText(r.text)}`),
    );
    writeFileSync(train, `${lines.join('\n')}\n`);
    const testLines = ds.test.map((r) => ftText(r.text));
    writeFileSync(test, `${testLines.join('\n')}\n`);

    const args = [
      'supervised',
      '-input',
      train,
      '-output',
      join(dir, 'model'),
      '-epoch',
      `${p.epoch}`,
      '-lr',
      `${p.lr}`,
      '-dim',
      `${p.dim}`,
      '-wordNgrams',
      '2',
      '-minn',
      '3',
      '-maxn',
      '5',
      '-thread',
      '1',
      '-seed',
      '1',
      ...(ds.multiLabel ? ['-loss', 'ova'] : []),
    ];
    // The final progress line is printed, then a newline, when training ends and before the model is saved.
    const fit = await runProc('fasttext', args, { measureMemory: true, markStderr: /100\.0%[^\r]*\n/ });
    const model = join(dir, 'model.bin');

    const k = ds.multiLabel ? ['-1', '0.5'] : ['1'];
    const pred = await runProc('fasttext', ['predict', model, test, ...k]);
    const labelOf = new Map(ds.labels.map((l) => [ftLabel(l), l]));
    const predictions = pred.stdout
      .split('\n')
      .slice(0, ds.test.length)
      .map((line) =>
        line
          .split(' ')
          .filter(Boolean)
          .map((t) => labelOf.get(t) ?? t.replace(/^__label__/, '')),
      );

    const throughput = await measureThroughput(dir, model, testLines, k, sizes(quick).throughputLines);
    return {
      trainSeconds: fit.markSeconds ?? fit.wallSeconds,
      peakMB: fit.peakMB,
      predictPerSecond: throughput,
      latencyP50Micros: null,
      latencyP99Micros: null,
      latencyMeanMicros: throughput ? 1e6 / throughput : null,
      modelBytes: statSync(model).size,
      predictions,
      settings: {
        ...p,
        wordNgrams: 2,
        minn: 3,
        maxn: 5,
        thread: 1,
        loss: ds.multiLabel ? 'ova' : 'softmax',
        bucket: 2_000_000,
        processSeconds: fit.wallSeconds,
        trainTimedTo: fit.markSeconds === null ? 'process exit' : 'end of training (before saving)',
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `fasttext predict` over the repeated test texts minus the same command over one line: prediction time without loading the model. */
async function measureThroughput(
  dir: string,
  model: string,
  lines: string[],
  k: string[],
  minLines: number,
): Promise<number | null> {
  const one = join(dir, 'one.txt');
  const many = join(dir, 'many.txt');
  writeFileSync(one, `${lines[0]}\n`);
  const all = repeatTo(lines, minLines);
  writeFileSync(many, `${all.join('\n')}\n`);
  const n = all.length;
  const best = async (file: string, runs: number) => {
    let min = Infinity;
    for (let i = 0; i < runs; i++)
      min = Math.min(min, (await runProc('fasttext', ['predict', model, file, ...k])).wallSeconds);
    return min;
  };
  const load = await best(one, 3);
  const total = await best(many, 2);
  return total > load ? n / (total - load) : null;
}
