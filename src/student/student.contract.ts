import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../errors.js';
import { multiTopicRows, TOPIC_LABELS, topicRows } from './synthetic-topics.js';
import type { EpochReport, Prediction, Student, TrainingRow, TrainOptions } from './types.js';

/** How the contract gets students of the kind under test. */
export interface StudentFactory {
  train(rows: readonly TrainingRow[], options: TrainOptions): Student;
  /** Reads `toBytes()` output back (normally `loadStudent` or the kind's `fromBytes`). */
  load(bytes: Uint8Array): Student;
}

/** Texts to compare predictions on: in-domain, off-domain, and awkward inputs. */
function probeTexts(): string[] {
  const texts = topicRows(15, 99).map((r) => r.text);
  texts.push(
    '',
    '   ',
    '?!',
    'Ünïcödé cafés — naïve façade 😀',
    'x'.repeat(5000),
    'goal goal goal goal',
    'oven and stock and rain and match',
  );
  return texts;
}

function expectSamePrediction(a: Prediction, b: Prediction): void {
  expect(b.labels).toEqual(a.labels);
  expect(Array.from(b.probs)).toEqual(Array.from(a.probs));
  expect(b.margin).toBe(a.margin);
}

function accuracy(student: Student, rows: readonly TrainingRow[]): number {
  const preds = student.predictBatch(rows.map((r) => r.text));
  let hits = 0;
  preds.forEach((p, i) => {
    const gold = [...rows[i].labels].sort().join('|');
    if ([...p.labels].sort().join('|') === gold) hits++;
  });
  return hits / rows.length;
}

/**
 * The behaviour every Student kind must show. Call from the kind's test file:
 * `runStudentContract('my-kind', { train: ..., load: ... })`.
 */
export function runStudentContract(name: string, factory: StudentFactory): void {
  describe(`Student contract: ${name}`, () => {
    const train = topicRows(40, 1);
    const heldOut = topicRows(50, 2);
    const options: TrainOptions = { labels: TOPIC_LABELS, multiLabel: false, seed: 7 };
    let trained: Student | undefined;
    const student = () => (trained ??= factory.train(train, options));

    it('describes itself', () => {
      const s = student();
      expect(s.kind).toBe(name);
      expect(s.labels).toEqual(TOPIC_LABELS);
      expect(s.multiLabel).toBe(false);
    });

    it('learns a small synthetic topic task (≥ 0.9 held-out accuracy)', () => {
      expect(accuracy(student(), heldOut)).toBeGreaterThanOrEqual(0.9);
    });

    it('single-label predictions: one label, probs sum to 1, margin = top1 − top2', () => {
      for (const text of probeTexts()) {
        const p = student().predict(text);
        expect(p.labels).toHaveLength(1);
        expect(p.probs).toHaveLength(TOPIC_LABELS.length);
        const probs = Array.from(p.probs);
        for (const q of probs) expect(q >= 0 && q <= 1).toBe(true);
        expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        const sorted = [...probs].sort((a, b) => b - a);
        expect(p.labels[0]).toBe(TOPIC_LABELS[probs.indexOf(sorted[0])]);
        expect(p.margin).toBeCloseTo(sorted[0] - sorted[1], 6);
      }
    });

    it('predictBatch agrees with predict', () => {
      const texts = probeTexts();
      const batch = student().predictBatch(texts);
      texts.forEach((t, i) => expectSamePrediction(student().predict(t), batch[i]));
    });

    it('is deterministic for a seed: byte-identical models', () => {
      const again = factory.train(train, options);
      expect(Buffer.from(again.toBytes()).equals(Buffer.from(student().toBytes()))).toBe(true);
    });

    it('save/load gives identical predictions and probabilities', () => {
      const bytes = student().toBytes();
      const loaded = factory.load(bytes);
      expect(loaded.kind).toBe(name);
      expect(loaded.labels).toEqual(student().labels);
      for (const text of probeTexts()) expectSamePrediction(student().predict(text), loaded.predict(text));
      // Re-saving a loaded model changes nothing.
      expect(Buffer.from(loaded.toBytes()).equals(Buffer.from(bytes))).toBe(true);
    });

    it('rejects bad bytes with ModelFileError', () => {
      const bytes = student().toBytes();
      const flipped = bytes.slice();
      flipped[Math.floor(flipped.length / 2)] ^= 0xff;
      const bad = [
        new Uint8Array(0),
        new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]),
        bytes.subarray(0, bytes.length - 7),
        flipped,
        new TextEncoder().encode('{"kind":"x"}'),
      ];
      for (const b of bad) expect(() => factory.load(b)).toThrow(ModelFileError);
    });

    it('reports epochs while training', () => {
      const reports: EpochReport[] = [];
      factory.train(train, { ...options, onEpoch: (r) => reports.push(r) });
      expect(reports.length).toBeGreaterThan(0);
      for (const r of reports) expect(Number.isFinite(r.loss)).toBe(true);
    });

    it('honours row weights: zero-weight rows teach nothing', () => {
      // Every topic's rows duplicated under a wrong (rotated) label, at weight 0.
      const rotated = train.map((r) => ({
        text: r.text,
        labels: [TOPIC_LABELS[(TOPIC_LABELS.indexOf(r.labels[0]) + 1) % TOPIC_LABELS.length]],
        weight: 0,
      }));
      const s = factory.train([...train, ...rotated], options);
      expect(accuracy(s, heldOut)).toBeGreaterThanOrEqual(0.9);
    });

    it('multi-label: learns label sets and round-trips', () => {
      const rows = multiTopicRows(240, 3);
      const test = multiTopicRows(100, 4);
      const s = factory.train(rows, { labels: TOPIC_LABELS, multiLabel: true, seed: 7 });
      expect(s.multiLabel).toBe(true);
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (const r of test) {
        const p = s.predict(r.text);
        expect(p.probs).toHaveLength(TOPIC_LABELS.length);
        expect(p.margin).toBeGreaterThanOrEqual(0);
        for (const l of p.labels) r.labels.includes(l) ? tp++ : fp++;
        for (const l of r.labels) if (!p.labels.includes(l)) fn++;
      }
      expect((2 * tp) / (2 * tp + fp + fn)).toBeGreaterThanOrEqual(0.85);
      const loaded = factory.load(s.toBytes());
      for (const r of test.slice(0, 30)) expectSamePrediction(s.predict(r.text), loaded.predict(r.text));
    });
  });
}
