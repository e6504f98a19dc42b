import { describe, expect, it } from 'vitest';
import { evaluate } from '../../metrics/evaluate.js';
import { loadStudent, trainStudent } from '../registry.js';
import { TOPIC_LABELS, topicRows } from '../synthetic-topics.js';
import type { HashedLinearStudent } from './index.js';
import { roundUpMantissa } from './quantize.js';

const options = { labels: TOPIC_LABELS, multiLabel: false, seed: 5 };
const train = (params: Record<string, unknown>) =>
  trainStudent('hashed-linear', topicRows(150, 5), options, params) as HashedLinearStudent;

describe('hashed-linear pruning (keepFraction)', () => {
  it('leaves a model with fewer than keepAtLeast features whole, and keeps at least that many otherwise', () => {
    const full = train({ keepFraction: 1 });
    const F = full.state.buckets.length;
    expect(train({ keepFraction: 0.1, keepAtLeast: F }).state.buckets).toEqual(full.state.buckets);
    expect(train({ keepFraction: 0.01, keepAtLeast: 500 }).state.buckets.length).toBe(500);
  });

  it('keeps that share of the features, all of them features the full model has, and refits on them', () => {
    const full = train({ keepFraction: 1 });
    const pruned = train({ keepFraction: 0.2, keepAtLeast: 1 });
    const F = full.state.buckets.length;
    // A fifth of the features of the first fit, which sees the rows less the held-out tenth.
    expect(pruned.state.buckets.length).toBeGreaterThan(F * 0.15);
    expect(pruned.state.buckets.length).toBeLessThanOrEqual(Math.round(F * 0.2));
    const fullSet = new Set(full.state.buckets);
    for (const b of pruned.state.buckets) expect(fullSet.has(b)).toBe(true);
    expect(pruned.state.weights.length).toBe(pruned.state.buckets.length * TOPIC_LABELS.length);
    const test = topicRows(60, 6);
    expect(evaluate(pruned, test).accuracy).toBeGreaterThanOrEqual(0.9);
    expect(pruned.toBytes().length).toBeLessThan(full.toBytes().length / 2);
    // The file holds the pruned model exactly.
    const back = loadStudent(pruned.toBytes());
    for (const r of test) expect(back.predict(r.text).probs).toEqual(pruned.predict(r.text).probs);
  });

  it('keeps the features whose weight rows weigh most, not the most frequent', () => {
    const pruned = train({ keepFraction: 0.05, keepAtLeast: 1 });
    const byDf = train({ keepFraction: 1, maxFeatures: pruned.state.buckets.length });
    expect(pruned.state.buckets.length).toBe(byDf.state.buckets.length);
    expect(Array.from(pruned.state.buckets)).not.toEqual(Array.from(byDf.state.buckets));
  });
});

describe('hashed-linear int4 weights', () => {
  it('stores every weight as -7..7 times a per-feature scale with 4 mantissa bits, in a smaller file than int8', () => {
    const int4 = train({ keepFraction: 1, quantize: 'int4' });
    const int8 = train({ keepFraction: 1, quantize: 'int8' });
    const q = int4.state.quantized!;
    expect(Math.max(...Array.from(q.q, Math.abs))).toBe(7);
    const bits = new Uint32Array(q.scales.buffer, q.scales.byteOffset, q.scales.length);
    for (const b of bits) expect(b & ((1 << 19) - 1)).toBe(0);
    // The model in memory is the dequantized one, so the file reproduces it.
    const K = TOPIC_LABELS.length;
    for (let i = 0; i < q.q.length; i++)
      expect(int4.state.weights[i]).toBe(Math.fround(q.q[i] * q.scales[Math.floor(i / K)]));
    expect(int4.toBytes().length).toBeLessThan(int8.toBytes().length * 0.7);
    expect(Math.max(...Array.from(int8.state.quantized!.q, Math.abs))).toBe(127);
  });

  it('rounds a scale up to the nearest value with the given mantissa bits', () => {
    expect(roundUpMantissa(1, 4)).toBe(1);
    expect(roundUpMantissa(1.01, 4)).toBe(1.0625);
    expect(roundUpMantissa(1.0625, 4)).toBe(1.0625);
    expect(roundUpMantissa(0.3, 4)).toBeGreaterThanOrEqual(0.3);
    expect(roundUpMantissa(0.3, 4)).toBe(0.3125);
    expect(roundUpMantissa(Math.fround(0.3), 23)).toBe(Math.fround(0.3));
  });
});
