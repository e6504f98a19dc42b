/**
 * The sequence-perceptron student's decoder, for the extraction runtime: a copy of
 * src/student/sequence/decode.ts (BIO mask, emissions, Viterbi, forward-backward, span and path
 * probabilities) with the same arithmetic in the same order, minus what only training uses. The
 * runtime is a leaf; src/export/runtime-extract.test.ts holds the copy to the library's output.
 */
import type { SentenceFeatures } from './sequence-features.js';

const isInside = (tag: number) => tag > 0 && tag % 2 === 0;
const typeOf = (tag: number) => (tag - 1) >> 1;
export interface ChainWeights {
  /** Tag count. */
  T: number;
  /** Row-major [row][tag]. */
  emit: Float32Array | Float64Array;
  /** Bucket id → row of `emit` (−1: no weights); absent when rows are bucket ids (training). */
  rowOf?: Int32Array;
  /** [prev][tag]. */
  trans: Float32Array | Float64Array;
  start: Float32Array | Float64Array;
  /** `emit`'s nonzero weights, row by row (`sparseRows`); when set, `emissions` reads these. */
  sparse?: SparseRows;
}

/**
 * A trained model's bucket rows keep nonzero weights for a few tags only (a feature takes part in
 * the mistakes of a few types: ~7 of 103 tags on OA-Mine), so a trained model adds just those.
 * Indexed by bucket id, not row (one lookup less per feature: with ~50 features a token spread
 * over megabytes of weights, tagging waits on memory more than it adds): bucket b's weights are
 * pairs (tag, weight) at tag[2k], weight[2k + 1] for k in ptr[b] .. ptr[b + 1], in tag order: one
 * buffer seen as int32 tags and float32 weights, 8 bytes a pair (the rows are float32 anyway).
 */
export interface SparseRows {
  ptr: Int32Array;
  tag: Int32Array;
  weight: Float32Array;
}

export function sparseRows(emit: Float32Array | Float64Array, T: number, rowOf: Int32Array): SparseRows {
  let nz = 0;
  for (let k = 0; k < emit.length; k++) if (emit[k] !== 0) nz++;
  const ptr = new Int32Array(rowOf.length + 1);
  const tag = new Int32Array(2 * nz);
  const weight = new Float32Array(tag.buffer);
  let at = 0;
  for (let b = 0; b < rowOf.length; b++) {
    const r = rowOf[b];
    if (r >= 0) {
      for (let t = 0; t < T; t++) {
        const v = emit[r * T + t];
        if (v !== 0) {
          tag[2 * at] = t;
          weight[2 * at + 1] = v;
          at++;
        }
      }
    }
    ptr[b + 1] = at;
  }
  return { ptr, tag, weight };
}

/**
 * 0 where the move is allowed, −∞ where BIO forbids it ([prev][tag], then the start row), and the
 * allowed moves as lists: an I tag has two possible predecessors, so with many types the decoders
 * do about half the work of a dense T×T loop.
 */
export function bioMask(T: number): {
  trans: Float64Array;
  start: Float64Array;
  preds: Int32Array[];
  succs: Int32Array[];
} {
  const trans = new Float64Array(T * T);
  const start = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    if (!isInside(t)) continue;
    start[t] = -Infinity;
    for (let p = 0; p < T; p++) {
      const continues = p > 0 && typeOf(p) === typeOf(t);
      if (!continues) trans[p * T + t] = -Infinity;
    }
  }
  const preds: Int32Array[] = [];
  const succs: Int32Array[] = [];
  for (let t = 0; t < T; t++) {
    const into: number[] = [];
    const from: number[] = [];
    for (let o = 0; o < T; o++) {
      if (trans[o * T + t] === 0) into.push(o);
      if (trans[t * T + o] === 0) from.push(o);
    }
    preds.push(Int32Array.from(into));
    succs.push(Int32Array.from(from));
  }
  return { trans, start, preds, succs };
}

export function emissions(f: SentenceFeatures, w: ChainWeights, out?: Float64Array): Float64Array {
  const n = f.offsets.length - 1;
  const T = w.T;
  const em = out && out.length >= n * T ? out : new Float64Array(n * T);
  em.fill(0, 0, n * T);
  const { emit, rowOf, sparse } = w;
  const { ids, offsets } = f;
  if (sparse) {
    // Same sums in the same order as the dense loop below, less the zeros (adding +0 changes nothing).
    const { ptr, tag, weight } = sparse;
    for (let i = 0; i < n; i++) {
      const base = i * T;
      for (let k = offsets[i]; k < offsets[i + 1]; k++) {
        const b = ids[k];
        for (let j = ptr[b], end = ptr[b + 1]; j < end; j++) em[base + tag[2 * j]] += weight[2 * j + 1];
      }
    }
    return em;
  }
  for (let i = 0; i < n; i++) {
    const base = i * T;
    for (let k = offsets[i]; k < offsets[i + 1]; k++) {
      const r = rowOf ? rowOf[ids[k]] : ids[k];
      if (r < 0) continue;
      const row = r * T;
      for (let t = 0; t < T; t++) em[base + t] += emit[row + t];
    }
  }
  return em;
}

