export { RunDir, type CreateRunDirOptions } from './run-dir.js';
export {
  RUN_FILES,
  RUN_FORMAT_VERSION,
  REQUIRED_FOR_COMPLETE,
  readRunStatus,
  type EventLine,
  type RunInfo,
  type RunStatus,
} from './run-files.js';
export { newRunId, uniqueRunId } from './run-id.js';
export { redact, REDACTED } from '../util/redact.js';
export { writeFileAtomic } from '../util/atomic.js';
export { modelCard, type ModelCard } from './model-card.js';
