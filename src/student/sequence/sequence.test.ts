import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import {
  bioMask,
  type ChainWeights,
  emissions,
  forwardBackward,
  pathLogProb,
  spanProbability,
  sparseRows,
  viterbi,
} from './decode.js';
import { sentenceFeatures } from './features.js';
import { SequencePerceptronParamsSchema, sequencePerceptronKind } from './index.js';
import { runSpanStudentContract } from './span-student.contract.js';
import { SPAN_TYPES, spanRows } from './synthetic-spans.js';

const params = SequencePerceptronParamsSchema.parse({});

runSpanStudentContract('sequence-perceptron', {
  train: (rows, options) => sequencePerceptronKind.train(rows, options, params),
  load: (bytes) => sequencePerceptronKind.fromBytes(bytes),
});

describe('sequence-perceptron decoding', () => {
  // One type: tags O, B-x, I-x.
  const T = 3;
  const w: ChainWeights = { T, emit: new Float32Array(0), trans: new Float32Array(T * T), start: new Float32Array(T) };
  const mask = bioMask(T);

  it('never lets I-x start a sentence or follow O, even when the scores want it', () => {
    // Unconstrained, the best tagging would be I, O, I (5 + 9 + 9); the valid best is O, O, B.
    const em = Float64Array.from([1, 0, 5, /* token 2 */ 9, 0, 0, /* token 3 */ 0, 8, 9]);
    expect(Array.from(viterbi(em, 3, w, mask))).toEqual([0, 0, 1]);
  });

  it('span probabilities from forward-backward match brute-force enumeration', () => {
    const em = Float64Array.from([0.3, 1.2, -0.5, 0.1, 0.4, 0.9, 1.1, 0.2, 0.3]);
    const trans = Float32Array.from([0.2, -0.1, 0, 0.3, 0.1, 0.5, -0.2, 0.4, 0.1]);
    const chain: ChainWeights = { T, emit: new Float32Array(0), trans, start: Float32Array.from([0.1, 0.2, 0]) };
    const temp = 1.7;
    const lat = forwardBackward(em, 3, chain, mask, temp);
    // Enumerate all 27 taggings, keep the valid ones.
    let z = 0;
    let spanMass = 0; // P(tokens 1..2 are one span)
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++)
        for (let c = 0; c < 3; c++) {
          const tags = [a, b, c];
          if (tags[0] === 2 || (b === 2 && a === 0) || (c === 2 && b === 0)) continue;
          let s = chain.start[a] + em[a];
          for (let i = 1; i < 3; i++) s += trans[tags[i - 1] * T + tags[i]] + em[i * T + tags[i]];
          const p = Math.exp(s / temp);
          z += p;
          if (b === 1 && c === 2) spanMass += p;
        }
    expect(lat.logZ).toBeCloseTo(Math.log(z), 9);
    // B, I, O: its own mass over z; and a broken tagging (I after O) has none.
    let path = chain.start[1] + em[1] + trans[1 * T + 2] + em[T + 2] + trans[2 * T + 0] + em[2 * T + 0];
    path /= temp;
    expect(pathLogProb(lat, Int32Array.from([1, 2, 0]))).toBeCloseTo(path - Math.log(z), 9);
    expect(pathLogProb(lat, Int32Array.from([0, 2, 0]))).toBe(-Infinity);
    expect(spanProbability(lat, 1, 2, 0)).toBeCloseTo(spanMass / z, 9);
  });

  it('with two types, Viterbi and forward-backward agree with brute force over every valid tagging', () => {
    // Tags O, B-a, I-a, B-b, I-b: exercises the layout shortcuts (O and B from anything, I only
    // from its own type's B or I) that the decoders take instead of scanning allowed moves.
    const T5 = 5;
    const n = 4;
    const m5 = bioMask(T5);
    let x = 0.37;
    const next = () => {
      x = (x * 9301 + 49297) % 233280;
      return (x / 233280) * 4 - 2;
    };
    const em = Float64Array.from({ length: n * T5 }, next);
    const chain: ChainWeights = {
      T: T5,
      emit: new Float32Array(0),
      trans: Float32Array.from({ length: T5 * T5 }, next),
      start: Float32Array.from({ length: T5 }, next),
    };
    const temp = 1.3;
    let z = 0;
    let bestScore = -Infinity;
    let bestTags: number[] = [];
    const valid = (tags: number[]) =>
      tags.every((t, i) => t === 0 || t % 2 === 1 || (i > 0 && (tags[i - 1] === t || tags[i - 1] === t - 1)));
    for (let code = 0; code < T5 ** n; code++) {
      const tags = Array.from({ length: n }, (_, i) => Math.floor(code / T5 ** i) % T5);
      if (!valid(tags)) continue;
      let s = chain.start[tags[0]] + em[tags[0]];
      for (let i = 1; i < n; i++) s += chain.trans[tags[i - 1] * T5 + tags[i]] + em[i * T5 + tags[i]];
      z += Math.exp(s / temp);
      if (s > bestScore) {
        bestScore = s;
        bestTags = tags;
      }
    }
    expect(Array.from(viterbi(em, n, chain, m5))).toEqual(bestTags);
    const lat = forwardBackward(em, n, chain, m5, temp);
    expect(lat.logZ).toBeCloseTo(Math.log(z), 9);
    // Marginals from alpha·beta sum to 1 at every token.
    for (let i = 0; i < n; i++) {
      let total = 0;
      for (let t = 0; t < T5; t++) total += lat.alpha[i * T5 + t] * lat.beta[i * T5 + t];
      expect(total).toBeCloseTo(1, 9);
    }
  });

  it('with many types and mostly untouched transitions, the pruned Viterbi, sparse sums and sparse rows match dense references', () => {
    // 12 types (25 tags), transitions zero but for a few (as a perceptron leaves them), emissions
    // spread wide: Viterbi then skips most predecessors and forward-backward runs on the corrections.
    const types = 12;
    const T = 1 + 2 * types;
    const n = 9;
    const m = bioMask(T);
    let x = 0.71;
    const next = () => {
      x = (x * 9301 + 49297) % 233280;
      return x / 233280;
    };
    const trans = Float32Array.from({ length: T * T }, () => (next() < 0.15 ? next() * 6 - 3 : 0));
    const rows = 6;
    const emit = Float32Array.from({ length: rows * T }, () => (next() < 0.2 ? Math.fround(next() * 8 - 4) : 0));
    const chain: ChainWeights = { T, emit, trans, start: Float32Array.from({ length: T }, () => next() - 0.5) };
    const ids = Int32Array.from({ length: 3 * n }, () => Math.floor(next() * rows));
    const offsets = Int32Array.from({ length: n + 1 }, (_, i) => 3 * i);
    const dense = emissions({ ids, offsets }, chain);
    const rowOf = Int32Array.from({ length: rows }, (_, i) => i);
    const sparse = emissions({ ids, offsets }, { ...chain, sparse: sparseRows(emit, T, rowOf) });
    expect(Array.from(sparse)).toEqual(Array.from(dense));
    const allowed = (p: number, t: number) => m.trans[p * T + t] === 0;
    // Reference Viterbi: every allowed predecessor, ties to the lower one; on emissions of several scales.
    for (let trial = 0; trial < 40; trial++) {
      const spread = 0.5 + trial / 4;
      const em = Float64Array.from({ length: n * T }, () => (next() * 2 - 1) * spread);
      const score = Float64Array.from({ length: T }, (_, t) => em[t] + chain.start[t] + m.start[t]);
      const back: number[][] = [];
      let cur = score;
      for (let i = 1; i < n; i++) {
        const nextScore = new Float64Array(T).fill(-Infinity);
        const b = new Array<number>(T).fill(0);
        for (let t = 0; t < T; t++)
          for (let p = 0; p < T; p++) {
            const v = cur[p] + trans[p * T + t];
            if (allowed(p, t) && v > nextScore[t]) {
              nextScore[t] = v;
              b[t] = p;
            }
          }
        for (let t = 0; t < T; t++) nextScore[t] += em[i * T + t];
        back.push(b);
        cur = nextScore;
      }
      const ref = [cur.indexOf(Math.max(...cur))];
      for (let i = n - 1; i > 0; i--) ref.unshift(back[i - 1][ref[0]]);
      expect(Array.from(viterbi(em, n, chain, m))).toEqual(ref);
    }
    // Reference log Z in log space over every allowed move.
    const temp = 2.1;
    let la = Array.from({ length: T }, (_, t) => (m.start[t] === 0 ? (chain.start[t] + dense[t]) / temp : -Infinity));
    const lse = (v: number[]) => {
      const top = Math.max(...v);
      return top === -Infinity ? top : top + Math.log(v.reduce((s, y) => s + Math.exp(y - top), 0));
    };
    for (let i = 1; i < n; i++)
      la = Array.from(
        { length: T },
        (_, t) =>
          lse(la.map((a, p) => (allowed(p, t) ? a + trans[p * T + t] / temp : -Infinity))) + dense[i * T + t] / temp,
      );
    const lat = forwardBackward(dense, n, chain, m, temp);
    expect(lat.logZ).toBeCloseTo(lse(la), 9);
    for (let i = 0; i < n; i++) {
      let total = 0;
      for (let t = 0; t < T; t++) total += lat.alpha[i * T + t] * lat.beta[i * T + t];
      expect(total).toBeCloseTo(1, 9);
    }
  });

  it('hashes features deterministically into the bucket range, token by token', () => {
    const text = 'Ada flew to São Paulo 😀';
    const tokens = [
      { start: 0, end: 3 },
      { start: 4, end: 8 },
      { start: 9, end: 11 },
      { start: 12, end: 15 },
      { start: 16, end: 21 },
      { start: 22, end: 24 },
    ];
    const cfg = { bits: 12, window: 2, charNgramMax: 4, affixMax: 4 };
    const a = sentenceFeatures(text, tokens, cfg);
    expect(a).toEqual(sentenceFeatures(text, tokens, cfg));
    expect(a.offsets).toHaveLength(7);
    for (let i = 0; i < 6; i++) expect(a.offsets[i + 1]).toBeGreaterThan(a.offsets[i]);
    for (const id of a.ids) expect(id >= 0 && id < 4096).toBe(true);
    expect(emissions(a, { T, emit: new Float32Array(4096 * T), trans: w.trans, start: w.start })).toHaveLength(18);
  });
});

