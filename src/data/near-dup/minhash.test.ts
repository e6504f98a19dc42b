import { describe, expect, it } from 'vitest';
import { Rng } from '../../util/random.js';
import { estimateJaccard, MinHasher, normalizeText, shingleHashes, shingleJaccard } from './minhash.js';

const TEXT = 'I was charged twice for my subscription this month, please refund one of them.';

/** Sentences over a small vocabulary, so pairs span the whole similarity range. */
function sentences(rng: Rng, count: number): string[] {
  const words =
    'card charge refund app crash login password transfer account balance fee pending cash pin limit delivery stolen the my how can'.split(
      ' ',
    );
  return Array.from({ length: count }, () =>
    Array.from({ length: 6 + rng.int(14) }, () => words[rng.int(words.length)]).join(' '),
  );
}

describe('MinHash', () => {
  const hasher = new MinHasher();

  it('gives identical texts similarity 1, and ignores case, punctuation and spacing', () => {
    expect(estimateJaccard(hasher.signature(TEXT), hasher.signature(TEXT))).toBe(1);
    const shouted = '  I WAS CHARGED TWICE for my subscription this month -- please refund one of them!!! ';
    expect(normalizeText(shouted)).toBe(normalizeText(TEXT));
    expect(estimateJaccard(hasher.signature(shouted), hasher.signature(TEXT))).toBe(1);
  });

  it('gives texts with no shingle in common a similarity near 0', () => {
    const other = 'Zygote quokka jukebox: 0987 XYZ-kvetch.';
    expect(shingleJaccard(TEXT, other)).toBe(0);
    expect(estimateJaccard(hasher.signature(TEXT), hasher.signature(other))).toBeLessThanOrEqual(0.05);
  });

  it('estimates the shingle Jaccard similarity within sampling error', () => {
    const rng = new Rng(3);
    const base = sentences(rng, 300);
    const errors = base.map((a) => {
      const words = a.split(' ');
      for (let e = rng.int(5); e > 0; e--) words[rng.int(words.length)] = 'refunded';
      const b = words.join(' ');
      return estimateJaccard(hasher.signature(a), hasher.signature(b)) - shingleJaccard(a, b);
    });
    // 128 permutations: standard error at most 0.5/sqrt(128) ≈ 0.044 per pair.
    const rmse = Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length);
    expect(rmse).toBeLessThan(0.045);
    expect(Math.abs(errors.reduce((s, e) => s + e, 0) / errors.length)).toBeLessThan(0.01);
    expect(Math.max(...errors.map(Math.abs))).toBeLessThan(0.2);
  });

  it('estimates a one-word edit without bias across seeds', () => {
    const edited = TEXT.replace('subscription', 'membership');
    const truth = shingleJaccard(TEXT, edited);
    expect(truth).toBeGreaterThan(0.6);
    expect(truth).toBeLessThan(0.8);
    const estimates = Array.from({ length: 60 }, (_, seed) => {
      const h = new MinHasher({ seed });
      return estimateJaccard(h.signature(TEXT), h.signature(edited));
    });
    expect(Math.abs(estimates.reduce((s, e) => s + e, 0) / estimates.length - truth)).toBeLessThan(0.02);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(new MinHasher().signature(TEXT)).toEqual(hasher.signature(TEXT));
    expect(new MinHasher({ seed: 9 }).signature(TEXT)).toEqual(new MinHasher({ seed: 9 }).signature(TEXT));
    expect(new MinHasher({ seed: 9 }).signature(TEXT)).not.toEqual(hasher.signature(TEXT));
    expect(new MinHasher({ permutations: 64 }).signature(TEXT)).toHaveLength(64);
  });

  it('treats a text shorter than a shingle as one shingle, and refuses to compare different hashers', () => {
    expect(shingleHashes('Hi!')).toHaveLength(1);
    expect(estimateJaccard(hasher.signature('hi'), hasher.signature('HI.'))).toBe(1);
    expect(estimateJaccard(hasher.signature('hi'), hasher.signature('yo'))).toBe(0);
    expect(() => estimateJaccard(hasher.signature(TEXT), new MinHasher({ permutations: 64 }).signature(TEXT))).toThrow(
      /different hashers/,
    );
  });

  it('counts each distinct shingle once', () => {
    expect(shingleHashes('abababababab', 2)).toHaveLength(2);
    expect(shingleJaccard('la la la la', 'la la la la la la')).toBe(1);
  });
});
