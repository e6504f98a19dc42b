import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { hashedLinearKind } from './hashed-linear/index.js';
import { runSpanStudentContract } from './sequence/span-student.contract.js';
import {
  getSpanStudentKind,
  isSpanStudentModel,
  listSpanStudentKinds,
  loadSpanStudent,
  trainSpanStudent,
} from './span-registry.js';
import { SPAN_TYPES, spanRows } from './sequence/synthetic-spans.js';

// The registered kind, reached by name as the loop reaches it, passes the whole contract.
runSpanStudentContract('sequence-perceptron', {
  train: (rows, options) => trainSpanStudent('sequence-perceptron', rows, options, {}),
  load: (bytes) => loadSpanStudent(bytes),
});

describe('extraction student registry', () => {
  it('lists sequence-perceptron and refuses unknown kinds and bad params naming the field', () => {
    expect(listSpanStudentKinds().map((k) => k.name)).toContain('sequence-perceptron');
    expect(() => getSpanStudentKind('hashed-linear')).toThrow(ConfigError);
    expect(() =>
      trainSpanStudent('sequence-perceptron', spanRows(5, 1), { types: SPAN_TYPES, seed: 1 }, { maxEpochs: -1 }),
    ).toThrow(/student\.params\.maxEpochs/);
  });

  it('tells extraction models from classification ones by their header', () => {
    const span = trainSpanStudent('sequence-perceptron', spanRows(20, 1), { types: SPAN_TYPES, seed: 1 }, {});
    expect(isSpanStudentModel(span.toBytes())).toBe(true);
    const cls = hashedLinearKind.train(
      [
        { text: 'a', labels: ['x'] },
        { text: 'b', labels: ['y'] },
      ],
      { labels: ['x', 'y'], multiLabel: false, seed: 1 },
      hashedLinearKind.params.parse({}),
    );
    expect(isSpanStudentModel(cls.toBytes())).toBe(false);
    expect(() => loadSpanStudent(cls.toBytes())).toThrow(/not an extraction student kind/);
  });
});
