import { describe, expect, it } from 'vitest';
import type { BenchResults, DatasetResult, ModelResult } from '../lib/types.js';
import { checkTargets } from './targets.js';

const t = (median: number) => ({ median, min: median * 0.9, max: median * 1.1, runs: 3, values: [median] });

function model(accuracy: number, extra: Partial<ModelResult> = {}): ModelResult {
  return {
    accuracy,
    macroF1: accuracy,
    microF1: null,
    trainSeconds: 1,
    peakMB: 10,
    predictPerSecond: 1000,
    latencyP50Micros: null,
    latencyP99Micros: null,
    latencyMeanMicros: null,
    runs: 3,
    timing: {
      trainSeconds: t(1),
      fitSeconds: null,
      peakMB: t(10),
      predictPerSecond: t(1000),
      latencyP50Micros: null,
      latencyP99Micros: null,
      method: '',
    },
    modelBytes: 1000,
    validationAccuracy: accuracy,
    settings: {},
    ...extra,
  };
}

function dataset(over: Partial<DatasetResult>): DatasetResult {
  const student = model(0.9, { modelBytes: 300, trainSeconds: 1, predictPerSecond: 5000 });
  const fasttext = model(0.88, { modelBytes: 800e6, quantizedBytes: 1000, quantizedAccuracy: 0.87, trainSeconds: 20 });
  return {
    dataset: 'banking77',
    commit: 'c',
    command: 'npm run bench',
    startedAt: 't',
    validation: { source: 'carved', rows: 1, fitRows: 1, seed: 43, share: 0.1 },
    multiLabel: false,
    n_train: 1,
    n_test: 1,
    labels: 2,
    note: null,
    student,
    fasttext,
    sklearn_svm: model(0.89),
    sklearn_svm_char: model(0.895),
    sklearn_lr: model(0.85),
    ratios: {
      fasttext: {
        accuracyPoints: 2,
        macroF1Points: 2,
        trainSeconds: 0.05,
        modelBytes: 300 / 800e6,
        quantizedModelBytes: 0.3,
        quantizedAccuracyPoints: 3,
        peakMB: 1,
        predictPerSecond: 2.5,
      },
      sklearn_svm: null,
      sklearn_svm_char: null,
      sklearn_lr: null,
    },
    loop: null,
    noisy: null,
    skipped: [],
    ...over,
  };
}

const results = (d: DatasetResult): BenchResults => ({ mode: 'full', datasets: [d] }) as unknown as BenchResults;
const status = (d: DatasetResult, name: RegExp) => checkTargets(results(d)).find((c) => name.test(c.target))?.status;

describe('target verdicts', () => {
  it('accuracy is met only at or above the best peer, the char+word SVM included', () => {
    expect(status(dataset({}), /best peer/)).toBe('met');
    expect(status(dataset({ sklearn_svm_char: model(0.91) }), /best peer/)).toBe('missed');
    expect(status(dataset({ sklearn_svm_char: null }), /best peer/)).toBe('inconclusive');
  });

  it('size is judged against the quantized fastText file and its accuracy, not model.bin', () => {
    expect(status(dataset({}), /quantized fastText/)).toBe('met');
    const big = dataset({});
    big.student = model(0.9, { modelBytes: 400 });
    expect(status(big, /quantized fastText/)).toBe('missed');
    const worse = dataset({});
    worse.fasttext = model(0.88, { modelBytes: 800e6, quantizedBytes: 1000, quantizedAccuracy: 0.91 });
    expect(status(worse, /quantized fastText/)).toBe('missed');
  });

  it('throughput needs 2× and training 0.1×', () => {
    expect(status(dataset({}), /throughput/)).toBe('met');
    const d = dataset({});
    d.ratios.fasttext = { ...d.ratios.fasttext!, predictPerSecond: 1.9, trainSeconds: 0.11 };
    expect(status(d, /throughput/)).toBe('missed');
    expect(status(d, /training time/)).toBe('missed');
  });

  it('loop: half of random on the held-out half; older self-scored results count for nothing', () => {
    const loop = (l: number | null, r: number | null, scoredOn?: string) =>
      ({
        scoredOn,
        budget: 4000,
        answersTo95: { loop: l, random: r, margin: null },
      }) as unknown as DatasetResult['loop'];
    expect(status(dataset({ loop: loop(1000, 2000, 'held-out') }), /loop answers/)).toBe('met');
    expect(status(dataset({ loop: loop(1200, 2000, 'held-out') }), /loop answers/)).toBe('missed');
    expect(status(dataset({ loop: loop(1000, null, 'held-out') }), /loop answers/)).toBe('met');
    expect(status(dataset({ loop: loop(3000, null, 'held-out') }), /loop answers/)).toBe('inconclusive');
    expect(status(dataset({ loop: loop(1000, 2000) }), /loop answers/)).toBe('no data');
  });

  it('loop: judged on every set that has loop results, and says when the median is over one seed', () => {
    const loop = {
      scoredOn: 'held-out',
      budget: 4000,
      seeds: [1],
      answersTo95: { loop: 1000, random: 1800, margin: null },
    };
    const checks = checkTargets(results(dataset({ dataset: 'imdb', loop: loop as unknown as DatasetResult['loop'] })));
    const c = checks.find((x) => /loop answers/.test(x.target));
    expect(c?.status).toBe('missed');
    expect(c?.value).toMatch(/1 seed/);
  });

  it('noisy teacher: student ≥ teacher with the text-dependent model only', () => {
    const noisy = (s: number, teacher: number, noiseModel?: string) =>
      ({ studentAccuracy: s, teacherAccuracy: teacher, noiseModel }) as unknown as DatasetResult['noisy'];
    expect(status(dataset({ noisy: noisy(0.86, 0.85, 'x') }), /noise teacher/)).toBe('met');
    expect(status(dataset({ noisy: noisy(0.84, 0.85, 'x') }), /noise teacher/)).toBe('missed');
    expect(status(dataset({ noisy: noisy(0.86, 0.85) }), /noise teacher/)).toBe('no data');
  });
});
