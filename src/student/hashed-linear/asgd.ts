import { accumulate, lossAndGrad, type LossKind } from './linear.js';
import type { SparseRows } from './vectorizer.js';

export interface AsgdConfig {
  learningRate: number;
  /** L2 strength per row: objective = weighted mean loss + l2/2 ||W||². */
  l2: number;
  /** Gradients smaller than this are skipped (most classes sit near p=0 after an epoch). */
  skip: number;
  /** Row updates before averaging starts. */
  averageFrom: number;
}

/**
 * Averaged SGD (Bottou's ASGD, "Large-scale learning with SGD", 2010) for a linear layer over sparse
 * rows, weights feature-major (W[f*K + k]). Plain SGD's last iterate wobbles by a point or two of
 * accuracy from epoch to epoch; the running average does not, which makes early stopping meaningful.
 *
 * Weight decay and averaging are both kept lazy through scalars, so a row costs O(nnz·K):
 *   w   = W / wDiv
 *   avg = (A + wFrac·W) / aDiv
 * W and A share one buffer, feature by feature ([W_f | A_f], stride 2K): an update touches both, and
 * side by side they cost one trip to memory instead of two once the model outgrows the cache.
 */
export class AsgdTrainer {
  readonly features: number;
  readonly classes: number;
  private readonly loss: LossKind;
  private readonly cfg: AsgdConfig;
  /** [W_f (K) | A_f (K)] per feature. */
  private readonly WA: Float32Array;
  private readonly b: Float64Array;
  private readonly bAvg: Float64Array;
  private wDiv = 1;
  private aDiv = 1;
  private wFrac = 0;
  private t = 0;
  private readonly z: Float64Array;
  private readonly g: Float64Array;
  private readonly active: Int32Array;

  constructor(features: number, classes: number, loss: LossKind, cfg: AsgdConfig) {
    this.features = features;
    this.classes = classes;
    this.loss = loss;
    this.cfg = cfg;
    this.WA = new Float32Array(features * classes * 2);
    this.b = new Float64Array(classes);
    this.bAvg = new Float64Array(classes);
    this.z = new Float64Array(classes);
    this.g = new Float64Array(classes);
    this.active = new Int32Array(classes);
  }

  /**
   * One pass over `order`. `targets` holds K target values per row (one-hot for softmax, 0/1 per
   * label for sigmoid). Returns the weighted mean training loss, measured before each update.
   */
  epoch(X: SparseRows, targets: Float32Array, rowWeights: Float32Array, order: Int32Array): number {
    const { indptr, indices, values } = X;
    const K = this.classes;
    const { WA, b, bAvg, z, g, active } = this;
    const stride = 2 * K;
    const { learningRate: eta0, l2, skip, averageFrom } = this.cfg;
    let lossSum = 0;
    let weightSum = 0;
    for (let o = 0; o < order.length; o++) {
      const r = order[o];
      const rw = rowWeights[r];
      if (rw <= 0) continue;
      if (this.wDiv > 1e5 || this.aDiv > 1e5) this.renorm();
      const from = indptr[r];
      const to = indptr[r + 1];
      z.fill(0);
      accumulate(WA, K, indices, values, from, to, z, stride);
      for (let k = 0; k < K; k++) z[k] = z[k] / this.wDiv + b[k];
      lossSum += rw * lossAndGrad(this.loss, z, targets, r * K, K, g);
      weightSum += rw;

      const eta = eta0 / (1 + l2 * eta0 * this.t) ** 0.75;
      this.wDiv /= 1 - eta * l2;
      const t = this.t++;
      const mu = t < averageFrom ? 0 : 1 / (t - averageFrom + 1);
      let nActive = 0;
      for (let k = 0; k < K; k++) {
        const gk = g[k] * rw;
        b[k] -= eta * gk;
        if (gk > -skip && gk < skip) continue;
        active[nActive++] = k;
        g[k] = -eta * gk * this.wDiv;
      }
      const aStep = mu > 0 && mu < 1 ? this.wFrac : 0;
      if (nActive === K) update(WA, K, indices, values, from, to, g, aStep);
      else updateSome(WA, K, indices, values, from, to, g, active, nActive, aStep);
      if (mu >= 1) {
        for (let f = 0; f < this.features; f++) WA.fill(0, f * stride + K, f * stride + stride);
        this.aDiv = this.wDiv;
        this.wFrac = 1;
        bAvg.set(b);
      } else if (mu > 0) {
        this.aDiv /= 1 - mu;
        this.wFrac += (mu * this.aDiv) / this.wDiv;
        for (let k = 0; k < K; k++) bAvg[k] += mu * (b[k] - bAvg[k]);
      }
    }
    return weightSum > 0 ? lossSum / weightSum : 0;
  }

