import { describe, expect, it } from 'vitest';
import { tokenizeWithOffsets } from '../../text/spans/tokenize.js';
import { ModelFileError } from '../../errors.js';
import { spanMetrics } from '../../metrics/spans.js';
import type { EpochReport } from '../types.js';
import { SPAN_TYPES, spanRows } from './synthetic-spans.js';
import type { SpanPrediction, SpanStudent, SpanTrainingRow, SpanTrainOptions } from './types.js';

/** How the contract gets span students of the kind under test. */
export interface SpanStudentFactory {
  train(rows: readonly SpanTrainingRow[], options: SpanTrainOptions): SpanStudent;
  load(bytes: Uint8Array): SpanStudent;
}

function probeTexts(): string[] {
  return [
    ...spanRows(15, 99, true).map((r) => r.text),
    '',
    '   ',
    '?!',
    'Ünïcödé cafés — naïve façade 😀 in São Paulo',
    '東京で Ada Lovelace に会った 😀😀',
    `${'Paris '.repeat(800)}end`,
    'Grace Grace Grace',
  ];
}

function expectSame(a: SpanPrediction, b: SpanPrediction): void {
  expect(b.spans).toEqual(a.spans);
  expect(b.tokens).toEqual(a.tokens);
  expect(b.confidence).toBe(a.confidence);
}

function f1(student: SpanStudent, rows: readonly SpanTrainingRow[]): number {
  const preds = rows.map((r) => student.predict(r.text).spans);
  return spanMetrics(
    rows.map((r) => r.spans),
    preds,
  ).micro.f1;
}

/** The behaviour every extraction student must show: `runSpanStudentContract('kind', factory)`. */
export function runSpanStudentContract(name: string, factory: SpanStudentFactory): void {
  describe(`SpanStudent contract: ${name}`, () => {
    const train = spanRows(300, 1);
    const heldOut = spanRows(150, 2);
    const options: SpanTrainOptions = { types: SPAN_TYPES, seed: 7 };
    let trained: SpanStudent | undefined;
    const student = () => (trained ??= factory.train(train, options));

    it('describes itself', () => {
      expect(student().kind).toBe(name);
      expect(student().types).toEqual(SPAN_TYPES);
    });

    it('learns a small synthetic extraction task (≥ 0.95 held-out entity F1, ≥ 0.8 with unseen names)', () => {
      expect(f1(student(), heldOut)).toBeGreaterThanOrEqual(0.95);
      expect(f1(student(), spanRows(150, 3, true))).toBeGreaterThanOrEqual(0.8);
    });

    it('answers well-formed spans: inside the text, sorted, flat, typed, with probabilities', () => {
      for (const text of probeTexts()) {
        const p = student().predict(text);
        expect(p.confidence).toBeGreaterThanOrEqual(0);
        expect(p.confidence).toBeLessThanOrEqual(1);
        let end = 0;
        for (const s of p.spans) {
          expect(s.start).toBeGreaterThanOrEqual(end);
          expect(s.end).toBeGreaterThan(s.start);
          expect(s.end).toBeLessThanOrEqual(text.length);
          expect(s.text).toBe(text.slice(s.start, s.end));
          expect(SPAN_TYPES).toContain(s.type);
          expect(s.confidence).toBeGreaterThan(0);
          expect(s.confidence).toBeLessThanOrEqual(1);
          end = s.end;
        }
      }
    });

    it('is surer of the spans it gets right than of those it gets wrong', () => {
      const rows = spanRows(200, 4, true);
      const right: number[] = [];
      const wrong: number[] = [];
      for (const r of rows) {
        const gold = new Set(r.spans.map((s) => `${s.start}:${s.end}:${s.type}`));
        for (const s of student().predict(r.text).spans)
          (gold.has(`${s.start}:${s.end}:${s.type}`) ? right : wrong).push(s.confidence);
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(wrong.length).toBeGreaterThan(0);
      expect(mean(right)).toBeGreaterThan(mean(wrong));
    });

    it('tags on the tokens it is given, when given them', () => {
      const text = 'Ada Lovelace flew to New York last week';
      const p = student().predict(text, tokenizeWithOffsets(text));
      expect(p.spans.map((s) => [s.text, s.type])).toEqual([
        ['Ada Lovelace', 'person'],
        ['New York', 'city'],
      ]);
      // One token for "NewYork"-like input: the span cannot be finer than it.
      const glued = student().predict(text, [
        { start: 0, end: 12 },
        { start: 13, end: 17 },
        { start: 18, end: 20 },
        { start: 21, end: 29 },
      ]);
      for (const s of glued.spans) expect([0, 13, 18, 21]).toContain(s.start);
    });

    it('predictBatch agrees with predict', () => {
      const texts = probeTexts();
      const batch = student().predictBatch(texts);
      texts.forEach((t, i) => expectSame(student().predict(t), batch[i]));
    });

    it('is deterministic for a seed: byte-identical models', () => {
      const again = factory.train(train, options);
      expect(Buffer.from(again.toBytes()).equals(Buffer.from(student().toBytes()))).toBe(true);
    });

    it('save/load gives identical spans and confidences, and re-saves to the same bytes', () => {
      const bytes = student().toBytes();
      const loaded = factory.load(bytes);
      expect(loaded.kind).toBe(name);
      expect(loaded.types).toEqual(student().types);
      for (const text of probeTexts()) expectSame(student().predict(text), loaded.predict(text));
      expect(Buffer.from(loaded.toBytes()).equals(Buffer.from(bytes))).toBe(true);
    });

    it('rejects bad bytes with ModelFileError', () => {
      const bytes = student().toBytes();
      const flipped = bytes.slice();
      flipped[Math.floor(flipped.length / 2)] ^= 0xff;
      for (const b of [new Uint8Array(0), bytes.subarray(0, bytes.length - 7), flipped, new TextEncoder().encode('{}')])
        expect(() => factory.load(b)).toThrow(ModelFileError);
    });

    it('reports epochs while training', () => {
      const reports: EpochReport[] = [];
      factory.train(train, { ...options, onEpoch: (r) => reports.push(r) });
      expect(reports.length).toBeGreaterThan(0);
      for (const r of reports) expect(Number.isFinite(r.loss)).toBe(true);
    });

    it('honours row weights: zero-weight rows teach nothing', () => {
      // Every row again with its types rotated (person→city→product→person), at weight 0.
      const rotate = (t: string) => SPAN_TYPES[(SPAN_TYPES.indexOf(t as (typeof SPAN_TYPES)[number]) + 1) % 3];
      const wrong = train.map((r) => ({
        ...r,
        spans: r.spans.map((s) => ({ ...s, type: rotate(s.type) })),
        weight: 0,
      }));
      expect(f1(factory.train([...train, ...wrong], options), heldOut)).toBeGreaterThanOrEqual(0.95);
    });
  });
}
