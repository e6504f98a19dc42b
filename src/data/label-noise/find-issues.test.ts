import { describe, expect, it } from 'vitest';
import { multiTopicRows, TOPIC_LABELS, topicRows } from '../../student/synthetic-topics.js';
import { Rng } from '../../util/random.js';
import { assignFolds, findLabelIssues, type LabeledRow } from './index.js';

/** Flips `share` of the rows to another label; returns the noisy rows and which ones were flipped. */
function flip(rows: LabeledRow[], share: number, seed: number): { noisy: LabeledRow[]; flipped: Set<number> } {
  const rng = new Rng(seed);
  const flipped = new Set(rng.sample([...rows.keys()], Math.round(rows.length * share)));
  const noisy = rows.map((r, i) => {
    if (!flipped.has(i)) return r;
    const others = TOPIC_LABELS.filter((l) => l !== r.labels[0]);
    return { text: r.text, labels: [others[rng.int(others.length)]] };
  });
  return { noisy, flipped };
}

describe('findLabelIssues on synthetic topics with injected flips', () => {
  const clean = topicRows(150, 7);
  const { noisy, flipped } = flip(clean, 0.1, 3);
  const options = { labels: TOPIC_LABELS, multiLabel: false, seed: 5 };
  const issues = findLabelIssues(noisy, options);

  it('finds most flips with decent precision', () => {
    const hits = issues.filter((i) => flipped.has(i.index));
    expect(hits.length / flipped.size).toBeGreaterThanOrEqual(0.7);
    expect(hits.length / issues.length).toBeGreaterThanOrEqual(0.6);
    // Where a flip is found, the suggestion is mostly the original label.
    const restored = hits.filter((i) => i.suggested[0] === clean[i.index].labels[0]).length;
    expect(restored / hits.length).toBeGreaterThanOrEqual(0.8);
  });

  it('reports rows as given, most doubtful first', () => {
    for (const i of issues) {
      expect(i.text).toBe(noisy[i.index].text);
      expect(i.given).toEqual(noisy[i.index].labels);
      expect(i.suggested).not.toEqual(i.given);
    }
    const confidence = issues.map((i) => i.selfConfidence);
    expect(confidence).toEqual([...confidence].sort((a, b) => a - b));
  });

  it('is deterministic for a seed', () => {
    expect(findLabelIssues(noisy, options)).toEqual(issues);
  });

  it('multi-label: checks each label one-vs-rest and suggests the flipped set', () => {
    const rows = multiTopicRows(400, 11);
    const rng = new Rng(4);
    const dropped = new Set(
      rng.sample(
        [...rows.keys()].filter((i) => rows[i].labels.length > 0),
        30,
      ),
    );
    // A dropped label is a typical multi-label mistake: the annotator missed one of two topics.
    const noisyMulti = rows.map((r, i) => (dropped.has(i) ? { text: r.text, labels: r.labels.slice(1) } : r));
    const found = findLabelIssues(noisyMulti, { labels: TOPIC_LABELS, multiLabel: true, seed: 2 });
    const hits = found.filter((i) => dropped.has(i.index));
    expect(hits.length / dropped.size).toBeGreaterThanOrEqual(0.5);
    expect(hits.length / found.length).toBeGreaterThanOrEqual(0.8);
    expect(
      hits.some(
        (i) =>
          i.suggested.length === rows[i.index].labels.length &&
          i.suggested.every((l) => rows[i.index].labels.includes(l)),
      ),
    ).toBe(true);
  });

  it('refuses too few rows and labels outside the task', () => {
    expect(() => findLabelIssues(noisy.slice(0, 6), options)).toThrow(/at least 10 rows/);
    expect(() => findLabelIssues([...noisy.slice(0, 20), { text: 'x', labels: ['nope'] }], options)).toThrow(
      /not one of the task's labels/,
    );
  });
});

describe('assignFolds', () => {
  it('spreads every class over the folds, the same way for the same seed', () => {
    const rows = topicRows(10, 1);
    const folds = assignFolds(rows, 5, 9);
    expect([...folds]).toEqual([...assignFolds(rows, 5, 9)]);
    for (const label of TOPIC_LABELS) {
      const perFold = new Array(5).fill(0);
      rows.forEach((r, i) => r.labels[0] === label && perFold[folds[i]]++);
      expect(perFold).toEqual([2, 2, 2, 2, 2]);
    }
  });
});
