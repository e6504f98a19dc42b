import type { StudentKind } from '../types.js';
import { decodeState } from './codec.js';
import { HASHED_LINEAR, HashedLinearStudent } from './model.js';
import { HashedLinearParamsSchema, type HashedLinearParams } from './params.js';
import { trainHashedLinear } from './train.js';

export const hashedLinearKind: StudentKind<HashedLinearParams> = {
  name: HASHED_LINEAR,
  description:
    'Hashed word 1-2-gram + char 3-5-gram TF-IDF features, linear softmax (or per-label sigmoid) trained by averaged SGD; ' +
    'temperature-calibrated; pruned to its strongest features, 4-bit weights. Trains in seconds, predicts in microseconds.',
  params: HashedLinearParamsSchema,
  train: (rows, options, params) => trainHashedLinear(rows, options, params),
  fromBytes: (bytes) => new HashedLinearStudent(decodeState(bytes)),
  // Pruning (`keepFraction`) keeps the features strongest for the given rows: off for comparisons.
  forComparison: (raw) => {
    const params = raw as Record<string, unknown> | undefined;
    return params?.keepFraction === 1 ? raw : { ...(params ?? {}), keepFraction: 1 };
  },
};

export { HashedLinearStudent } from './model.js';
export {
  HashedLinearParamsSchema,
  defaultHashedLinearParams,
  type HashedLinearParams,
  type HashedLinearParamsInput,
} from './params.js';
export { trainHashedLinear } from './train.js';
export { topContributions, type WeightedFeature } from './explain.js';
