import { describe, expect, it } from 'vitest';
import { chooseCutoff } from './fasttext.js';
import { ftLabel, parseFastTextPredictions } from './fasttext-parse.js';

describe('fastText output parsing', () => {
  const labels = ['card arrival', 'refund'];

  it('maps single-label tokens back to label names, spaces included, and keeps an empty line empty', () => {
    const out = `${ftLabel('card arrival')}\n\n__label__refund\n`;
    expect(parseFastTextPredictions(out, 3, labels, null)).toEqual([['card arrival'], [], ['refund']]);
  });

  it('decodes predict-prob lines by the shared rule', () => {
    const out = '__label__refund 0.7 __label__card_arrival 0.6\n__label__refund 0.3 __label__card_arrival 0.1\n';
    expect(parseFastTextPredictions(out, 2, labels, { atLeastOne: true })).toEqual([
      ['refund', 'card arrival'],
      ['refund'],
    ]);
    expect(parseFastTextPredictions(out, 2, labels, { atLeastOne: false })[1]).toEqual([]);
  });

  it('refuses output with a line per text missing or extra', () => {
    expect(() => parseFastTextPredictions('__label__refund\n', 2, labels, null)).toThrow(/1 lines for 2 texts/);
    expect(() =>
      parseFastTextPredictions('__label__refund\n__label__refund\n__label__refund\n', 2, labels, null),
    ).toThrow(/3 lines for 2/);
  });

  it('refuses a predict-prob line that is not label/probability pairs', () => {
    expect(() => parseFastTextPredictions('__label__refund oops\n', 1, labels, { atLeastOne: true })).toThrow(
      /unexpected fastText/,
    );
  });
});

describe('quantization cutoff choice', () => {
  const c = [
    { cutoff: 5000, bytes: 300, accuracy: 0.88 },
    { cutoff: 10000, bytes: 500, accuracy: 0.896 },
    { cutoff: 20000, bytes: 800, accuracy: 0.9 },
  ];

  it('takes the smallest file within half a point of the unquantized validation accuracy', () => {
    expect(chooseCutoff(c, 0.9).cutoff).toBe(10000);
  });

  it('takes the most accurate file when none is within half a point', () => {
    expect(chooseCutoff(c, 0.95).cutoff).toBe(20000);
  });
});