/** Takes `bias` off every token's O score (tag 0), in place: the recall/precision trade-off. */
export function biased(em: Float64Array, n: number, T: number, bias: number): Float64Array {
  if (bias !== 0) for (let i = 0; i < n; i++) em[i * T] -= bias;
  return em;
}

/**
 * The spread of the transitions into O and B tags (max − min over every predecessor): a previous
 * tag whose score trails the best previous score by more than this can never be the best
 * predecessor of an O or B tag, so `viterbi` leaves it out of those maxima. A trained model
 * computes it once; training (whose weights move every sentence) lets `viterbi` compute it.
 */
export function transitionSpread(w: ChainWeights): number {
  const T = w.T;
  let lo = Infinity;
  let hi = -Infinity;
  for (let p = 0; p < T; p++) {
    for (let t = 0; t < T; t += t === 0 ? 1 : 2) {
      const v = w.trans[p * T + t];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return hi - lo;
}

/**
 * Viterbi over the BIO lattice. The loops lean on the tag layout (0 = O, odd = B-x, even = I-x,
 * `bioMask`'s rule): O and every B may follow any tag, so their best predecessor is a max over the
 * previous token's scores in row order (contiguous in `trans`); I-x has exactly two, B-x and
 * I-x. Ties go to the lower predecessor, as a scan in tag order would. The O/B maxima only visit
 * the previous tags within `transitionSpread` of the best previous score (the others cannot win,
 * nor tie, whatever the transition): with ~100 tags that is a handful, not all of them, and the
 * tagging is exactly the full scan's.
 */
export function viterbi(
  em: Float64Array,
  n: number,
  w: ChainWeights,
  mask: ReturnType<typeof bioMask>,
  spread?: number,
): Int32Array {
  const T = w.T;
  const trans = w.trans;
  const tags = new Int32Array(n);
  if (n === 0) return tags;
  const gap = spread ?? transitionSpread(w);
  const score = new Float64Array(n * T);
  const back = new Int32Array(n * T);
  const cand = new Int32Array(T);
  for (let t = 0; t < T; t++) score[t] = em[t] + w.start[t] + mask.start[t];
  for (let i = 1; i < n; i++) {
    const prev = (i - 1) * T;
    const cur = i * T;
    let top = -Infinity;
    for (let p = 0; p < T; p++) if (score[prev + p] > top) top = score[prev + p];
    // A little slack under the bound so float rounding can never drop a predecessor that ties.
    const floor = top - gap - 1e-9 * (1 + Math.abs(top) + gap);
    let k = 0;
    for (let p = 0; p < T; p++) if (score[prev + p] >= floor) cand[k++] = p;
    score[cur] = -Infinity;
    for (let t = 1; t < T; t += 2) score[cur + t] = -Infinity;
    for (let c = 0; c < k; c++) {
      const p = cand[c];
      const sp = score[prev + p];
      const row = p * T;
      let v = sp + trans[row];
      if (v > score[cur]) {
        score[cur] = v;
        back[cur] = p;
      }
      for (let t = 1; t < T; t += 2) {
        v = sp + trans[row + t];
        if (v > score[cur + t]) {
          score[cur + t] = v;
          back[cur + t] = p;
        }
      }
    }
    for (let t = 2; t < T; t += 2) {
      const fromB = score[prev + t - 1] + trans[(t - 1) * T + t];
      const fromI = score[prev + t] + trans[t * T + t];
      if (fromI > fromB) {
        score[cur + t] = fromI;
        back[cur + t] = t;
      } else {
        score[cur + t] = fromB;
        back[cur + t] = t - 1;
      }
    }
    for (let t = 0; t < T; t++) score[cur + t] += em[cur + t];
  }
  let best = -Infinity;
  for (let t = 0; t < T; t++) {
    const s = score[(n - 1) * T + t];
    if (s > best) {
      best = s;
      tags[n - 1] = t;
    }
  }
  for (let i = n - 1; i > 0; i--) tags[i - 1] = back[i * T + tags[i]];
  return tags;
}

/**
 * Forward-backward over a softmax of the scores divided by `temperature`: turns the perceptron's
 * margins into probabilities (calibrated by the temperature fitted on held-out rows). Computed in
 * probability space with per-token rescaling (Rabiner's scaled recursions), which needs T
 * exponentials per token instead of the 2T² a log-space version pays; the max emission per token
 * and the max transition are subtracted before exponentiating so nothing overflows.
 * alpha[i][t]·beta[i][t] is the marginal of tag t at token i.
 */
export interface Lattice {
  n: number;
  T: number;
  /** Scaled forward values; each token's row sums to 1. */
  alpha: Float64Array;
  /** Scaled backward values. */
  beta: Float64Array;
  /** Per-token scale factors: log Z = Σ log scale + the subtracted offsets. */
  scale: Float64Array;
  /** exp(emission / temperature − max of the token's row). */
  E: Float64Array;
  /** exp(transition / temperature − max transition); 0 where BIO forbids the move. */
  A: Float64Array;
  logZ: number;
  /** For `pathLogProb`. */
  rawEm: Float64Array;
  weights: ChainWeights;
  temperature: number;
}

/**
 * The sentence-independent part of forward-backward: exp(transition / temperature − max) and the
 * start factors. With many types (103 tags on OA-Mine) this is T² exponentials, more than a short
 * product title's emissions, so a trained model computes it once (`transitionFactors`) and passes it in.
 */
export interface TransitionFactors {
  temperature: number;
  A: Float64Array;
  /** Max allowed transition / temperature (subtracted inside A). */
  mt: number;
  /** exp(start / temperature − ms); 0 where a sentence may not start. */
  S: Float64Array;
  ms: number;
  /**
   * A into the "free" tags (O and every B, allowed after any tag; j = 0 is O, j = x + 1 is B-x) as
   * a constant plus sparse corrections: a transition the perceptron never updated weighs 0, so its
   * factor is `base` = exp(−mt), and only ~15% of them were ever updated (OA-Mine). The forward sum
   * into free tag j is then base·Σα + Σ over byTarget's list of α[p]·(A − base), and the backward
   * sum out of p is base·Σnext + Σ over byPred's list: the work follows the updated transitions,
   * not T².
   */
  base: number;
  byTarget: { ptr: Int32Array; idx: Int32Array; delta: Float64Array };
  byPred: { ptr: Int32Array; idx: Int32Array; delta: Float64Array };
}

function deltaLists(T: number, K: number, A: Float64Array, w: ChainWeights, base: number, byTarget: boolean) {
  const outer = byTarget ? K : T;
  const inner = byTarget ? T : K;
  const ptr = new Int32Array(outer + 1);
  const idx: number[] = [];
  const delta: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      const p = byTarget ? q : o;
      const j = byTarget ? o : q;
      const t = j === 0 ? 0 : 2 * j - 1;
      if (w.trans[p * T + t] === 0) continue;
      idx.push(q);
      delta.push(A[p * T + t] - base);
    }
    ptr[o + 1] = idx.length;
  }
  return { ptr, idx: Int32Array.from(idx), delta: Float64Array.from(delta) };
}

