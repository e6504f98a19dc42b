import { computeMetrics } from '../../src/metrics/index.js';
import type { Dataset } from './datasets.js';
import type { Measured, ModelResult, Ratios } from './types.js';

/**
 * Accuracy and F1 of test-set predictions (in test order) by the library's own `computeMetrics`,
 * the function `evaluate` uses: peers and student are scored by one implementation.
 */
export function scoreLabels(
  ds: Dataset,
  predictions: string[][],
): Pick<ModelResult, 'accuracy' | 'macroF1' | 'microF1'> & { unanswered: number } {
  if (predictions.length !== ds.test.length)
    throw new Error(`${predictions.length} predictions for ${ds.test.length} test rows`);
  let unanswered = 0;
  const predicted = ds.multiLabel
    ? predictions
    : predictions.map((p, i) => {
        if (p.length === 1) return p;
        // No answer (fastText on a text with no tokens, a rejected teacher answer) is an error: score it
        // as some label other than the gold one, so it counts against accuracy.
        unanswered++;
        return [ds.labels.find((l) => l !== ds.test[i].labels[0]) as string];
      });
  const m = computeMetrics({
    labels: ds.labels,
    multiLabel: ds.multiLabel,
    gold: ds.test.map((r) => r.labels),
    predicted,
  });
  return { accuracy: m.accuracy, macroF1: m.macroF1, microF1: ds.multiLabel ? (m.microF1 ?? null) : null, unanswered };
}

export function score(ds: Dataset, measured: Measured): ModelResult {
  const { predictions, settings, ...rest } = measured;
  const { unanswered, ...scores } = scoreLabels(ds, predictions);
  return { ...scores, ...rest, settings: unanswered ? { ...settings, unanswered } : settings };
}

const div = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);

/**
 * Student against one peer. A peer with a quantized file (fastText) is compared on size with that
 * file, and on throughput with whichever of its two files predicts faster: the peer at its best.
 */
export function ratios(student: ModelResult, peer: ModelResult): Ratios {
  const peerPps =
    peer.quantizedPredictPerSecond !== undefined && peer.quantizedPredictPerSecond !== null
      ? Math.max(peer.predictPerSecond ?? 0, peer.quantizedPredictPerSecond)
      : peer.predictPerSecond;
  return {
    accuracyPoints: 100 * (student.accuracy - peer.accuracy),
    macroF1Points: 100 * (student.macroF1 - peer.macroF1),
    trainSeconds: student.trainSeconds / peer.trainSeconds,
    modelBytes: student.modelBytes / peer.modelBytes,
    quantizedModelBytes: peer.quantizedBytes ? student.modelBytes / peer.quantizedBytes : null,
    quantizedAccuracyPoints:
      peer.quantizedAccuracy !== undefined ? 100 * (student.accuracy - peer.quantizedAccuracy) : null,
    peakMB: div(student.peakMB, peer.peakMB),
    predictPerSecond: div(student.predictPerSecond, peerPps),
  };
}