describe('sequence-perceptron training', () => {
  it('refuses an empty or repeated type list', () => {
    expect(() => sequencePerceptronKind.train(spanRows(5, 1), { types: [], seed: 1 }, params)).toThrow(ConfigError);
    expect(() => sequencePerceptronKind.train(spanRows(5, 1), { types: ['a', 'a'], seed: 1 }, params)).toThrow(
      ConfigError,
    );
  });

  it('trains a fixed number of passes below holdoutFrom and still learns', () => {
    const s = sequencePerceptronKind.train(spanRows(60, 5), { types: SPAN_TYPES, seed: 1 }, params);
    expect((s as any).state.info.mode).toBe('fixed');
    const p = s.predict('Grace flew to Berlin last week');
    expect(p.spans.map((x) => [x.text, x.type])).toEqual([
      ['Grace', 'person'],
      ['Berlin', 'city'],
    ]);
  });

  it('int8 files are smaller than float32 ones and predict the same spans here', () => {
    const rows = spanRows(300, 1);
    const q = sequencePerceptronKind.train(rows, { types: SPAN_TYPES, seed: 2 }, params);
    const f = sequencePerceptronKind.train(rows, { types: SPAN_TYPES, seed: 2 }, { ...params, quantize: 'none' });
    expect(q.toBytes().length).toBeLessThan(f.toBytes().length);
    for (const r of spanRows(50, 8))
      expect(q.predict(r.text).spans.map((s) => s.text)).toEqual(f.predict(r.text).spans.map((s) => s.text));
  });
});