export function transitionFactors(
  w: ChainWeights,
  mask: ReturnType<typeof bioMask>,
  temperature: number,
): TransitionFactors {
  const T = w.T;
  const A = new Float64Array(T * T);
  let mt = -Infinity;
  for (let k = 0; k < T * T; k++) if (mask.trans[k] === 0) mt = Math.max(mt, w.trans[k] / temperature);
  for (let k = 0; k < T * T; k++) A[k] = mask.trans[k] === 0 ? Math.exp(w.trans[k] / temperature - mt) : 0;
  let ms = -Infinity;
  for (let t = 0; t < T; t++) if (mask.start[t] === 0) ms = Math.max(ms, w.start[t] / temperature);
  const S = new Float64Array(T);
  for (let t = 0; t < T; t++) S[t] = mask.start[t] === 0 ? Math.exp(w.start[t] / temperature - ms) : 0;
  const K = (T + 1) >> 1;
  const base = Math.exp(-mt);
  return {
    temperature,
    A,
    mt,
    S,
    ms,
    base,
    byTarget: deltaLists(T, K, A, w, base, true),
    byPred: deltaLists(T, K, A, w, base, false),
  };
}

export function forwardBackward(
  rawEm: Float64Array,
  n: number,
  w: ChainWeights,
  mask: ReturnType<typeof bioMask>,
  temperature: number,
  factors?: TransitionFactors,
): Lattice {
  const T = w.T;
  const f = factors && factors.temperature === temperature ? factors : transitionFactors(w, mask, temperature);
  const E = new Float64Array(n * T);
  const A = f.A;
  const alpha = new Float64Array(n * T);
  const beta = new Float64Array(n * T);
  const scale = new Float64Array(n);
  const lattice = { n, T, alpha, beta, scale, E, A, logZ: 0, rawEm, weights: w, temperature };
  if (n === 0) return lattice;
  let offset = 0;
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let t = 0; t < T; t++) m = Math.max(m, rawEm[i * T + t] / temperature);
    for (let t = 0; t < T; t++) E[i * T + t] = Math.exp(rawEm[i * T + t] / temperature - m);
    offset += m;
  }
  offset += (n - 1) * f.mt;
  offset += f.ms;
  let sum = 0;
  for (let t = 0; t < T; t++) {
    const v = f.S[t] * E[t];
    alpha[t] = v;
    sum += v;
  }
  scale[0] = sum;
  for (let t = 0; t < T; t++) alpha[t] /= sum;
  // O and B-x sum over every predecessor, I-x over B-x and I-x (the layout `viterbi` uses); the
  // O/B sums are base·total plus the updated transitions' corrections (`TransitionFactors`). A
  // correction can be negative, so a sum that cancels to (almost) nothing is clamped at 0.
  const K = (T + 1) >> 1;
  const { base, byTarget, byPred } = f;
  for (let i = 1; i < n; i++) {
    const prev = (i - 1) * T;
    const cur = i * T;
    let total = 0;
    for (let p = 0; p < T; p++) total += alpha[prev + p];
    for (let j = 0; j < K; j++) {
      let acc = base * total;
      for (let k = byTarget.ptr[j]; k < byTarget.ptr[j + 1]; k++)
        acc += alpha[prev + byTarget.idx[k]] * byTarget.delta[k];
      alpha[cur + (j === 0 ? 0 : 2 * j - 1)] = Math.max(acc, 0);
    }
    for (let t = 2; t < T; t += 2)
      alpha[cur + t] = alpha[prev + t - 1] * A[(t - 1) * T + t] + alpha[prev + t] * A[t * T + t];
    sum = 0;
    for (let t = 0; t < T; t++) {
      const v = alpha[cur + t] * E[cur + t];
      alpha[cur + t] = v;
      sum += v;
    }
    scale[i] = sum;
    for (let t = 0; t < T; t++) alpha[cur + t] /= sum;
  }
  for (let t = 0; t < T; t++) beta[(n - 1) * T + t] = 1;
  const next = new Float64Array(K);
  for (let i = n - 2; i >= 0; i--) {
    const nx = (i + 1) * T;
    let total = 0;
    for (let j = 0; j < K; j++) {
      const t = j === 0 ? 0 : 2 * j - 1;
      next[j] = E[nx + t] * beta[nx + t];
      total += next[j];
    }
    for (let p = 0; p < T; p++) {
      // Successors of p: O, every B, and I of p's own type (A is 0 for every other I).
      let acc = base * total;
      for (let k = byPred.ptr[p]; k < byPred.ptr[p + 1]; k++) acc += byPred.delta[k] * next[byPred.idx[k]];
      if (acc < 0) acc = 0;
      if (p > 0) {
        const I = p % 2 === 1 ? p + 1 : p;
        acc += A[p * T + I] * (E[nx + I] * beta[nx + I]);
      }
      beta[i * T + p] = acc / scale[i + 1];
    }
  }
  let logZ = offset;
  for (let i = 0; i < n; i++) logZ += Math.log(scale[i]);
  lattice.logZ = logZ;
  return lattice;
}

