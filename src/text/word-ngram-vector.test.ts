import { describe, expect, it } from 'vitest';
import { fnv1a } from './fnv.js';
import { cosine } from './vector.js';
import { wordNgramVector } from './word-ngram-vector.js';

describe('wordNgramVector', () => {
  it('counts each word and each adjacent pair of words, lowercased', () => {
    const v = wordNgramVector('Card card declined');
    const keys = new Map([...v].map(([k, x]) => [k, x]));
    // card ×2, declined, "card card", "card declined": squared counts 4+1+1+1.
    const norm = Math.sqrt(7);
    expect(keys.get(fnv1a('card'))).toBeCloseTo(2 / norm, 12);
    expect(keys.get(fnv1a('card declined'))).toBeCloseTo(1 / norm, 12);
    expect(v.size).toBe(4);
  });

  it('tells a reworded text from a copy', () => {
    const a = wordNgramVector('my card was declined at the shop');
    expect(cosine(a, wordNgramVector('My card was declined at the shop!'))).toBeCloseTo(1, 10);
    expect(cosine(a, wordNgramVector('the shop declined my card'))).toBeLessThan(0.7);
    expect(wordNgramVector('').size).toBe(0);
  });
});
