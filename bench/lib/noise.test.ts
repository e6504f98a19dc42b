import { describe, expect, it } from 'vitest';
import type { Row } from './datasets.js';
import { applyNoise, noiseRate, noisyTrain } from './noise.js';

const labels = ['a', 'b', 'c'];

/** Rows whose reference scores make row i harder the larger i is: b comes ever closer to gold a. */
function ramp(n: number): { rows: Row[]; scores: Float64Array[] } {
  const rows = Array.from({ length: n }, (_, i) => ({ text: `text number ${i}`, labels: ['a'] }));
  const scores = rows.map((_, i) => Float64Array.from([1, i / n, 0]));
  return { rows, scores };
}

describe('text-dependent noise', () => {
  it('makes about the asked share wrong, always towards the reference runner-up', () => {
    const { rows, scores } = ramp(4000);
    const noisy = applyNoise(rows, scores, labels, 0.15, 1);
    expect(noiseRate(rows, noisy)).toBeGreaterThan(0.13);
    expect(noiseRate(rows, noisy)).toBeLessThan(0.17);
    for (const r of noisy) expect(['a', 'b']).toContain(r.labels[0]);
  });

  it('flips hard texts far more often than easy ones', () => {
    const { rows, scores } = ramp(4000);
    const noisy = applyNoise(rows, scores, labels, 0.15, 1);
    const rate = (from: number, to: number) => noiseRate(rows.slice(from, to), noisy.slice(from, to));
    expect(rate(0, 1000)).toBeLessThan(0.06);
    expect(rate(3000, 4000)).toBeGreaterThan(0.2);
  });

  it('gives a text the same answer whatever else is asked with it (seeded by text, not position)', () => {
    const { rows, scores } = ramp(200);
    const a = applyNoise(rows, scores, labels, 0.3, 5);
    const b = applyNoise(rows, scores, labels, 0.3, 5);
    expect(a).toEqual(b);
    expect(applyNoise(rows, scores, labels, 0.3, 6)).not.toEqual(a);
  });

  it('replaces the weakest gold label of a multi-label row and keeps the others', () => {
    const rows = [{ text: 'x', labels: ['a', 'c'] }];
    const scores = [Float64Array.from([0.9, 0.8, 0.1])];
    expect(applyNoise(rows, scores, labels, 1, 1)[0].labels).toEqual(['a', 'b']);
  });

  it('with no noise returns the gold labels', () => {
    const { rows, scores } = ramp(100);
    expect(applyNoise(rows, scores, labels, 0, 1)).toEqual(rows);
  });

  it('on real text, flips to labels a cross-fitted reference confuses', () => {
    const words = { a: 'refund money back return', b: 'refund card payment charge', c: 'weather sunny rain cloud' };
    const rows: Row[] = [];
    for (let i = 0; i < 300; i++)
      for (const [l, w] of Object.entries(words))
        rows.push({ text: `${w.split(' ')[i % 4]} ${w.split(' ')[(i + 1) % 4]} item ${i}`, labels: [l] });
    const noisy = noisyTrain(rows, labels, 0.15, 3);
    const flips = noisy.filter((r, i) => r.labels[0] !== rows[i].labels[0]);
    expect(flips.length / rows.length).toBeGreaterThan(0.1);
    // a and b share "refund": their mistakes go to each other, hardly ever to c.
    const ab = flips.filter((r, _) => r.labels[0] !== 'c').length;
    expect(ab / flips.length).toBeGreaterThan(0.6);
  });
});