/** Log-probability of a whole tagging under the lattice's (temperature-scaled) model. */
export function pathLogProb(lat: Lattice, tags: Int32Array): number {
  const { T, rawEm, weights: w, temperature } = lat;
  let s = 0;
  for (let i = 0; i < tags.length; i++) {
    const move = i === 0 ? w.start[tags[i]] : w.trans[tags[i - 1] * T + tags[i]];
    const allowed = i === 0 ? !isInside(tags[i]) : lat.A[tags[i - 1] * T + tags[i]] > 0;
    if (!allowed) return -Infinity;
    s += (rawEm[i * T + tags[i]] + move) / temperature;
  }
  return s - lat.logZ;
}

/**
 * P(tokens first..last are exactly one span of type x): B-x at `first`, I-x through `last`, and the
 * token after (if any) not I-x.
 */
export function spanProbability(lat: Lattice, first: number, last: number, type: number): number {
  const { T, n, alpha, beta, E, A, scale } = lat;
  const B = 1 + 2 * type;
  const I = 2 + 2 * type;
  let p = alpha[first * T + B];
  let prev = B;
  for (let i = first + 1; i <= last; i++) {
    p *= (A[prev * T + I] * E[i * T + I]) / scale[i];
    prev = I;
  }
  if (last < n - 1) {
    let tail = 0;
    const i = last + 1;
    for (let y = 0; y < T; y++) if (y !== I) tail += A[prev * T + y] * E[i * T + y] * beta[i * T + y];
    p *= tail / scale[i];
  }
  return Math.min(1, p);
}