  /** Folds the scalars into the arrays, so they stay well inside float32 range. */
  private renorm(): void {
    const { WA, classes: K } = this;
    const averaging = this.wFrac !== 0;
    const ca = 1 / this.aDiv;
    const cw = this.wFrac / this.aDiv;
    const sw = 1 / this.wDiv;
    for (let base = 0; base < WA.length; base += 2 * K) {
      for (let k = base; k < base + K; k++) {
        if (averaging) WA[k + K] = WA[k + K] * ca + WA[k] * cw;
        WA[k] *= sw;
      }
    }
    this.wDiv = 1;
    this.aDiv = 1;
    this.wFrac = 0;
  }

  /** The averaged weights (or the current ones before averaging started), as plain arrays. */
  snapshot(): { weights: Float32Array; bias: Float64Array } {
    const { WA, classes: K, features: F } = this;
    const weights = new Float32Array(F * K);
    const averaging = this.wFrac !== 0 || this.t > this.cfg.averageFrom;
    const { wDiv, aDiv, wFrac } = this;
    for (let f = 0; f < F; f++) {
      const src = f * 2 * K;
      const dst = f * K;
      if (averaging) for (let k = 0; k < K; k++) weights[dst + k] = (WA[src + K + k] + wFrac * WA[src + k]) / aDiv;
      else for (let k = 0; k < K; k++) weights[dst + k] = WA[src + k] / wDiv;
    }
    return { weights, bias: averaging ? this.bAvg.slice() : this.b.slice() };
  }
}

/** W_f += g·x_f over all K classes, mirrored into A_f (K further on) when averaging. */
function update(
  WA: Float32Array,
  K: number,
  indices: Int32Array,
  values: Float32Array,
  from: number,
  to: number,
  g: Float64Array,
  aStep: number,
): void {
  const stride = 2 * K;
  for (let i = from; i < to; i++) {
    const v = values[i];
    const base = indices[i] * stride;
    if (aStep === 0) for (let k = 0; k < K; k++) WA[base + k] += g[k] * v;
    else {
      for (let k = 0; k < K; k++) {
        const d = g[k] * v;
        WA[base + k] += d;
        WA[base + K + k] -= aStep * d;
      }
    }
  }
}

/** As `update`, for the classes listed in `active` only. */
function updateSome(
  WA: Float32Array,
  K: number,
  indices: Int32Array,
  values: Float32Array,
  from: number,
  to: number,
  g: Float64Array,
  active: Int32Array,
  nActive: number,
  aStep: number,
): void {
  const stride = 2 * K;
  for (let i = from; i < to; i++) {
    const v = values[i];
    const base = indices[i] * stride;
    if (aStep === 0) for (let a = 0; a < nActive; a++) WA[base + active[a]] += g[active[a]] * v;
    else {
      for (let a = 0; a < nActive; a++) {
        const j = base + active[a];
        const d = g[active[a]] * v;
        WA[j] += d;
        WA[j + K] -= aStep * d;
      }
    }
  }
}
