import { describe, expect, it } from 'vitest';
import { trainStudent } from '../registry.js';
import { multiTopicRows, TOPIC_LABELS, topicRows } from '../synthetic-topics.js';
import { featureNames, hashText } from './hashing.js';
import { type HashedLinearStudent, topContributions } from './index.js';

const cfg = { bits: 18, wordNgrams: 2, charMin: 3, charMax: 5 };

describe('featureNames', () => {
  it('names every bucket hashText emits, in order: words, word bigrams, char n-grams in <word> padding', () => {
    const text = "Where's my refund? Café!";
    const names = featureNames(text, cfg);
    const hashed = hashText(text, cfg);
    expect(names.words).toHaveLength(hashed.words.length);
    expect(names.chars).toHaveLength(hashed.chars.length);
    expect(names.words.slice(0, 6)).toEqual(["where's", 'my', 'refund', '?', 'cafe', '!']);
    expect(names.words).toContain('my refund');
    expect(names.chars.slice(0, 3)).toEqual(['<wh', '<whe', '<wher']);
    // Same text piece, same bucket: the name of a char n-gram hashes where its twin in another word does.
    const again = hashText('refund refund', cfg);
    const againNames = featureNames('refund refund', cfg);
    const first = againNames.chars.indexOf('<ref');
    const second = againNames.chars.lastIndexOf('<ref');
    expect(second).toBeGreaterThan(first);
    expect(again.chars[second]).toBe(again.chars[first]);
  });
});

describe('HashedLinearStudent.explain', () => {
  const student = trainStudent('hashed-linear', topicRows(60, 4), {
    labels: TOPIC_LABELS,
    multiLabel: false,
    seed: 4,
  }) as HashedLinearStudent;

  it('gives contributions that sum with the bias to every logit', () => {
    for (const text of ['The striker scored a late goal for the team', 'Simmer the garlic in butter', 'zzz qqq']) {
      const e = student.explain(text);
      const logits = student.logits(text);
      expect(e.labels).toEqual([...TOPIC_LABELS]);
      e.labels.forEach((_, k) => {
        const sum = e.bias[k] + e.features.reduce((a, f) => a + f.contributions[k], 0);
        expect(sum).toBeCloseTo(logits[k], 4);
        expect(e.logits[k]).toBeCloseTo(logits[k], 6);
      });
    }
  });

  it('names the topic words as the strongest push toward the predicted label', () => {
    const text = 'The striker scored a penalty in the stadium';
    const k = TOPIC_LABELS.indexOf(student.predict(text).labels[0]);
    expect(TOPIC_LABELS[k]).toBe('sports');
    const { positive, negative } = topContributions(student.explain(text), k, 8);
    const top = positive.map((f) => f.feature).join(' ');
    expect(top).toMatch(/striker|penalty|stadium/);
    expect(positive.every((f) => f.weight > 0)).toBe(true);
    expect(negative.every((f) => f.weight < 0)).toBe(true);
    for (let i = 1; i < positive.length; i++) expect(positive[i].weight).toBeLessThanOrEqual(positive[i - 1].weight);
    // Word features are named by their text, not by a bucket number.
    expect(positive.some((f) => f.kind === 'word' && /^[a-z ]+$/.test(f.feature))).toBe(true);
  });

  it('explains a multi-label student too', () => {
    const multi = trainStudent('hashed-linear', multiTopicRows(40, 2), {
      labels: TOPIC_LABELS,
      multiLabel: true,
      seed: 2,
    }) as HashedLinearStudent;
    const text = 'the coach baked bread with flour';
    const e = multi.explain(text);
    const logits = multi.logits(text);
    e.labels.forEach((_, k) =>
      expect(e.bias[k] + e.features.reduce((a, f) => a + f.contributions[k], 0)).toBeCloseTo(logits[k], 4),
    );
  });
});
