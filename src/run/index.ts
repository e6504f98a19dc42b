export { RunDir, type CreateRunDirOptions } from './run-dir.js';
export { RUN_FILES, REQUIRED_FOR_COMPLETE, readRunStatus, type RunInfo, type RunStatus } from './run-files.js';
export { newRunId } from './run-id.js';
export { redact, REDACTED } from '../util/redact.js';
export { writeFileAtomic } from '../util/atomic.js';
export { modelCard, type ModelCard } from './model-card.js';
