/**
 * The library's public surface (`import { distill } from 'apprentice'`): run a task, load and use
 * a trained student, pick a store, listen to events. Everything else is internal and may move.
 */
export { distill } from './run/distill.js';
// Any task kind (classify or extract), dispatched on the task's kind row.
export { distillTask, isExtractSummary, type RunSummary } from './run/task-kinds.js';
export type { ExtractDistillSummary } from './report/extract/types.js';
export {
  loadSpanStudent,
  trainSpanStudent,
  isSpanStudentModel,
  listSpanStudentKinds,
  registerSpanStudentKind,
} from './student/span-registry.js';
export type { RoundCheckpoint, RoundRecord } from './loop/types.js';
export type { DistillOptions, DistillSummary } from './run/types.js';
export type { LabeledText, EvalMetrics, CallKind, BudgetLimit } from './core/types.js';
export {
  loadTask,
  taskFromObject,
  applyOverrides,
  type TaskFromObjectOptions,
  type TaskOverrides,
} from './task/load.js';
export type { Task } from './task/schema.js';
export * from './student/index.js';
export { MemoryStore, SqliteStore, openStore, DEFAULT_STORE_PATH, type Store } from './store/index.js';
export { Emitter, type ApprenticeEvent, type EventType, type Listener, type StopReason } from './events.js';
export * from './errors.js';
