import { decodeSequenceState } from './codec.js';
import { SEQUENCE_PERCEPTRON, SequencePerceptronStudent } from './model.js';
import { type SequencePerceptronParams, SequencePerceptronParamsSchema } from './params.js';
import { trainSequencePerceptron } from './train.js';
import type { SpanStudentKind } from './types.js';

export const sequencePerceptronKind: SpanStudentKind<SequencePerceptronParams> = {
  name: SEQUENCE_PERCEPTRON,
  description:
    'Hashed token features (word, shape, affixes, char n-grams, ±2 window), averaged structured perceptron with ' +
    'BIO-constrained Viterbi; span confidences from forward-backward over temperature-scaled scores; int8 weights.',
  params: SequencePerceptronParamsSchema,
  train: (rows, options, params) => trainSequencePerceptron(rows, options, params),
  fromBytes: (bytes) => new SequencePerceptronStudent(decodeSequenceState(bytes)),
};

export { SequencePerceptronStudent } from './model.js';
export { SequencePerceptronParamsSchema, type SequencePerceptronParams } from './params.js';
export { trainSequencePerceptron } from './train.js';
export type * from './types.js';
