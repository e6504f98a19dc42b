import { describe, expect, it } from 'vitest';
import { sharedDataset } from '../../../test/fixtures/shared-datasets.js';
import { hashText, hashTokens } from './hashing.js';

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

/**
 * `hashText` takes a one-pass path for ASCII text; the regex tokenizer (`hashTokens`) is the
 * definition, and any text on which they differ would move a saved model's predictions.
 */
describe('hashText: the ASCII path agrees with the tokenizer', () => {
  const configs = [
    { bits: 20, wordNgrams: 2, charMin: 3, charMax: 5 },
    { bits: 12, wordNgrams: 3, charMin: 1, charMax: 2 },
    { bits: 16, wordNgrams: 1, charMin: 3, charMax: 0 },
  ];
  const same = (text: string) => {
    for (const cfg of configs) expect(hashText(text, cfg), JSON.stringify(text)).toEqual(hashTokens(text, cfg));
  };

  it('on apostrophes, backticks, digits, punctuation, control characters and every kind of ASCII space', () => {
    for (const text of [
      '',
      ' ',
      "Where's my refund?",
      "'tis the 'season' of rock'n'roll, isn't it''",
      "`quoted` O`Brien 's 'x 'a1 '1 a' a'' a'1'b 12'34 x'",
      'Tabs\tand\nlines\r\nand\u000b\u000cfeeds',
      'NULL\u0000byte and \u0007bell, DEL\u007f',
      'A-Z: ABC xyz 0123456789 !"#$%&()*+,-./:;<=>?@[\\]^_{|}~',
      'I',
      "'",
      '?!',
    ])
      same(text);
  });

  it('on random strings over an alphabet of the characters that steer tokenizing', () => {
    const alphabet = "aZ9 '`-?\t\n.x";
    let seed = 7;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 8;
    };
    for (let t = 0; t < 3000; t++) {
      let s = '';
      const len = rand() % 14;
      for (let i = 0; i < len; i++) s += alphabet[rand() % alphabet.length];
      same(s);
    }
  });

  const sets = ['banking77', 'trec', 'emotion', 'sms_spam'].map((name) => sharedDataset(name));
  const present = sets.filter((d) => d.has('train.jsonl'));
  it.skipIf(present.length === 0)(
    `on every training text of banking77, trec, emotion and sms_spam (${present.length === 0 ? sets[0].needs('train.jsonl') : `${present.length} of 4 sets found`})`,
    () => {
      const cfg = configs[0];
      let checked = 0;
      for (const d of present)
        for (const { text } of d.rows('train.jsonl')) {
          const fast = hashText(text, cfg);
          const slow = hashTokens(text, cfg);
          if (fast.words.join() !== slow.words.join() || fast.chars.join() !== slow.chars.join())
            expect(fast, JSON.stringify(text)).toEqual(slow);
          checked++;
        }
      expect(checked).toBeGreaterThan(1000);
    },
  );
});
