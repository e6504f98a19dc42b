import { describe, expect, it } from 'vitest';
import { DIMENSIONS, featureIndices, textVector } from './text-vector.js';
import { cosine } from './vector.js';

describe('textVector', () => {
  it('gives identical texts cosine 1 and unrelated ones about 0', () => {
    expect(cosine(textVector('refund my order'), textVector('Refund  my order'))).toBeCloseTo(1, 10);
    expect(cosine(textVector('refund'), textVector('xylophone'))).toBeLessThan(0.1);
  });

  it('sees shared word stems through character trigrams', () => {
    expect(cosine(textVector('refunded'), textVector('refund'))).toBeGreaterThan(0.5);
  });

  it('has one word feature per word and one per trigram of the space-joined words, all inside DIMENSIONS', () => {
    // " ab cd " has 5 trigrams; 2 words.
    const indices = featureIndices('AB, cd!');
    expect(indices).toHaveLength(7);
    for (const k of indices) expect(k >= 0 && k < DIMENSIONS).toBe(true);
    expect(featureIndices('ab cd')).toEqual(indices);
  });

  it('reads only the first 1000 characters', () => {
    const head = 'word '.repeat(200);
    expect(featureIndices(`${head}tail`)).toEqual(featureIndices(head));
  });

  it('is unit length, and empty for a text without words', () => {
    const v = textVector('the quick brown fox jumps');
    expect([...v.values()].reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 10);
    expect(textVector('?! …').size).toBe(0);
  });
});
