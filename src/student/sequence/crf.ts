import type { Rng } from '../../util/random.js';
import { type bioMask, emissions, forwardBackward } from './decode.js';
import { runEpochs, type Sentence, type TrainedChain } from './heldout.js';
import type { SequencePerceptronParams } from './params.js';
import type { SpanTrainOptions } from './types.js';

/**
 * Linear-chain CRF by stochastic gradient descent on the conditional log-likelihood with an L2
 * penalty (Lafferty et al. 2001; SGD as in Bottou's crfsgd and CRFsuite's l2sgd): the same hashed
 * features, tags and decoders as the perceptron, a different objective. A perceptron only moves on
 * mistakes and keeps every feature it ever blamed, which on noisy, out-of-domain text (WNUT-17)
 * over-predicts; the likelihood pushes every tag towards its marginal, so rare features stay small.
 *
 * Per sentence (seeded order): forward-backward gives each token's tag marginals and each pair's
 * transition marginals; every active feature row gets `rate · (gold − marginal)` per tag,
 * transitions and starts likewise. The L2 decay is applied to the whole emission table at once by
 * keeping it as `scale · v` (so a step costs the sentence's features, not the table); the
 * transitions are few and decayed in place. The step size falls as rate / (1 + k / N) over steps k.
 * Updates whose gradient is below `crfPrune` in size are skipped: a feature row then only keeps
 * weights for the tags that took real probability mass near it, which keeps the model sparse
 * (smaller files, the decoders' sparse rows) and training cheap.
 */
export function crf(
  data: readonly Sentence[],
  train: readonly number[],
  val: readonly number[],
  T: number,
  bits: number,
  params: SequencePerceptronParams,
  mask: ReturnType<typeof bioMask>,
  rng: Rng,
  options: SpanTrainOptions,
): TrainedChain {
  const size = (1 << bits) * T;
  const v = new Float64Array(size);
  let scale = 1;
  const trans = new Float64Array(T * T);
  const start = new Float64Array(T);
  const live = { T, emit: v, trans, start };
  const snap = { T, emit: new Float32Array(size), trans: new Float32Array(T * T), start: new Float32Array(T) };
  const N = Math.max(1, train.length);
  const prune = params.crfPrune;
  // L1 by the cumulative penalty (Tsuruoka et al. 2009): `u` is the total L1 step any weight could
  // have had so far, q[k] what weight k actually got; a weight touched by a step is pulled towards
  // 0 by the difference, clipped at 0 — so features seen rarely end at exactly 0, as with
  // CRFsuite's c1, and only the sentence's own rows are visited.
  const l1 = params.crfL1;
  const q = l1 > 0 ? new Float64Array(size) : new Float64Array(0);
  let u = 0;
  let em: Float64Array = new Float64Array(0);
  let step = 0;
  let epoch = 0;
  return runEpochs({ T, size }, data, train, val, params, mask, rng, options, (order) => {
    epoch++;
    let nll = 0;
    let seen = 0;
    for (const s of order) {
      const { feats, gold, weight } = data[s];
      if (weight <= 0) continue;
      seen++;
      const eta = params.crfRate / (1 + step / N);
      step++;
      const decay = 1 - (eta * params.crfL2) / N;
      scale *= decay;
      for (let k = 0; k < T * T; k++) trans[k] *= decay;
      for (let k = 0; k < T; k++) start[k] *= decay;
      if (scale < 1e-9) {
        for (let k = 0; k < size; k++) v[k] *= scale;
        scale = 1;
      }
      const n = gold.length;
      em = emissions(feats, live, em.length >= n * T ? em : new Float64Array(n * T * 2));
      for (let k = 0; k < n * T; k++) em[k] *= scale;
      const lat = forwardBackward(em, n, live, mask, 1);
      const { alpha, beta, A, E } = lat;
      let goldScore = 0;
      const lr = eta * weight;
      const lrv = lr / scale;
      for (let i = 0; i < n; i++) {
        const g = gold[i];
        const base = i * T;
        goldScore += em[base + g] + (i === 0 ? start[g] : trans[gold[i - 1] * T + g]);
        for (let k = feats.offsets[i]; k < feats.offsets[i + 1]; k++) {
          const row = feats.ids[k] * T;
          for (let t = 0; t < T; t++) {
            const grad = (t === g ? 1 : 0) - alpha[base + t] * beta[base + t];
            if (grad > prune || grad < -prune) v[row + t] += lrv * grad;
          }
        }
        if (i === 0) {
          for (let t = 0; t < T; t++) start[t] += lr * ((t === g ? 1 : 0) - alpha[t] * beta[t]);
          continue;
        }
        const prev = base - T;
        const inv = 1 / lat.scale[i];
        for (let p = 0; p < T; p++) {
          const ap = alpha[prev + p];
          if (ap < 1e-9) continue;
          for (const t of mask.succs[p]) {
            const xi = ap * A[p * T + t] * E[base + t] * beta[base + t] * inv;
            if (xi > prune) trans[p * T + t] -= lr * xi;
          }
        }
        trans[gold[i - 1] * T + g] += lr;
      }
      if (l1 > 0) {
        u += (eta * l1) / N;
        for (let k = 0; k < feats.ids.length; k++) {
          const row = feats.ids[k] * T;
          for (let t = 0; t < T; t++) {
            const at = row + t;
            const z = v[at] * scale;
            if (z === 0 && q[at] === 0) continue;
            let next = z;
            if (z > 0) next = Math.max(0, z - (u + q[at]));
            else if (z < 0) next = Math.min(0, z + (u - q[at]));
            q[at] += next - z;
            v[at] = next / scale;
          }
        }
      }
      nll += (lat.logZ - goldScore) * weight;
    }
    if (params.crfAverage) {
      // Running mean of the pass-end weights (a cheap Polyak average: SGD's last iterate is noisy).
      const a = 1 / epoch;
      for (let k = 0; k < size; k++) snap.emit[k] += (v[k] * scale - snap.emit[k]) * a;
      for (let k = 0; k < T * T; k++) snap.trans[k] += (trans[k] - snap.trans[k]) * a;
      for (let k = 0; k < T; k++) snap.start[k] += (start[k] - snap.start[k]) * a;
    } else {
      for (let k = 0; k < size; k++) snap.emit[k] = v[k] * scale;
      snap.trans.set(trans);
      snap.start.set(start);
    }
    return { loss: seen ? nll / seen : 0, weights: snap, converged: false };
  });
}
