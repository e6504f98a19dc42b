import { ConfigError } from '../errors.js';
import type { EvalMetrics } from '../core/types.js';

/** Gold and predicted label sets, row-aligned. Single-label rows hold exactly one label each. */
export interface LabeledPairs {
  labels: readonly string[];
  multiLabel: boolean;
  gold: readonly (readonly string[])[];
  predicted: readonly (readonly string[])[];
}

export interface LabelCounts {
  tp: number[];
  fp: number[];
  fn: number[];
}

export type PerLabel = EvalMetrics['perLabel'];

/**
 * All metrics from gold vs predicted labels, no student needed.
 *
 * - accuracy: exact top-1 match (single-label) or exact set match (multi-label).
 * - macro-F1: mean F1 over the labels that occur in gold or predictions (scikit-learn's default),
 *   so a label absent from a small eval set neither helps nor hurts.
 * - micro-F1 (multi-label only): F1 of the pooled TP/FP/FN counts.
 * - confusion[gold][pred] (single-label only).
 */
export function computeMetrics(p: LabeledPairs): EvalMetrics {
  const { labels, multiLabel, gold, predicted } = p;
  if (gold.length !== predicted.length)
    throw new ConfigError(`${gold.length} gold rows but ${predicted.length} predictions`);
  const index = labelIndex(labels);
  const K = labels.length;
  const counts: LabelCounts = { tp: new Array(K).fill(0), fp: new Array(K).fill(0), fn: new Array(K).fill(0) };
  const confusion = multiLabel ? undefined : labels.map(() => new Array<number>(K).fill(0));
  let exact = 0;
  for (let r = 0; r < gold.length; r++) {
    const g = toIndices(gold[r], index, r, 'gold');
    const q = toIndices(predicted[r], index, r, 'predicted');
    if (!multiLabel && (g.length !== 1 || q.length !== 1)) {
      throw new ConfigError(
        `row ${r}: a single-label evaluation needs exactly one gold and one predicted label (got ${g.length} and ${q.length})`,
      );
    }
    if (confusion) confusion[g[0]][q[0]]++;
    const gs = new Set(g);
    const qs = new Set(q);
    for (const k of qs) gs.has(k) ? counts.tp[k]++ : counts.fp[k]++;
    for (const k of gs) if (!qs.has(k)) counts.fn[k]++;
    if (gs.size === qs.size && [...gs].every((k) => qs.has(k))) exact++;
  }
  const perLabel = perLabelScores(labels, counts);
  const metrics: EvalMetrics = {
    n: gold.length,
    accuracy: gold.length ? exact / gold.length : 0,
    macroF1: macroF1(perLabel, counts),
    perLabel,
    labels: [...labels],
  };
  if (multiLabel) metrics.microF1 = microF1(counts);
  if (confusion) metrics.confusion = confusion;
  return metrics;
}

/** Single-label convenience: one gold and one predicted label per row. */
export function singleLabelMetrics(
  labels: readonly string[],
  gold: readonly string[],
  predicted: readonly string[],
): EvalMetrics {
  return computeMetrics({
    labels,
    multiLabel: false,
    gold: gold.map((g) => [g]),
    predicted: predicted.map((q) => [q]),
  });
}

/** confusion[gold][pred] counts, in `labels` order. */
export function confusionMatrix(
  labels: readonly string[],
  gold: readonly string[],
  predicted: readonly string[],
): number[][] {
  return singleLabelMetrics(labels, gold, predicted).confusion!;
}

export function f1Score(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** Precision/recall/F1/support per label; a ratio with a zero denominator is 0. */
export function perLabelScores(labels: readonly string[], c: LabelCounts): PerLabel {
  return labels.map((label, k) => {
    const precision = c.tp[k] + c.fp[k] > 0 ? c.tp[k] / (c.tp[k] + c.fp[k]) : 0;
    const recall = c.tp[k] + c.fn[k] > 0 ? c.tp[k] / (c.tp[k] + c.fn[k]) : 0;
    return { label, precision, recall, f1: f1Score(precision, recall), support: c.tp[k] + c.fn[k] };
  });
}

function macroF1(perLabel: PerLabel, c: LabelCounts): number {
  let sum = 0;
  let n = 0;
  perLabel.forEach((s, k) => {
    if (c.tp[k] + c.fp[k] + c.fn[k] === 0) return;
    sum += s.f1;
    n++;
  });
  return n ? sum / n : 0;
}

function microF1(c: LabelCounts): number {
  const tp = c.tp.reduce((a, b) => a + b, 0);
  const fp = c.fp.reduce((a, b) => a + b, 0);
  const fn = c.fn.reduce((a, b) => a + b, 0);
  return tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
}

function labelIndex(labels: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  labels.forEach((l, i) => index.set(l, i));
  if (index.size !== labels.length) throw new ConfigError('labels must be distinct');
  return index;
}

function toIndices(row: readonly string[], index: Map<string, number>, r: number, what: string): number[] {
  return row.map((l) => {
    const k = index.get(l);
    if (k === undefined)
      throw new ConfigError(`row ${r}: ${what} label "${l}" is not one of the task's labels`, {
        hint: `known labels: ${[...index.keys()].join(', ')}`,
      });
    return k;
  });
}
