export type { EpochReport, Prediction, Student, StudentKind, TrainingRow, TrainOptions } from './types.js';
export {
  DEFAULT_STUDENT_KIND,
  getStudentKind,
  listStudentKinds,
  loadStudent,
  registerStudentKind,
  saveStudent,
  trainStudent,
} from './registry.js';
export {
  decodeModelFile,
  encodeModelFile,
  MODEL_FORMAT_VERSION,
  type ModelFile,
  type ModelHeader,
} from './model-file.js';
export {
  defaultHashedLinearParams,
  hashedLinearKind,
  HashedLinearParamsSchema,
  HashedLinearStudent,
  trainHashedLinear,
  type HashedLinearParams,
  type HashedLinearParamsInput,
} from './hashed-linear/index.js';
