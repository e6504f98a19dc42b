import { describe, expect, it } from 'vitest';
import { nearCopies } from './near-copies.js';
import { arrayPool } from '../read/text-pool.js';
import { Rng } from '../util/random.js';

const words = ['card', 'refund', 'pin', 'top', 'up', 'exchange', 'rate', 'blocked', 'why', 'my', 'account', 'transfer'];

/** 24,000 texts (over the parallel threshold); every 97th nearly copies one of the evaluation texts. */
function fixture() {
  const rng = new Rng(5);
  const sentence = (n: number) => Array.from({ length: n }, () => words[rng.int(words.length)]).join(' ');
  const evalTexts = Array.from({ length: 50 }, (_, i) => `${sentence(12)} number ${i}`);
  const pool = Array.from({ length: 24_000 }, (_, i) =>
    i % 97 === 0 ? `${evalTexts[i % evalTexts.length]}!` : `${sentence(3 + rng.int(10))} ref ${i}`,
  );
  return { pool, evalTexts };
}

describe('nearCopies', () => {
  it('finds the same near-copies on worker threads as on one thread', async () => {
    const { pool, evalTexts } = fixture();
    const one = await nearCopies(arrayPool(pool), evalTexts, 0.8, 1);
    const three = await nearCopies(arrayPool(pool), evalTexts, 0.8, 3);
    expect(one.size).toBeGreaterThanOrEqual(Math.floor(24_000 / 97));
    expect([...three].sort((a, b) => a - b)).toEqual([...one].sort((a, b) => a - b));
    for (let i = 0; i < pool.length; i += 97) expect(one.has(i)).toBe(true);
  });

  it('finds nothing without evaluation texts', async () => {
    expect((await nearCopies(arrayPool(['a b c']), [], 0.8, 2)).size).toBe(0);
  });
});
