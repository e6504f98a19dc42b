import { describe, expect, it } from 'vitest';
import { NearDupIndex } from '../data/near-dup/near-dup-index.js';
import { Rng } from '../util/random.js';
import { nearCopyTest } from './near-copy-test.js';

const words = 'card refund pin top up exchange rate blocked why my account transfer the a to is'.split(' ');

/** Evaluation texts, and pool texts that copy one with 0 to 12 words changed, beside unrelated ones. */
function fixture(seed: number) {
  const rng = new Rng(seed);
  const sentence = (n: number) => Array.from({ length: n }, () => words[rng.int(words.length)]).join(' ');
  const evalTexts = Array.from({ length: 60 }, (_, i) => `${sentence(6 + rng.int(14))} case ${i}`);
  const pool = Array.from({ length: 3000 }, (_, i) => {
    if (i % 3 !== 0) return `${sentence(2 + rng.int(16))} ref ${i}`;
    const w = evalTexts[rng.int(evalTexts.length)].split(' ');
    for (let k = rng.int(12); k > 0; k--) w[rng.int(w.length)] = words[rng.int(words.length)];
    return w.join(' ');
  });
  return { evalTexts, pool };
}

describe('nearCopyTest', () => {
  for (const threshold of [0, 0.3, 0.5, 0.8, 0.9, 1]) {
    it(`agrees with the near-duplicate index on every text (threshold ${threshold})`, () => {
      const { evalTexts, pool } = fixture(Math.round(threshold * 10) + 1);
      const index = new NearDupIndex({ threshold });
      evalTexts.forEach((t, i) => index.add(String(i), t));
      const isCopy = nearCopyTest(evalTexts, threshold);
      const expected = pool.map((t) => index.nearest(t) !== undefined);
      expect(pool.map(isCopy)).toEqual(expected);
      // The fixture has matches and misses near every threshold, so agreement is not trivial.
      if (threshold > 0 && threshold < 1) {
        expect(expected.filter(Boolean).length).toBeGreaterThan(20);
        expect(expected.filter((x) => !x).length).toBeGreaterThan(20);
      }
    });
  }
});
