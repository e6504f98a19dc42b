import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import type { Prediction, Student } from '../student/types.js';
import {
  computeMetrics,
  confusionMatrix,
  evaluate,
  mostConfusedPairs,
  singleLabelMetrics,
  weakestLabels,
} from './index.js';

describe('single-label metrics (hand-computed)', () => {
  // gold:  a a a b b c
  // pred:  a a b b c c
  // a: tp2 fp0 fn1 → P 1, R 2/3, F1 0.8
  // b: tp1 fp1 fn1 → P 1/2, R 1/2, F1 1/2
  // c: tp1 fp1 fn0 → P 1/2, R 1, F1 2/3
  const labels = ['a', 'b', 'c'];
  const m = singleLabelMetrics(labels, ['a', 'a', 'a', 'b', 'b', 'c'], ['a', 'a', 'b', 'b', 'c', 'c']);

  it('accuracy is exact top-1 match', () => {
    expect(m.n).toBe(6);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
  });

  it('per-label precision, recall, F1 and support', () => {
    expect(m.perLabel[0]).toMatchObject({ label: 'a', precision: 1, support: 3 });
    expect(m.perLabel[0].recall).toBeCloseTo(2 / 3, 12);
    expect(m.perLabel[0].f1).toBeCloseTo(0.8, 12);
    expect(m.perLabel[1]).toMatchObject({ label: 'b', precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(m.perLabel[2]).toMatchObject({ label: 'c', precision: 0.5, recall: 1, support: 1 });
    expect(m.perLabel[2].f1).toBeCloseTo(2 / 3, 12);
  });

  it('macro-F1 is the mean over labels', () => {
    expect(m.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
    expect(m.microF1).toBeUndefined();
  });

  it('confusion[gold][pred]', () => {
    expect(m.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(confusionMatrix(labels, ['a', 'b'], ['b', 'b'])).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
  });

  it('macro-F1 skips labels absent from gold and predictions', () => {
    const x = singleLabelMetrics(['a', 'b', 'z'], ['a', 'b'], ['a', 'a']);
    // a: P 1/2 R 1 F1 2/3; b: F1 0; z: absent
    expect(x.macroF1).toBeCloseTo((2 / 3 + 0) / 2, 12);
    expect(x.perLabel[2]).toEqual({ label: 'z', precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it('unknown labels are a ConfigError, empty input is all zeros', () => {
    expect(() => singleLabelMetrics(labels, ['a'], ['nope'])).toThrow(ConfigError);
    const empty = singleLabelMetrics(labels, [], []);
    expect(empty).toMatchObject({ n: 0, accuracy: 0, macroF1: 0 });
  });
});

describe('multi-label metrics (hand-computed)', () => {
  // row 1: gold {x,y}  pred {x}     → x tp, y fn
  // row 2: gold {y}    pred {y,z}   → y tp, z fp
  // row 3: gold {}     pred {}      → exact match
  // row 4: gold {z}    pred {z}     → z tp
  // x: tp1 → P1 R1 F1 1; y: tp1 fn1 → P1 R.5 F1 2/3; z: tp1 fp1 → P.5 R1 F1 2/3
  const m = computeMetrics({
    labels: ['x', 'y', 'z'],
    multiLabel: true,
    gold: [['x', 'y'], ['y'], [], ['z']],
    predicted: [['x'], ['y', 'z'], [], ['z']],
  });

  it('accuracy is exact set match', () => {
    expect(m.accuracy).toBeCloseTo(2 / 4, 12);
  });

  it('micro-F1 pools counts: tp3 fp1 fn1', () => {
    expect(m.microF1).toBeCloseTo(6 / 8, 12);
  });

  it('macro-F1 and no confusion matrix', () => {
    expect(m.macroF1).toBeCloseTo((1 + 2 / 3 + 2 / 3) / 3, 12);
    expect(m.confusion).toBeUndefined();
    expect(m.perLabel.map((s) => s.support)).toEqual([1, 2, 1]);
  });
});

describe('diagnosis', () => {
  const labels = ['a', 'b', 'c'];
  const confusion = [
    [5, 3, 1],
    [0, 4, 3],
    [2, 0, 6],
  ];

  it('mostConfusedPairs: largest off-diagonal cells, ties in label order', () => {
    expect(mostConfusedPairs(confusion, labels, 3)).toEqual([
      { gold: 'a', predicted: 'b', count: 3 },
      { gold: 'b', predicted: 'c', count: 3 },
      { gold: 'c', predicted: 'a', count: 2 },
    ]);
    expect(mostConfusedPairs(confusion, labels, 0)).toEqual([]);
    expect(
      mostConfusedPairs(
        [
          [1, 0],
          [0, 1],
        ],
        ['a', 'b'],
        5,
      ),
    ).toEqual([]);
  });

  it('weakestLabels: lowest F1 with support, ties by support', () => {
    const perLabel = [
      { label: 'a', precision: 1, recall: 1, f1: 0.9, support: 10 },
      { label: 'b', precision: 0, recall: 0, f1: 0.5, support: 2 },
      { label: 'c', precision: 0, recall: 0, f1: 0.5, support: 8 },
      { label: 'd', precision: 0, recall: 0, f1: 0, support: 0 },
    ];
    expect(weakestLabels(perLabel, 2)).toEqual([
      { label: 'c', f1: 0.5 },
      { label: 'b', f1: 0.5 },
    ]);
  });
});

describe('evaluate', () => {
  it('scores a student through predictBatch', () => {
    const answers: Record<string, string> = { one: 'a', two: 'b', three: 'b' };
    const predict = (text: string): Prediction => ({ labels: [answers[text]], probs: new Float32Array(2), margin: 0 });
    const student: Student = {
      kind: 'fixed',
      labels: ['a', 'b'],
      multiLabel: false,
      predict,
      predictBatch: (texts) => texts.map(predict),
      toBytes: () => new Uint8Array(),
    };
    const m = evaluate(student, [
      { text: 'one', labels: ['a'] },
      { text: 'two', labels: ['b'] },
      { text: 'three', labels: ['a'] },
    ]);
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
    expect(m.confusion).toEqual([
      [1, 1],
      [0, 1],
    ]);
    expect(m.labels).toEqual(['a', 'b']);
  });
});
