import type { LossKind } from './linear.js';

/** Logits of held-out rows with their targets, row-major n×K. */
export interface HeldOut {
  n: number;
  K: number;
  logits: Float64Array;
  targets: Float32Array;
  weights: Float32Array;
}

/** Weighted mean NLL of held-out rows at inverse temperature beta. */
function nll(loss: LossKind, h: HeldOut, beta: number): number {
  const { n, K, logits, targets, weights } = h;
  let total = 0;
  let wsum = 0;
  for (let r = 0; r < n; r++) {
    const at = r * K;
    let l = 0;
    if (loss === 'softmax') {
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (logits[at + k] > max) max = logits[at + k];
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(beta * (logits[at + k] - max));
      const logSum = Math.log(sum);
      for (let k = 0; k < K; k++)
        if (targets[at + k] > 0) l -= targets[at + k] * (beta * (logits[at + k] - max) - logSum);
    } else {
      for (let k = 0; k < K; k++) {
        const z = beta * logits[at + k];
        l += Math.max(z, 0) - z * targets[at + k] + Math.log1p(Math.exp(-Math.abs(z)));
      }
    }
    total += weights[r] * l;
    wsum += weights[r];
  }
  return wsum > 0 ? total / wsum : 0;
}

/**
 * Temperature scaling (Guo et al., 2017): the one T that minimizes held-out NLL. NLL is convex in
 * 1/T, so a golden-section search over 1/T finds it deterministically.
 */
export function fitTemperature(loss: LossKind, h: HeldOut): number {
  if (h.n === 0) return 1;
  let lo = 0.05;
  let hi = 20;
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(loss, h, a);
  let fb = nll(loss, h, b);
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = nll(loss, h, a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = nll(loss, h, b);
    }
  }
  return 1 / ((lo + hi) / 2);
}

/** Best-F1 cut on one label's probabilities; ties go to the higher (more conservative) cut. */
function bestCut(
  probs: number[],
  gold: boolean[],
  weights: number[],
): { threshold: number; f1: number; positives: number } {
  const order = probs.map((_, i) => i).sort((i, j) => probs[j] - probs[i] || i - j);
  let positives = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i]) positives += weights[i];
  let tp = 0;
  let fp = 0;
  let best = { threshold: 0.5, f1: 0, positives };
  for (let o = 0; o < order.length; o++) {
    const i = order[o];
    if (gold[i]) tp += weights[i];
    else fp += weights[i];
    // Only cut between distinct scores; the cut sits halfway to the next one down.
    const next = o + 1 < order.length ? probs[order[o + 1]] : 0;
    if (next === probs[i]) continue;
    const f1 = positives > 0 ? (2 * tp) / (tp + fp + positives) : 0;
    if (f1 > best.f1) best = { threshold: (probs[i] + next) / 2, f1, positives };
  }
  return best;
}

/** Below this many held-out positives a per-label cut is noise; such labels share one global cut. */
const MIN_POSITIVES = 3;

/**
 * Per-label decision thresholds for multi-label prediction, each maximizing that label's F1 on the
 * held-out rows (calibrated probabilities in `probs`, row-major n×K). Labels with too few positives
 * get the single cut that maximizes micro-F1 over all labels.
 */
export function fitThresholds(h: HeldOut, probs: Float32Array): number[] {
  const { n, K, targets, weights } = h;
  const w = Array.from(weights);
  const all: number[] = [];
  const allGold: boolean[] = [];
  const allW: number[] = [];
  const perLabel: { threshold: number; positives: number }[] = [];
  for (let k = 0; k < K; k++) {
    const p: number[] = [];
    const gold: boolean[] = [];
    for (let r = 0; r < n; r++) {
      p.push(probs[r * K + k]);
      gold.push(targets[r * K + k] > 0);
    }
    all.push(...p);
    allGold.push(...gold);
    allW.push(...w);
    perLabel.push(bestCut(p, gold, w));
  }
  const global = n > 0 ? bestCut(all, allGold, allW).threshold : 0.5;
  return perLabel.map((c) => clamp(c.positives >= MIN_POSITIVES ? c.threshold : global));
}

/** Keeps cuts away from 0 and 1, where a label would fire always or never. */
function clamp(t: number): number {
  return Math.min(0.95, Math.max(0.05, t));
}
