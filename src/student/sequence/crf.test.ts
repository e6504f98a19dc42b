import { describe, expect, it } from 'vitest';
import type { EpochReport } from '../types.js';
import { SequencePerceptronParamsSchema, sequencePerceptronKind } from './index.js';
import type { SequencePerceptronStudent } from './model.js';
import { runSpanStudentContract } from './span-student.contract.js';
import { SPAN_TYPES, spanRows } from './synthetic-spans.js';

const crfParams = SequencePerceptronParamsSchema.parse({ trainer: 'crf' });

runSpanStudentContract('sequence-perceptron', {
  train: (rows, options) => sequencePerceptronKind.train(rows, options, crfParams),
  load: (bytes) => sequencePerceptronKind.fromBytes(bytes),
});

describe('sequence student, CRF trainer', () => {
  it('lowers the training negative log-likelihood pass after pass (the gradient points the right way)', () => {
    const losses: number[] = [];
    const onEpoch = (r: EpochReport) => losses.push(r.loss);
    // Below holdoutFrom: fixed passes, no early stopping, every pass reported.
    sequencePerceptronKind.train(
      spanRows(80, 4),
      { types: SPAN_TYPES, seed: 3, onEpoch },
      { ...crfParams, crfPrune: 0 },
    );
    expect(losses.length).toBe(crfParams.fixedEpochs);
    expect(losses[0]).toBeGreaterThan(0);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
    expect(losses.at(-1)!).toBeLessThan(losses[0] / 5);
  });

  it('is a different learner from the perceptron, and stronger L1 keeps fewer feature rows', () => {
    const rows = spanRows(300, 1);
    const options = { types: SPAN_TYPES, seed: 5 };
    const rowsOf = (s: unknown) => (s as SequencePerceptronStudent).state.buckets.length;
    const crf = sequencePerceptronKind.train(rows, options, crfParams);
    const perceptron = sequencePerceptronKind.train(rows, options, SequencePerceptronParamsSchema.parse({}));
    expect(Buffer.from(crf.toBytes()).equals(Buffer.from(perceptron.toBytes()))).toBe(false);
    const sparse = sequencePerceptronKind.train(rows, options, { ...crfParams, crfL1: 2 });
    expect(rowsOf(sparse)).toBeLessThan(rowsOf(crf) * 0.8);
    // Still learns the task with the penalty.
    const p = sparse.predict('Grace flew to Berlin last week');
    expect(p.spans.map((x) => [x.text, x.type])).toEqual([
      ['Grace', 'person'],
      ['Berlin', 'city'],
    ]);
  });
});
