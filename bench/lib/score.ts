import { evaluate } from '../../src/metrics/index.js';
import type { Prediction, Student } from '../../src/student/types.js';
import type { Dataset } from './datasets.js';
import type { Measured, ModelResult, Ratios } from './types.js';

/**
 * Plays back a model's recorded test predictions behind the Student interface, so the peers and
 * our student are scored by the library's own `evaluate`, not by a second implementation.
 */
function replay(ds: Dataset, predictions: string[][]): Student {
  if (predictions.length !== ds.test.length) throw new Error(`${predictions.length} predictions for ${ds.test.length} test rows`);
  const byText = new Map<string, string[]>();
  ds.test.forEach((r, i) => byText.set(r.text, predictions[i]));
  const predict = (text: string): Prediction => {
    const labels = byText.get(text);
    if (!labels) throw new Error('replayed model asked about a text outside the test set');
    // One-hot: peers' scores are not calibrated probabilities, and only the labels are scored here.
    const probs = new Float32Array(ds.labels.length);
    for (const l of labels) probs[ds.labels.indexOf(l)] = 1;
    return { labels, probs, margin: 1 };
  };
  return {
    kind: 'replay',
    labels: ds.labels,
    multiLabel: ds.multiLabel,
    predict,
    predictBatch: (texts) => texts.map(predict),
    toBytes: () => new Uint8Array(),
  };
}

/** Accuracy and F1 of test-set predictions (in test order), as the library's `evaluate` computes them. */
export function scoreLabels(ds: Dataset, predictions: string[][]): Pick<ModelResult, 'accuracy' | 'macroF1' | 'microF1'> {
  const m = evaluate(replay(ds, predictions), ds.test);
  return { accuracy: m.accuracy, macroF1: m.macroF1, microF1: ds.multiLabel ? (m.microF1 ?? null) : null };
}

export function score(ds: Dataset, measured: Measured): ModelResult {
  const { predictions, ...rest } = measured;
  return { ...scoreLabels(ds, predictions), ...rest };
}

const div = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);

export function ratios(student: ModelResult, peer: ModelResult): Ratios {
  return {
    accuracyPoints: 100 * (student.accuracy - peer.accuracy),
    macroF1Points: 100 * (student.macroF1 - peer.macroF1),
    trainSeconds: student.trainSeconds / peer.trainSeconds,
    modelBytes: student.modelBytes / peer.modelBytes,
    peakMB: div(student.peakMB, peer.peakMB),
    predictPerSecond: div(student.predictPerSecond, peer.predictPerSecond),
  };
}
