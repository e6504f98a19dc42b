import { describe, expect, it } from 'vitest';
import { Rng } from '../../util/random.js';
import { estimateJaccard, MinHasher, shingleJaccard } from './minhash.js';
import { bandRows, NearDupIndex } from './near-dup-index.js';

const WORDS =
  'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu'.split(
    ' ',
  );

function randomText(rng: Rng): string {
  return Array.from({ length: 10 + rng.int(10) }, () => `${WORDS[rng.int(WORDS.length)]}${rng.int(100)}`).join(' ');
}

describe('bandRows', () => {
  it('cuts more rows per band for a stricter threshold, so fewer unrelated texts become candidates', () => {
    expect(bandRows(128, 0.9)).toBeGreaterThan(bandRows(128, 0.6));
    expect(bandRows(128, 0.6)).toBeGreaterThan(bandRows(128, 0.2));
    expect(bandRows(128, 1)).toBe(128);
    expect(bandRows(128, 0)).toBe(1);
  });
});

describe('NearDupIndex', () => {
  it('finds near-duplicates above the threshold, most similar first, and nothing else', () => {
    const index = new NearDupIndex({ threshold: 0.7 });
    index.add('exact', 'My card payment was declined at the supermarket today');
    index.add('edited', 'My card payment was declined at the pharmacy today');
    index.add('other', 'How do I change the PIN of my new debit card?');
    const matches = index.query('my card payment was DECLINED at the supermarket today!');
    expect(matches.map((m) => m.id)).toEqual(['exact']);
    expect(matches[0].similarity).toBe(1);
    const looser = index.query('my card payment was declined at the supermarket today', 0.4);
    expect(looser.map((m) => m.id)).toEqual(['exact', 'edited']);
    expect(looser[1].similarity).toBeLessThan(1);
    expect(index.nearest('Where is your office in Lisbon?')).toBeUndefined();
    expect(index.size).toBe(3);
  });

  it('takes a fingerprint in place of a text, and refuses one from another hasher', () => {
    const index = new NearDupIndex();
    const print = index.fingerprint('the same words, hashed once');
    index.add('a', print);
    expect(index.nearest(print)).toEqual({ id: 'a', similarity: 1 });
    const other = new NearDupIndex({ permutations: 64 }).fingerprint('the same words, hashed once');
    expect(() => index.query(other)).toThrow(/64 values/);
  });

  it('scores candidates by their exact shingle similarity, not the MinHash estimate', () => {
    const text = 'I was charged twice for my subscription this month, please refund one of them.';
    const edited = text.replace('subscription', 'membership');
    const index = new NearDupIndex({ threshold: 0.6 });
    index.add('edited', edited);
    // The default hasher's signatures happen to agree on only 0.52 of this pair; the sets share 0.65.
    const hasher = new MinHasher();
    expect(estimateJaccard(hasher.signature(text), hasher.signature(edited))).toBeLessThan(0.6);
    expect(index.nearest(text)).toEqual({ id: 'edited', similarity: shingleJaccard(text, edited) });
  });

  it('orders ties by insertion and is deterministic across instances', () => {
    const a = new NearDupIndex();
    const b = new NearDupIndex();
    for (const index of [a, b]) {
      index.add('second-added-first', 'identical text here');
      index.add('later', 'identical text here');
    }
    expect(a.query('identical text here')).toEqual([
      { id: 'second-added-first', similarity: 1 },
      { id: 'later', similarity: 1 },
    ]);
    expect(b.query('identical text here')).toEqual(a.query('identical text here'));
  });

  it('finds the planted near-duplicates among 20k rows and no false ones', () => {
    const rng = new Rng(11);
    const index = new NearDupIndex({ threshold: 0.9 });
    const texts = Array.from({ length: 20_000 }, () => randomText(rng));
    texts.forEach((t, i) => index.add(String(i), t));
    const planted = [5, 777, 12_345, 19_999];
    for (const i of planted) {
      const copy = `${texts[i].toUpperCase()}.`;
      expect(index.nearest(copy)?.id).toBe(String(i));
    }
    let falseHits = 0;
    for (let k = 0; k < 500; k++) if (index.nearest(randomText(rng))) falseHits++;
    expect(falseHits).toBe(0);
  });

  it('rejects a threshold outside 0..1', () => {
    expect(() => new NearDupIndex({ threshold: 1.5 })).toThrow(/0\.\.1/);
  });
});
