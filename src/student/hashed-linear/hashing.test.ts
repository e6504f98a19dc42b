import { describe, expect, it } from 'vitest';
import { hashText } from './hashing.js';

/**
 * Saved models hold one weight per bucket, so the buckets a text hashes to can never change: these
 * were recorded from the featurizer that trained the models already in use (before the FNV hash
 * moved to src/text/fnv.ts). A change here means every saved model predicts differently.
 */
describe('hashText: buckets pinned for saved models', () => {
  it('hashes ASCII text with word bigrams and char 3-5-grams to the recorded buckets', () => {
    expect(hashText("Where's my refund?", { bits: 18, wordNgrams: 2, charMin: 3, charMax: 5 })).toEqual({
      words: [224741, 139033, 55910, 123629, 173740, 157217, 55617],
      chars: [
        199223, 56490, 241193, 199430, 172272, 121315, 107386, 59680, 10014, 196293, 95878, 162358, 73280, 113865,
        251341, 125595, 237274, 137455, 24775, 167252, 9168, 235019, 93536, 8108, 229018, 180039, 132504, 50178, 117001,
        978, 242105, 186147, 104669, 36037, 137708,
      ],
    });
  });

  it('hashes accented text with word trigrams and char 2-4-grams to the recorded buckets', () => {
    expect(hashText('Café — naïve', { bits: 12, wordNgrams: 3, charMin: 2, charMax: 4 })).toEqual({
      words: [666, 2390, 498, 893, 3492, 3573],
      chars: [
        3450, 2255, 2654, 3397, 1655, 2502, 764, 2435, 1440, 2328, 2638, 1449, 198, 3419, 2228, 2122, 1441, 1057, 721,
        586, 2075, 2991, 3035, 971, 1618, 1154, 1449,
      ],
    });
  });
});
