import { describe, expect, it } from 'vitest';
import { toWire } from './scores.js';

const labels = ['a', 'b', 'c', 'd', 'e'];
const pred = (probs: number[]) => ({ labels: ['x'], probs: new Float32Array(probs), margin: 0 });

describe('toWire', () => {
  it('returns the top k scores, highest first, as the HF pipeline', () => {
    const w = toWire(labels, pred([0.1, 0.4, 0.05, 0.3, 0.15]), 3);
    expect(w.scores.map((s) => s.label)).toEqual(['b', 'd', 'e']);
    expect(w.scores[0].score).toBeCloseTo(0.4, 6);
    expect(w.labels).toEqual(['x']);
  });

  it('agrees with a full sort for every k, ties kept in label order', () => {
    const probs = [0.2, 0.1, 0.2, 0.4, 0.1];
    const sorted = labels.map((l, i) => ({ l, p: probs[i] })).sort((x, y) => y.p - x.p);
    for (let k = 1; k <= 7; k++)
      expect(toWire(labels, pred(probs), k).scores.map((s) => s.label)).toEqual(sorted.slice(0, k).map((s) => s.l));
  });

  it('copes with no labels', () => {
    expect(toWire([], pred([]), 5).scores).toEqual([]);
  });
});
